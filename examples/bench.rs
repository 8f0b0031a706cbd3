//! Throughput benchmark. Writes N MB of realistic articles generated from the gazetteer and
//! sentence templates, then times, over the same bytes: `wc -w`, a bare gazetteer scan
//! (aho-corasick), `cadregraph extract` with one job and with all, `cadregraph build` (and its
//! peak memory), and loading, querying and diffing a snapshot of about a million holdings.
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench -- 100
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use cadregraph::model::{Body, Evidence, Holding, Person, Snapshot};
use cadregraph::{Gazetteer, Status};

/// The allocator the binary uses, so that loads here cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A small deterministic random generator (xorshift), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const SURNAMES: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Thanh", "Quốc", "Xuân"];
const GIVEN: [&str; 12] = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Long", "Nam", "Quý", "Sơn", "Trung",
];
const FILLER: [&str; 6] = [
    "Hội nghị đã thảo luận, đánh giá kết quả thực hiện nhiệm vụ chính trị năm qua và đề ra phương hướng cho năm tới.",
    "Các đại biểu đã tập trung thảo luận, đóng góp nhiều ý kiến tâm huyết vào dự thảo các văn kiện.",
    "Công tác xây dựng Đảng, xây dựng hệ thống chính trị trong sạch, vững mạnh được chú trọng.",
    "Kinh tế của tỉnh tiếp tục tăng trưởng khá, đời sống vật chất và tinh thần của nhân dân được nâng lên.",
    "Công tác kiểm tra, giám sát và thi hành kỷ luật đảng được tăng cường, đi vào chiều sâu.",
    "Quốc phòng, an ninh được giữ vững, trật tự an toàn xã hội được bảo đảm.",
];

/// The official in `slot` of a province's roster for a term (0: 2015-2020, 1: 2020-2025): the
/// same name every time, as news repeats the same officials. Two in three are in office in
/// both terms.
fn official(province: usize, term: u64, slot: usize) -> String {
    let stays = (province * 31 + slot * 7) % 3 != 0;
    let term = if stays { 0 } else { term };
    let mut r = Rng((province as u64 + 1) * 1_000_003 + slot as u64 * 7_919 + term * 104_729);
    for _ in 0..3 {
        r.next();
    }
    format!(
        "{} {} {}",
        r.pick(&SURNAMES),
        r.pick(&MIDDLE),
        r.pick(&GIVEN)
    )
}

/// An article on a provincial Party congress: the roster of its province and term in office
/// (Bí thư in slot 0, Phó Bí thư in 1 and 2, district leaders from slot 10), filler around it.
fn article(r: &mut Rng, g: &Gazetteer) -> String {
    let p = (r.next() % g.provinces.len() as u64) as usize;
    let province = &g.provinces[p].name;
    let districts: Vec<&str> = g
        .districts
        .iter()
        .filter(|d| &d.province == province)
        .map(|d| d.name.as_str())
        .collect();
    let d = (r.next() % districts.len().max(1) as u64) as usize;
    let district = districts.get(d).copied().unwrap_or("Nam Đàn");
    let term = r.next() % 2;
    let (ordinal, years, day) = [
        ("XVIII", "2015 - 2020", "16/10/2015"),
        ("XIX", "2020 - 2025", "16/10/2020"),
    ][term as usize];
    let who = |slot: usize| official(p, term, slot);
    let mut s = format!(
        "Đại hội đại biểu Đảng bộ tỉnh {province} lần thứ {ordinal}\nThứ Sáu, {day}, 18:20 [GMT+7]\n\n\
         Chiều 16/10, Đại hội đại biểu Đảng bộ tỉnh {province} lần thứ {ordinal}, nhiệm kỳ {years} bế mạc. \
         Đồng chí {}, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì phiên bế mạc.\n\n",
        who(0)
    );
    for _ in 0..3 {
        s.push_str(FILLER[(r.next() % FILLER.len() as u64) as usize]);
        s.push(' ');
    }
    s.push_str(&format!(
        "\n\nTại phiên họp thứ nhất, Ban Chấp hành Đảng bộ tỉnh đã bầu đồng chí {} giữ chức Bí thư Tỉnh ủy; \
         các đồng chí {} và {} được bầu giữ chức Phó Bí thư Tỉnh ủy. Dự đại hội có đồng chí {}, Phó Bí thư \
         Huyện ủy, Chủ tịch UBND huyện {district}.\n\n",
        who(0),
        who(1),
        who(2),
        who(10 + d)
    ));
    for _ in 0..4 {
        s.push_str(FILLER[(r.next() % FILLER.len() as u64) as usize]);
        s.push(' ');
    }
    s.push_str("\n\nPhạm Bằng\n");
    s
}

