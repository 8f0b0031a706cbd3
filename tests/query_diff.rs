//! Queries and diffs: CLI runs over a two-term corpus written for the project
//! (`tests/data/terms/a` and `b`) and the example graph, and the laws of diff as property tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cadregraph::diff::{diff, Change};
use cadregraph::snapshot::load;
use cadregraph::Snapshot;
use predicates::prelude::*;
use proptest::prelude::*;

fn cadregraph() -> Command {
    Command::cargo_bin("cadregraph").expect("binary builds")
}

fn built(dir: &str, tmp: &Path) -> PathBuf {
    let out = tmp.join(format!("{}.ron", dir.replace('/', "_")));
    cadregraph()
        .args(["build", dir, "-o"])
        .arg(&out)
        .assert()
        .success();
    out
}

fn changes(args: &[&std::ffi::OsStr]) -> Vec<serde_json::Value> {
    let out = cadregraph()
        .arg("diff")
        .args(args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn find<'a>(cs: &'a [serde_json::Value], kind: &str, who: &str) -> &'a serde_json::Value {
    cs.iter()
        .find(|c| c["change"] == kind && (c["person"] == who || c["successor"] == who))
        .unwrap_or_else(|| panic!("no {kind} of {who} in {cs:#?}"))
}

#[test]
fn every_change_class_between_two_terms() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (
        built("tests/data/terms/a", tmp.path()),
        built("tests/data/terms/b", tmp.path()),
    );
    let cs = changes(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(
        find(&cs, "entered", "Hoàng Văn Tú")["body"],
        "Ủy ban nhân dân tỉnh Hà Tĩnh"
    );
    assert_eq!(
        find(&cs, "left", "Phạm Thu Trang")["from_title"],
        "Phó Chủ tịch"
    );
    assert_eq!(find(&cs, "reelected", "Lê Đình Sơn")["to_title"], "Bí thư");
    let p = find(&cs, "promoted", "Võ Văn Khánh");
    assert_eq!(
        (&p["from_title"], &p["to_title"]),
        (&"Phó Bí thư".into(), &"Bí thư".into())
    );
    let m = find(&cs, "moved", "Đặng Hữu Phúc");
    assert_eq!(
        (&m["from_body"], &m["to_body"]),
        (&"Huyện ủy Can Lộc".into(), &"Sở Nội vụ tỉnh Hà Tĩnh".into())
    );
    let s = find(&cs, "succeeded", "Nguyễn Thị Hoa");
    assert_eq!(s["predecessor"], "Đặng Hữu Phúc");
    assert!(cs
        .iter()
        .any(|c| c["change"] == "added"
            && c["id"].as_str().unwrap().starts_with("person/hoàng-văn-tú")));
    // Backwards, the mirror image.
    let back = changes(&[b.as_os_str(), a.as_os_str()]);
    assert_eq!(
        find(&back, "demoted", "Võ Văn Khánh")["to_title"],
        "Phó Bí thư"
    );
    assert_eq!(
        find(&back, "entered", "Phạm Thu Trang")["to_title"],
        "Phó Chủ tịch"
    );
    // The same snapshot twice: nothing changed.
    assert!(changes(&[a.as_os_str(), a.as_os_str()]).is_empty());
}

#[test]
fn diff_by_term_within_one_graph() {
    let cs = changes(&[
        "graphs/nghe-an.ron".as_ref(),
        "--from-term".as_ref(),
        "2015-2020".as_ref(),
        "--to-term".as_ref(),
        "2020-2025".as_ref(),
        "--body".as_ref(),
        "Tỉnh ủy Nghệ An".as_ref(),
    ]);
    assert_eq!(
        find(&cs, "reelected", "Nguyễn Đắc Vinh")["body"],
        "Tỉnh ủy Nghệ An"
    );
    assert_eq!(find(&cs, "left", "Hồ Đức Phớc")["from_title"], "Bí thư");
    assert!(cs.iter().all(|c| c["body"]
        .as_str()
        .is_none_or(|b| b.contains("Tỉnh ủy Nghệ An"))));
}

