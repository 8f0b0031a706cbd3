//! The `cadregraph` binary over small named inputs: output, exit codes and error messages.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn cadregraph() -> Command {
    Command::cargo_bin("cadregraph").expect("binary builds")
}

fn holdings(stdout: &[u8]) -> Vec<(String, String, String, String)> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["kind"] == "holding")
        .map(|v| {
            let s = |f: &str| v[f].as_str().unwrap_or("").to_string();
            (s("doc"), s("person"), s("title"), s("body"))
        })
        .collect()
}

/// What `cadregraph ARGS…` prints, the run having succeeded.
fn printed(args: &[&str]) -> Vec<u8> {
    cadregraph()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

/// What `cadregraph extract ARGS…` prints, the run having succeeded.
fn extracted(args: &[&str]) -> Vec<u8> {
    printed(&[&["extract"], args].concat())
}

#[test]
fn extract_a_file_prints_json_lines_with_evidence() {
    let out = extracted(&["tests/data/gold/mini01.txt"]);
    let text = std::fs::read("tests/data/gold/mini01.txt").unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["kind"], "document");
    assert_eq!(lines[0]["published"], "2021-07-12");
    assert_eq!(lines[0]["province"], "Hà Tĩnh");
    let h = holdings(&out);
    assert!(h.contains(&(
        "mini01".into(),
        "Nguyễn Văn Hùng".into(),
        "Bí thư".into(),
        "Huyện ủy Kỳ Anh".into()
    )));
    // Every fact's evidence is a span of the input file that contains the person's name.
    for l in lines.iter().filter(|l| l["kind"] == "holding") {
        let (s, e) = (
            l["evidence"]["start"].as_u64().unwrap() as usize,
            l["evidence"]["end"].as_u64().unwrap() as usize,
        );
        let span = std::str::from_utf8(&text[s..e]).expect("evidence on character boundaries");
        assert!(
            span.contains(l["person"].as_str().unwrap()),
            "{span:?} lacks {}",
            l["person"]
        );
    }
}

#[test]
fn extract_reads_stdin_and_jsonl() {
    let out = cadregraph()
        .args(["extract", "-"])
        .write_stdin("Chủ tịch UBND tỉnh Quảng Ninh Cao Tường Huy dự lễ khánh thành.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        holdings(&out),
        [(
            "stdin".into(),
            "Cao Tường Huy".into(),
            "Chủ tịch".into(),
            "Ủy ban nhân dân tỉnh Quảng Ninh".into()
        )]
    );
    let jsonl = "{\"id\":\"a1\",\"text\":\"Bí thư Thành ủy Hải Phòng Lê Tiến Châu phát biểu.\"}\n";
    let out = cadregraph()
        .args(["extract", "-"])
        .write_stdin(jsonl)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        holdings(&out),
        [(
            "a1".into(),
            "Lê Tiến Châu".into(),
            "Bí thư".into(),
            "Thành ủy Hải Phòng".into()
        )]
    );
}

#[test]
fn a_folder_is_read_recursively_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Bí thư Tỉnh ủy Hà Giang Nguyễn Mạnh Dũng dự.",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sub/a.txt"),
        "Chủ tịch UBND tỉnh Lào Cai Trịnh Xuân Trường dự.",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes.md"),
        "Bí thư Tỉnh ủy Nghệ An Thái Thanh Quý",
    )
    .unwrap();
    let out = cadregraph()
        .arg("extract")
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let docs: Vec<String> = holdings(&out).into_iter().map(|h| h.0).collect();
    assert_eq!(docs, ["b", "a"]);
}

#[test]
fn bad_inputs_are_named_skipped_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "Bí thư Tỉnh ủy Hà Giang Nguyễn Mạnh Dũng dự.").unwrap();
    let mut damaged = "Chủ tịch UBND tỉnh Lào Cai Trịnh Xuân Trường dự. "
        .as_bytes()
        .to_vec();
    damaged.extend([0xFF, 0xFE, b' ']);
    damaged.extend("Hết.".as_bytes());
    let damaged_path = dir.path().join("damaged.txt");
    std::fs::write(&damaged_path, &damaged).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("image.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let jsonl = dir.path().join("batch.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\":\"j1\",\"text\":\"Chủ tịch UBND tỉnh Lào Cai Trịnh Xuân Trường dự.\"}\n{broken\n{\"id\":\"j3\",\"text\":\"\"}\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.txt");
    let assert = cadregraph()
        .arg("extract")
        .args([&good, &damaged_path, &empty, &binary, &jsonl, &missing])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "damaged.txt: 2 undecodable byte(s) read as U+FFFD, the first at offset",
        ))
        .stderr(predicate::str::contains("empty.txt: empty"))
        .stderr(predicate::str::contains("image.txt: binary data"))
        .stderr(predicate::str::contains(
            "batch.jsonl:2: not an article object",
        ))
        .stderr(predicate::str::contains("missing.txt"));
    let docs: Vec<String> = holdings(&assert.get_output().stdout)
        .into_iter()
        .map(|h| h.0)
        .collect();
    assert_eq!(
        docs,
        ["good", "damaged", "j1"],
        "the other documents are still processed"
    );
}