fn seconds(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64()
}

fn run(cmd: &mut Command) -> f64 {
    seconds(|| {
        let status = cmd.stdout(Stdio::null()).status().expect("command runs");
        assert!(status.success(), "{cmd:?} failed");
    })
}

/// Peak resident memory of a command, in MiB, through GNU time.
fn peak_mib(args: &[&str]) -> Option<f64> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let kb: f64 = text
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()?;
    Some(kb / 1024.0)
}

/// A snapshot shaped like a national build: `bodies` People's Committees over two terms, each
/// with a chair, two deputies and seven members per term (20 holdings a body). From the first
/// term to the second most holders are re-elected, some deputies promoted, some members moved
/// from the next body, the rest new. `variant` changes the second term of one body in twenty, as
/// a later build would. Every node carries one piece of evidence, as real builds do.
fn big_snapshot(bodies: usize, variant: u64) -> Snapshot {
    const TITLES: [(&str, u32); 3] = [("Chủ tịch", 84), ("Phó Chủ tịch", 70), ("Ủy viên", 40)];
    let seat_title = |seat: usize| {
        TITLES[match seat {
            0 => 0,
            1 | 2 => 1,
            _ => 2,
        }]
    };
    let evidence = |n: usize| Evidence {
        doc: format!("a{:07}", n % 90_000).into(),
        start: n % 5_000,
        end: n % 5_000 + 42,
        published: Some("2020-10-16".into()),
        rule: "title-before-name".into(),
        former: false,
    };
    let mix = |x: u64| {
        let mut r = Rng(x.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        r.next();
        r.next()
    };
    let mut s = Snapshot::default();
    let mut persons = std::collections::BTreeSet::new();
    for b in 0..bodies {
        s.bodies.push(Body {
            id: format!("body/b{b:06}").into(),
            name: format!("Ủy ban nhân dân xã Số {b}").into(),
            kind: cadregraph::gazetteer::BodyKind::PeoplesCommittee,
            level: Some(cadregraph::gazetteer::Level::Commune),
            place: None,
            parent: None,
            valid_from: None,
            valid_to: None,
            evidence: vec![evidence(b)],
        });
        for seat in 0..10 {
            let first = b * 10 + seat;
            let changed = variant != 0 && mix(b as u64 ^ variant) % 20 == 0;
            let roll = mix((b * 10 + seat) as u64 + if changed { variant } else { 0 }) % 10;
            let second = match roll {
                0..=5 => first,
                // The deputy becomes the chair; the chair takes a deputy's seat.
                6 if seat < 3 => b * 10 + (seat + 1) % 3,
                7 => ((b + 1) % bodies) * 10 + seat,
                _ => bodies * 10 + first + if changed { variant as usize } else { 0 },
            };
            for (term, person) in [("2015-2020", first), ("2020-2025", second)] {
                let (title, rank) = seat_title(seat);
                persons.insert(person);
                s.holdings.push(Holding {
                    id: format!("holding/p{person:08}/{title}/b{b:06}/{term}").into(),
                    person: format!("person/p{person:08}").into(),
                    title: title.into(),
                    rank,
                    body: Some(format!("body/b{b:06}").into()),
                    term: Some(term.into()),
                    start: None,
                    end: None,
                    status: Status::Current,
                    elected_at: None,
                    evidence: vec![evidence(person)],
                });
            }
        }
    }
    for p in persons {
        s.persons.push(Person {
            id: format!("person/p{p:08}").into(),
            name: format!("Nguyễn Văn {p}").into(),
            aliases: vec![format!("Nguyễn Văn {p}").into()],
            anchor: "Nghệ An".into(),
            reasons: vec!["same name, anchored in Nghệ An".into()],
            evidence: vec![evidence(p)],
        });
    }
    // A deputy promoted into a seat they also keep would be the same holding twice.
    s.holdings.sort_by(|a, b| a.id.cmp(&b.id));
    s.holdings.dedup_by(|a, b| a.id == b.id);
    s
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mb: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100);
    // Parts to run after the size: extract, build, snapshots (all when none is named);
    // `corpus` only writes the corpus.
    let parts: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let part = |name: &str| parts.is_empty() || parts.contains(&name);
    let bin = PathBuf::from("target/release/cadregraph");
    assert!(bin.exists(), "run `cargo build --release` first");
    let dir = Path::new("target/bench");
    std::fs::create_dir_all(dir).unwrap();
    let g = Gazetteer::embedded();
    let mut rows: Vec<(String, f64, Option<f64>)> = Vec::new();

    // The corpus: N MB of articles, as JSON Lines and as plain text.
    let (jsonl, text) = (dir.join("corpus.jsonl"), dir.join("corpus.txt"));
    if part("extract") || part("build") || part("corpus") {
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut lines, mut plain) = (String::new(), String::new());
        let mut n = 0;
        while plain.len() < mb << 20 {
            let a = article(&mut r, &g);
            lines.push_str(&serde_json::json!({"id": format!("a{n:07}"), "text": a}).to_string());
            lines.push('\n');
            plain.push_str(&a);
            n += 1;
        }
        std::fs::write(&jsonl, &lines).unwrap();
        std::fs::write(&text, &plain).unwrap();
        let size = plain.len() as f64 / (1 << 20) as f64;
        println!(
            "corpus: {n} articles, {size:.1} MiB of text ({:.1} MiB as JSON Lines)",
            lines.len() as f64 / (1 << 20) as f64
        );
        let mut timed = |what: &str, secs: f64| rows.push((what.into(), secs, Some(size / secs)));
        let wc = run(Command::new("wc").arg("-w").arg(&text));
        timed("`wc -w`", wc);
        if part("extract") {
            let forms: Vec<String> = g
                .titles
                .iter()
                .flat_map(|t| t.forms.clone())
                .chain(g.bodies.iter().flat_map(|b| b.forms.clone()))
                .chain(g.provinces.iter().map(|p| p.name.to_lowercase()))
                .collect();
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&forms)
                .unwrap();
            let lower = plain.to_lowercase();
            let mut hits = 0;
            let scan = seconds(|| hits = ac.find_iter(&lower).count());
            timed(&format!("bare gazetteer scan ({hits} hits)"), scan);
            let one = run(Command::new(&bin).args(["extract", "-j", "1"]).arg(&jsonl));
            timed("`extract -j 1`", one);
            timed(
                "`extract` (all cores)",
                run(Command::new(&bin).arg("extract").arg(&jsonl)),
            );
            println!("extract, one job: {:.2} × the time of `wc -w`", one / wc);
        }
        if part("build") {
            let graph = dir.join("graph.ron");
            let args = [
                "build",
                jsonl.to_str().unwrap(),
                "-o",
                graph.to_str().unwrap(),
            ];
            timed(
                "`build` (all cores)",
                run(Command::new(&bin).args(args).stderr(Stdio::null())),
            );
            let mut with_time = vec![bin.to_str().unwrap()];
            with_time.extend(args);
            if let Some(mib) = peak_mib(&with_time) {
                rows.push(("`build` peak memory (MiB)".into(), mib, None));
            }
        }
    }

    if part("snapshots") {
        // A snapshot of about a million holdings: load and answer, diff two of them.
        let (a, b) = (dir.join("million-a.ron"), dir.join("million-b.ron"));
        let (sa, sb) = (big_snapshot(50_000, 0), big_snapshot(50_000, 7));
        println!(
            "snapshots: {} holdings, {} persons, {} bodies",
            sa.holdings.len(),
            sa.persons.len(),
            sa.bodies.len()
        );
        cadregraph::snapshot::save(&a, &sa).unwrap();
        cadregraph::snapshot::save(&b, &sb).unwrap();
        drop((sa, sb));
        let load = seconds(|| {
            cadregraph::snapshot::load(&a).unwrap();
        });
        rows.push((
            "load the snapshot (in process, from its binary copy)".into(),
            load,
            None,
        ));
        // The same without the copy: the RON text read and parsed.
        let copy = cadregraph::snapshot::binary_copy_path(&a);
        let aside = dir.join("million-a.bin.aside");
        std::fs::rename(&copy, &aside).unwrap();
        let load = seconds(|| {
            cadregraph::snapshot::load(&a).unwrap();
        });
        std::fs::rename(&aside, &copy).unwrap();
        rows.push((
            "load the snapshot (in process, RON only)".into(),
            load,
            None,
        ));
        let query = run(Command::new(&bin).args([
            "query",
            a.to_str().unwrap(),
            "holders",
            "--title",
            "Chủ tịch",
            "--body",
            "Ủy ban nhân dân xã Số 17",
        ]));
        rows.push(("`query holders` (load included)".into(), query, None));
        let diff = run(Command::new(&bin).args([
            "diff",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--json",
        ]));
        rows.push(("`diff` of two (loads included)".into(), diff, None));
    }

    println!("\n| measure | seconds | MiB/s |\n|---|---|---|");
    for (what, secs, rate) in rows {
        let rate = rate.map_or(String::new(), |r| format!("{r:.1}"));
        println!("| {what} | {secs:.2} | {rate} |");
    }
}
