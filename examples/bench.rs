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
use cadregraph::model::{Body, Holding, Person, Snapshot};
use cadregraph::{Gazetteer, Status};

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

fn name(r: &mut Rng) -> String {
    format!(
        "{} {} {}",
        r.pick(&SURNAMES),
        r.pick(&MIDDLE),
        r.pick(&GIVEN)
    )
}

fn article(r: &mut Rng, g: &Gazetteer) -> String {
    let province = &r.pick(&g.provinces).name;
    let district = &r.pick(&g.districts).name;
    let mut s = format!(
        "Đại hội đại biểu Đảng bộ tỉnh {province} lần thứ XIX\nThứ Sáu, 16/10/2020, 18:20 [GMT+7]\n\n\
         Chiều 16/10, Đại hội đại biểu Đảng bộ tỉnh {province} lần thứ XIX, nhiệm kỳ 2020 - 2025 bế mạc. \
         Đồng chí {}, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì phiên bế mạc.\n\n",
        name(r)
    );
    for _ in 0..3 {
        s.push_str(FILLER[(r.next() % FILLER.len() as u64) as usize]);
        s.push(' ');
    }
    s.push_str(&format!(
        "\n\nTại phiên họp thứ nhất, Ban Chấp hành Đảng bộ tỉnh đã bầu đồng chí {} giữ chức Bí thư Tỉnh ủy; \
         các đồng chí {} và {} được bầu giữ chức Phó Bí thư Tỉnh ủy. Dự đại hội có đồng chí {}, Phó Bí thư \
         Huyện ủy, Chủ tịch UBND huyện {district}.\n\n",
        name(r),
        name(r),
        name(r),
        name(r)
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

fn big_snapshot(holdings: usize, shift: usize) -> Snapshot {
    let mut s = Snapshot::default();
    let bodies = 2_000;
    for b in 0..bodies {
        s.bodies.push(Body {
            id: format!("body/b{b:05}"),
            name: format!("Ủy ban nhân dân xã Số {b}"),
            kind: cadregraph::gazetteer::BodyKind::PeoplesCommittee,
            level: None,
            place: None,
            parent: None,
            valid_from: None,
            valid_to: None,
            evidence: vec![],
        });
    }
    for p in 0..holdings / 5 {
        s.persons.push(Person {
            id: format!("person/p{p:07}"),
            name: format!("Nguyễn Văn {p}"),
            aliases: vec![],
            anchor: "Nghệ An".into(),
            reasons: vec![],
            evidence: vec![],
        });
    }
    for h in 0..holdings {
        let person = (h + shift) % (holdings / 5);
        let title = ["Chủ tịch", "Phó Chủ tịch", "Ủy viên"][h % 3];
        s.holdings.push(Holding {
            id: format!("holding/{h:08}"),
            person: format!("person/p{person:07}"),
            title: title.into(),
            rank: [84, 70, 40][h % 3],
            body: Some(format!("body/b{:05}", h % bodies)),
            term: Some(["2015-2020", "2020-2025"][h % 2].into()),
            start: None,
            end: None,
            status: Status::Current,
            elected_at: None,
            evidence: vec![],
        });
    }
    s
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let bin = PathBuf::from("target/release/cadregraph");
    assert!(bin.exists(), "run `cargo build --release` first");
    let dir = Path::new("target/bench");
    std::fs::create_dir_all(dir).unwrap();
    let g = Gazetteer::embedded();

    // The corpus: N MB of articles, as JSON Lines and as plain text.
    let (jsonl, text) = (dir.join("corpus.jsonl"), dir.join("corpus.txt"));
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

    let wc = run(Command::new("wc").arg("-w").arg(&text));
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
    let one = run(Command::new(&bin).args(["extract", "-j", "1"]).arg(&jsonl));
    let all = run(Command::new(&bin).arg("extract").arg(&jsonl));
    let graph = dir.join("graph.ron");
    let build = run(Command::new(&bin)
        .arg("build")
        .arg(&jsonl)
        .arg("-o")
        .arg(&graph)
        .stderr(Stdio::null()));
    let build_mem = peak_mib(&[
        bin.to_str().unwrap(),
        "build",
        jsonl.to_str().unwrap(),
        "-o",
        graph.to_str().unwrap(),
    ]);

    // A snapshot of about a million holdings: load and answer, diff two of them.
    let (a, b) = (dir.join("million-a.ron"), dir.join("million-b.ron"));
    cadregraph::snapshot::save(&a, &big_snapshot(1_000_000, 0)).unwrap();
    cadregraph::snapshot::save(&b, &big_snapshot(1_000_000, 7)).unwrap();
    let load = seconds(|| {
        cadregraph::snapshot::load(&a).unwrap();
    });
    let query = run(Command::new(&bin).args([
        "query",
        a.to_str().unwrap(),
        "holders",
        "--title",
        "Chủ tịch",
        "--body",
        "Ủy ban nhân dân xã Số 17",
    ]));
    let diff =
        run(Command::new(&bin).args(["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]));

    let rate = |s: f64| size / s;
    println!("\n| measure | seconds | MiB/s |\n|---|---|---|");
    println!("| `wc -w` | {wc:.2} | {:.0} |", rate(wc));
    println!(
        "| gazetteer scan (aho-corasick, {hits} hits) | {scan:.2} | {:.0} |",
        rate(scan)
    );
    println!("| `extract -j 1` | {one:.2} | {:.1} |", rate(one));
    println!("| `extract` (all cores) | {all:.2} | {:.1} |", rate(all));
    println!("| `build` (all cores) | {build:.2} | {:.1} |", rate(build));
    println!(
        "| `build` peak memory | {} MiB | |",
        build_mem.map_or("?".into(), |m| format!("{m:.0}"))
    );
    println!("| load a 1M-holding snapshot (in process) | {load:.2} | |");
    println!("| `query holders` on it (load included) | {query:.2} | |");
    println!("| `diff` of two of them (loads included) | {diff:.2} | |");
    println!("\nextract, one job: {:.1} × the time of `wc -w`", one / wc);
}