#[test]
fn diff_draws_a_coloured_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (
        built("tests/data/terms/a", tmp.path()),
        built("tests/data/terms/b", tmp.path()),
    );
    let dot = tmp.path().join("changes.dot");
    cadregraph()
        .arg("diff")
        .arg(&a)
        .arg(&b)
        .arg("--dot")
        .arg(&dot)
        .assert()
        .success();
    let text = std::fs::read_to_string(dot).unwrap();
    assert!(text.contains("fillcolor=\"#c8f0c8\"") && text.contains("fillcolor=\"#f5c6c6\""));
}

#[test]
fn queries_answer_with_and_without_a_match() {
    let g = "graphs/nghe-an.ron";
    cadregraph()
        .args([
            "query",
            g,
            "holders",
            "--title",
            "Bí thư",
            "--body",
            "Tỉnh uỷ Nghệ An",
            "--term",
            "2020-2025",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Thái Thanh Quý")
                .and(predicate::str::contains("Nguyễn Đắc Vinh")),
        )
        .stdout(
            predicate::str::contains("Hồ Đức Phớc")
                .not()
                .or(predicate::str::contains("former")),
        );
    cadregraph()
        .args([
            "query",
            g,
            "holders",
            "--title",
            "Bí thư",
            "--body",
            "Tỉnh ủy Nghệ Am",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no body matches \"Tỉnh ủy Nghệ Am\"; nearest: Tỉnh ủy Nghệ An",
        ));
    cadregraph()
        .args([
            "query",
            g,
            "chairs",
            "--person",
            "Nguyễn Đắc Vinh",
            "--year",
            "2020",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Đại hội Đảng bộ tỉnh Nghệ An lần thứ")
                .and(predicate::str::contains("2020-10-14")),
        );
    cadregraph()
        .args(["query", g, "chairs", "--year", "1990"])
        .assert()
        .success()
        .stdout("PERSON  EVENT  BODY  DATE  EVIDENCE\n(none)\n");
    let json = cadregraph()
        .args(["query", g, "person", "Thái Thanh Quý", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let careers: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let titles: Vec<&str> = careers[0]["holdings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Phó Bí thư") && titles.contains(&"Bí thư"),
        "{titles:?}"
    );
    cadregraph()
        .args(["query", g, "person", "Thai Thanh Quy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nearest: Thái Thanh Quý"));
    cadregraph()
        .args(["query", g, "body", "Tỉnh ủy Nghệ An"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "cơ quan trực thuộc: Ban Thường vụ Tỉnh ủy Nghệ An",
        ));
    cadregraph()
        .args(["query", g, "body", "Huyện ủy Nghi Lộc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no body matches \"Huyện ủy Nghi Lộc\"; nearest:",
        ));
    cadregraph()
        .args(["query", g, "congress", "Tỉnh ủy Nghệ An", "--ordinal", "19"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("lần thứ 19, nhiệm kỳ 2020-2025")
                .and(predicate::str::contains("chủ trì: Nguyễn Đắc Vinh")),
        );
    cadregraph()
        .args(["query", g, "congress", "Tỉnh ủy Nghệ An", "--ordinal", "3"])
        .assert()
        .success()
        .stdout("");
}

fn sample(s: &Snapshot, keep: &[bool]) -> Snapshot {
    let mut out = s.clone();
    out.holdings = s
        .holdings
        .iter()
        .zip(keep.iter().cycle())
        .filter(|(_, k)| **k)
        .map(|(h, _)| h.clone())
        .collect();
    let used: std::collections::BTreeSet<&str> =
        out.holdings.iter().map(|h| h.person.as_str()).collect();
    out.persons.retain(|p| used.contains(p.id.as_str()));
    out
}

fn sorted(mut v: Vec<Change>) -> Vec<Change> {
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn diff_laws(ka in prop::collection::vec(any::<bool>(), 1..40), kb in prop::collection::vec(any::<bool>(), 1..40)) {
        let s = load(Path::new("graphs/nghe-an.ron")).unwrap();
        let (a, b) = (sample(&s, &ka), sample(&s, &kb));
        prop_assert!(diff(&a, &a, None).is_empty());
        let forward: Vec<Change> = diff(&a, &b, None).iter().map(Change::mirror).collect();
        prop_assert_eq!(sorted(forward), sorted(diff(&b, &a, None)));
    }
}

/// A holding of `person` as `title` in `body`, from `start` when given.
fn holding(
    person: &str,
    title: &str,
    body: &str,
    start: Option<&str>,
) -> cadregraph::model::Holding {
    cadregraph::model::Holding {
        id: format!("holding/{person}/{title}/{body}").into(),
        person: format!("person/{person}").into(),
        title: title.into(),
        rank: if title == "Chủ tịch" { 84 } else { 40 },
        body: Some(format!("body/{body}").into()),
        term: None,
        start: start.map(Into::into),
        end: None,
        status: cadregraph::Status::Current,
        elected_at: None,
        evidence: vec![],
    }
}

fn snapshot(holdings: Vec<cadregraph::model::Holding>) -> Snapshot {
    Snapshot {
        holdings,
        ..Snapshot::default()
    }
}

/// (change, person or id) of each change.
fn summary(cs: &[Change]) -> Vec<(String, String)> {
    cs.iter()
        .map(|c| {
            let kind = serde_json::to_value(c.change).unwrap();
            let who = c.id.clone().or(c.person.clone()).unwrap_or_default();
            (kind.as_str().unwrap().to_string(), who)
        })
        .collect()
}

#[test]
fn diff_rows_unchanged_moved_and_redated() {
    // Old lists out of id order, one id twice (the later one is compared, as it always was).
    let old = snapshot(vec![
        holding("b", "Ủy viên", "y", None),
        holding("a", "Chủ tịch", "x", Some("2019")),
        holding("c", "Ủy viên", "x", Some("2018")),
        holding("c", "Ủy viên", "x", None),
    ]);
    let new = snapshot(vec![
        holding("a", "Chủ tịch", "x", Some("2019")),
        holding("b", "Ủy viên", "z", None),
        holding("c", "Ủy viên", "x", None),
    ]);
    type Row<'a> = (&'a str, &'a Snapshot, &'a Snapshot, Vec<(&'a str, &'a str)>);
    let table: [Row; 3] = [
        ("nothing changed", &new, &new, vec![]),
        (
            "b moved, the repeated id of c is the same as its last",
            &old,
            &new,
            vec![("moved", "person/b")],
        ),
        (
            "the other way round, c's dates differ from its first",
            &new,
            &snapshot(vec![holding("c", "Ủy viên", "x", Some("2018"))]),
            vec![
                ("left", "person/a"),
                ("left", "person/b"),
                ("redated", "holding/c/Ủy viên/x"),
            ],
        ),
    ];
    for (name, a, b, expected) in table {
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, w)| (k.to_string(), w.to_string()))
            .collect();
        assert_eq!(summary(&diff(a, b, None)), expected, "{name}");
    }
}

/// A person node named `name`.
fn person(id: &str, name: &str) -> cadregraph::model::Person {
    cadregraph::model::Person {
        id: format!("person/{id}").into(),
        name: name.into(),
        aliases: vec![],
        anchor: "Nghệ An".into(),
        reasons: vec![],
        evidence: vec![],
    }
}

#[test]
fn nodes_and_names_whatever_the_order_of_the_lists() {
    // Lists out of id order, one person twice: nodes are compared by id, once each, and a
    // person is named by the newer snapshot.
    let mut old = snapshot(vec![holding("a", "Chủ tịch", "x", None)]);
    old.persons = vec![
        person("c", "Lê Văn C"),
        person("a", "Trần Văn A"),
        person("a", "Trần Văn A"),
    ];
    let mut new = snapshot(vec![holding("a", "Ủy viên", "x", None)]);
    new.persons = vec![person("b", "Hồ Thị B"), person("a", "Trần Văn Anh")];
    let changes = diff(&old, &new, None);
    assert_eq!(
        summary(&changes),
        [
            ("demoted", "Trần Văn Anh"),
            ("added", "person/b"),
            ("removed", "person/c"),
        ]
        .map(|(k, w)| (k.to_string(), w.to_string()))
    );
    assert_eq!(
        summary(&diff(&new, &old, None)),
        [
            ("promoted", "Trần Văn A"),
            ("added", "person/c"),
            ("removed", "person/b"),
        ]
        .map(|(k, w)| (k.to_string(), w.to_string()))
    );
}