#[test]
fn empty_and_odd_inputs_do_not_fail() {
    for text in [
        "x",
        "\n\nx\n",
        "..........",
        "Ảnh:",
        "Ông",
        "Đại hội lần thứ",
        "nhiệm kỳ 202-",
        "(((((",
        "Bí thư Tỉnh ủy,,,,",
    ] {
        cadregraph()
            .args(["extract", "-"])
            .write_stdin(text)
            .assert()
            .success();
    }
    cadregraph()
        .args(["extract", "-"])
        .write_stdin("  \n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<stdin>: empty"));
}

#[test]
fn eval_prints_the_scorer_table() {
    cadregraph()
        .args(["eval", "tests/data/gold"])
        .assert()
        .success()
        .stdout(predicate::str::contains("docs 1"))
        .stdout(predicate::str::contains(
            "L2                       P 1.000  R 1.000  F1 1.000  (tp 5 fp 0 fn 0)",
        ))
        .stdout(predicate::str::contains(
            "chair(person)            P 1.000  R 1.000  F1 1.000  (tp 1 fp 0 fn 0)",
        ));
}

#[test]
fn eval_details_lists_misses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("tests/data/gold/mini01.txt", dir.path().join("m.txt")).unwrap();
    let gold = std::fs::read_to_string("tests/data/gold/mini01.gold.json")
        .unwrap()
        .replace("Trần Thế Dũng", "Trần Thế Dũng Khác");
    std::fs::write(dir.path().join("m.gold.json"), gold).unwrap();
    cadregraph()
        .arg("eval")
        .arg(dir.path())
        .arg("--details")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "missed L1   (\"trần thế dũng khác\", \"phó bí thư\")",
        ))
        .stdout(predicate::str::contains(
            "extra  L1   (\"trần thế dũng\", \"phó bí thư\")",
        ));
}

#[test]
fn gazetteer_check_names_file_line_and_column() {
    cadregraph().args(["gazetteer", "check"]).assert().success();
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir("gazetteer").unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let titles = dir.path().join("titles.ron");
    let text = std::fs::read_to_string(&titles).unwrap();
    std::fs::write(&titles, text.replacen("rank: 90", "rank: \"ninety\"", 1)).unwrap();
    cadregraph()
        .args(["gazetteer", "check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"titles\.ron:\d+:\d+: ").unwrap());
}

#[test]
fn a_replacement_gazetteer_is_used() {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir("gazetteer").unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let titles = dir.path().join("titles.ron");
    let text = std::fs::read_to_string(&titles).unwrap();
    let added = text.replacen(
        "[\n",
        "[\n    (name: \"Trưởng thôn\", forms: [\"trưởng thôn\"], rank: 10, default_body: Some(\"Thôn\")),\n",
        1,
    );
    std::fs::write(&titles, added).unwrap();
    let input = "Trưởng thôn Nguyễn Văn Tư phát biểu.";
    let with = cadregraph()
        .arg("--gazetteer")
        .arg(dir.path())
        .args(["extract", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let without = cadregraph()
        .args(["extract", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(holdings(&with).len(), 1);
    assert!(holdings(&without).is_empty());
    assert!(Path::new("gazetteer/titles.ron").exists());
}

#[test]
fn build_writes_a_snapshot_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.ron");
    cadregraph()
        .args(["build", "examples/corpus", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("11 documents"))
        .stderr(predicate::str::contains("persons"));
    let first = std::fs::read(&out).unwrap();
    // From extract's JSON Lines (the reduce step) the snapshot is the same.
    let facts = dir.path().join("facts.jsonl");
    let lines = cadregraph()
        .args(["extract", "examples/corpus"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    std::fs::write(&facts, lines).unwrap();
    let out2 = dir.path().join("g2.ron");
    cadregraph()
        .arg("build")
        .arg(&facts)
        .arg("-o")
        .arg(&out2)
        .assert()
        .success();
    assert_eq!(std::fs::read(&out2).unwrap(), first);
    // Merging a snapshot with itself changes nothing.
    let out3 = dir.path().join("g3.ron");
    cadregraph()
        .arg("merge")
        .arg(&out)
        .arg(&out)
        .arg("-o")
        .arg(&out3)
        .assert()
        .success();
    assert_eq!(std::fs::read(&out3).unwrap(), first);
}

/// `build` and `merge` write a binary copy beside the snapshot; queries and diffs answer the
/// same from the copy, without it, and with a copy of another snapshot in its place (which is
/// ignored).
#[test]
fn the_binary_copy_answers_as_the_snapshot_does() {
    let dir = tempfile::tempdir().unwrap();
    let (g, other) = (dir.path().join("g.ron"), dir.path().join("other.ron"));
    let copy = |p: &Path| cadregraph::snapshot::binary_copy_path(p);
    cadregraph()
        .args(["build", "examples/corpus", "-o"])
        .arg(&g)
        .assert()
        .success();
    cadregraph()
        .args(["build", "examples/corpus/nghe-an-2020-dai-hoi.txt", "-o"])
        .arg(&other)
        .assert()
        .success();
    assert_eq!(copy(&g), dir.path().join("g.ron.bin"));
    assert!(copy(&g).exists() && copy(&other).exists());
    let g_arg = g.to_string_lossy();
    let ask = |args: &[&str]| printed(&[&["query", g_arg.as_ref()], args].concat());
    let questions: [&[&str]; 3] = [
        &[
            "holders",
            "--title",
            "Bí thư",
            "--body",
            "Tỉnh ủy Nghệ An",
            "--json",
        ],
        &["person", "Thái Thanh Quý", "--json"],
        &["congress", "Tỉnh ủy Nghệ An", "--ordinal", "19"],
    ];
    let other_arg = other.to_string_lossy();
    let answers = || {
        let mut out: Vec<Vec<u8>> = questions.iter().map(|q| ask(q)).collect();
        out.push(printed(&["diff", &other_arg, &g_arg, "--json"]));
        out
    };
    let with_copy = answers();
    assert!(with_copy.iter().all(|out| !out.is_empty()));
    std::fs::copy(copy(&other), copy(&g)).unwrap();
    let stale = answers();
    std::fs::remove_file(copy(&g)).unwrap();
    let without = answers();
    assert_eq!(with_copy, without);
    assert_eq!(stale, without);
    assert_eq!(
        cadregraph::snapshot::load(&g).unwrap(),
        cadregraph::snapshot::from_ron(&g, &std::fs::read_to_string(&g).unwrap()).unwrap()
    );
}

#[test]
fn snapshots_of_other_versions_or_truncated_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("graphs/nghe-an.ron").unwrap();
    let old = dir.path().join("old.ron");
    std::fs::write(&old, text.replacen("schema: 1", "schema: 7", 1)).unwrap();
    cadregraph()
        .arg("render")
        .arg(&old)
        .arg("-o")
        .arg(dir.path().join("x.dot"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "old.ron: snapshot schema version 7, this cadregraph reads version 1",
        ));
    let cut = dir.path().join("cut.ron");
    let third = (0..=text.len() / 3)
        .rev()
        .find(|&n| text.is_char_boundary(n))
        .unwrap_or(0);
    std::fs::write(&cut, &text[..third]).unwrap();
    cadregraph()
        .arg("render")
        .arg(&cut)
        .arg("-o")
        .arg(dir.path().join("y.dot"))
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"cut\.ron:\d+:\d+: ").unwrap());
    assert!(!dir.path().join("y.dot").exists());
    // A build of nothing readable writes no snapshot.
    let none = dir.path().join("none.ron");
    cadregraph()
        .arg("build")
        .arg(dir.path().join("no-such-folder"))
        .arg("-o")
        .arg(&none)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-folder"))
        .stderr(predicate::str::contains("not written"));
    assert!(!none.exists());
    // A snapshot that is not there: named, and its cause said once.
    let gone = dir.path().join("gone.ron");
    let out = cadregraph()
        .arg("diff")
        .arg(&gone)
        .arg(&gone)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("gone.ron: "))
        .get_output()
        .stderr
        .clone();
    let said = String::from_utf8_lossy(&out);
    let cause = said.split("gone.ron: ").nth(1).unwrap_or_default().trim();
    assert!(
        !cause.is_empty() && !cause.contains(": "),
        "the cause once: {said}"
    );
}

#[test]
fn render_draws_dot_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let dot = dir.path().join("chart.dot");
    cadregraph()
        .args([
            "render",
            "graphs/nghe-an.ron",
            "--place",
            "Nghệ An",
            "--term",
            "2020-2025",
            "-o",
        ])
        .arg(&dot)
        .assert()
        .success();
    let text = std::fs::read_to_string(&dot).unwrap();
    assert!(text.starts_with("digraph orgchart {"));
    assert!(text.contains("label=\"Tỉnh ủy Nghệ An\""));
    assert!(text.contains("Bí thư\\nNguyễn Đắc Vinh\\n2020-2025"));
    assert!(
        !text.contains("2015-2020\""),
        "the term filter keeps 2020-2025 only"
    );
    let svg = dir.path().join("chart.svg");
    cadregraph()
        .args(["render", "graphs/nghe-an.ron", "-o"])
        .arg(&svg)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains("<svg") && svg.contains("Nguyễn Đắc Vinh"));
    cadregraph()
        .args(["render", "graphs/nghe-an.ron", "-o"])
        .arg(dir.path().join("chart.pdf"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("must end in .dot, .svg or .png"));
}

#[test]
fn a_killed_write_leaves_the_previous_file_intact() {
    use cadregraph::model::{Holding, Person};
    let dir = tempfile::tempdir().unwrap();
    // A large snapshot, so that writing it takes a while.
    let mut s = cadregraph::Snapshot::default();
    for i in 0..60_000 {
        let person = format!("person/p{i:06}@nghệ-an");
        s.persons.push(Person {
            id: person.clone().into(),
            name: format!("Nguyễn Văn {i}").into(),
            aliases: vec![],
            anchor: "Nghệ An".into(),
            reasons: vec![],
            evidence: vec![],
        });
        s.holdings.push(Holding {
            id: format!("holding/{person}/ủy-viên/body/x/-").into(),
            person: person.into(),
            title: "Ủy viên".into(),
            rank: 40,
            body: None,
            term: None,
            start: None,
            end: None,
            status: cadregraph::Status::Current,
            elected_at: None,
            evidence: vec![],
        });
    }
    let big = dir.path().join("big.ron");
    cadregraph::snapshot::save(&big, &s).unwrap();
    let out = dir.path().join("out.ron");
    std::fs::copy("graphs/nghe-an.ron", &out).unwrap();
    let before = std::fs::read(&out).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cadregraph"))
        .arg("merge")
        .arg(&big)
        .arg("-o")
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the temporary file to appear: the write has begun. Then kill.
    let mut writing = false;
    for _ in 0..20_000 {
        let tmp = std::fs::read_dir(dir.path()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".out.ron.tmp")
        });
        if tmp {
            writing = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().ok();
    child.wait().unwrap();
    let after = std::fs::read(&out).unwrap();
    // Either the old file, untouched, or the whole new one: never a part.
    if after != before {
        assert!(
            cadregraph::snapshot::load(&out).is_ok(),
            "a half-written snapshot replaced the old one"
        );
    }
    assert!(
        writing || after != before,
        "the child neither started writing nor finished"
    );
}

#[test]
fn parallel_extraction_keeps_the_input_order() {
    let inputs = ["examples/corpus", "tests/data/holdout"];
    let one = extracted(&[&["-j", "1"], &inputs[..]].concat());
    let many = extracted(&[&["--jobs", "4"], &inputs[..]].concat());
    assert!(!one.is_empty());
    assert_eq!(one, many);
}

#[test]
fn build_reads_many_documents_of_facts_in_batches() {
    // 330 documents of facts (the corpus under 30 names), more than one batch of the pool.
    let lines = String::from_utf8(extracted(&["examples/corpus"])).unwrap();
    let copies: Vec<String> = (0..30)
        .map(|k| lines.replace("\"doc\":\"", &format!("\"doc\":\"c{k}-")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all.jsonl");
    std::fs::write(&all, copies.concat()).unwrap();
    let (first, second) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    std::fs::write(&first, copies[..17].concat()).unwrap();
    std::fs::write(&second, copies[17..].concat()).unwrap();
    let build = |input: &std::path::Path, out: &str, documents: usize| {
        let out = dir.path().join(out);
        cadregraph()
            .arg("build")
            .arg(input)
            .arg("-o")
            .arg(&out)
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(": {documents} documents")));
        out
    };
    let whole = build(&all, "whole.ron", 330);
    let (a, b) = (build(&first, "a.ron", 187), build(&second, "b.ron", 143));
    let merged = dir.path().join("merged.ron");
    cadregraph()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&merged)
        .assert()
        .success();
    let whole = std::fs::read_to_string(&whole).unwrap();
    assert!(whole.contains("doc: \"c29-nghe-an-2020-dai-hoi\""));
    assert_eq!(std::fs::read_to_string(&merged).unwrap(), whole);
}
