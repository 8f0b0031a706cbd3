//! The knowledge graph: snapshots of the example corpus kept in sync with `graphs/`, stable
//! round trips, order-free merging, and conservative merges on the shared gold sets.

use std::path::Path;

use cadregraph::dot::{chart, View};
use cadregraph::snapshot::{from_ron, to_ron};
use cadregraph::{
    build, merge, Document, Extraction, Extractor, Gazetteer, KnowledgeGraph, Snapshot,
};
use proptest::prelude::*;

fn extract_dir(dir: &str) -> Vec<Extraction> {
    let extractor = Extractor::new(Gazetteer::embedded());
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            extractor.extract(&Document::new(id, std::fs::read_to_string(p).unwrap()))
        })
        .collect()
}

fn corpus() -> Snapshot {
    build(&Gazetteer::embedded(), &extract_dir("examples/corpus"))
}

/// Compare with a committed file; `UPDATE_SNAPSHOTS=1 cargo test` rewrites it.
fn check_file(path: &str, actual: &str) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{path} is out of date (first difference at line {}):\n expected: {:?}\n actual:   {:?}\nrun `UPDATE_SNAPSHOTS=1 cargo test --test graph` and `cadregraph render {path} …` to refresh",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn example_graph_snapshots_are_current() {
    let s = corpus();
    check_file("graphs/nghe-an.ron", &to_ron(&s));
    let dot = chart(
        &s,
        &View {
            place: Some("Nghệ An".into()),
            ..View::default()
        },
    );
    check_file("graphs/nghe-an.dot", &dot);
    // The SVG is Graphviz's drawing of that DOT: every card's person is on it.
    let svg =
        std::fs::read_to_string("graphs/nghe-an.svg").expect("graphs/nghe-an.svg is committed");
    for p in &s.persons {
        if dot.contains(&format!("\\n{}", p.name)) {
            assert!(
                svg.contains(p.name.as_str()),
                "graphs/nghe-an.svg lacks {}",
                p.name
            );
        }
    }
}

#[test]
fn the_example_graph_reads_as_a_province_chart() {
    let s = corpus();
    let body = |name: &str| {
        s.bodies
            .iter()
            .find(|b| b.name == name)
            .unwrap_or_else(|| panic!("no body {name}"))
    };
    let tinh_uy = body("Tỉnh ủy Nghệ An");
    assert_eq!(
        tinh_uy.parent.as_deref(),
        Some(body("Đảng bộ tỉnh Nghệ An").id.as_str())
    );
    assert_eq!(
        body("Ban Thường vụ Tỉnh ủy Nghệ An").parent.as_deref(),
        Some(tinh_uy.id.as_str())
    );
    let secretaries: Vec<&str> = s
        .holdings
        .iter()
        .filter(|h| h.title == "Bí thư" && h.body.as_deref() == Some(tinh_uy.id.as_str()))
        .map(|h| h.person.as_str())
        .collect();
    for name in [
        "hồ-đức-phớc",
        "nguyễn-đắc-vinh",
        "thái-thanh-quý",
        "nguyễn-đức-trung",
    ] {
        assert!(
            secretaries.iter().any(|p| p.contains(name)),
            "{name} in {secretaries:?}"
        );
    }
    let congress = s
        .congresses
        .iter()
        .find(|c| c.ordinal == Some(19))
        .expect("Đại hội XIX");
    assert_eq!(congress.term.as_deref(), Some("2020-2025"));
    assert!(!congress.elected.is_empty() && !congress.chairs.is_empty());
    let g = KnowledgeGraph::new(s.clone());
    assert_eq!(
        g.graph.node_count(),
        s.persons.len()
            + s.bodies.len()
            + s.places.len()
            + s.holdings.len()
            + s.congresses.len()
            + s.meetings.len()
    );
    assert!(g.graph.edge_count() >= 2 * s.holdings.len());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    assert_eq!(to_ron(&corpus()), to_ron(&corpus()));
    assert_eq!(
        chart(&corpus(), &View::default()),
        chart(&corpus(), &View::default())
    );
}

#[test]
fn gold_sets_build_stable_snapshots_with_conservative_merges() {
    let (seeds, dev) = ("../shared/gold/seeds", "../shared/gold/dev");
    if !Path::new(seeds).exists() {
        eprintln!("skipped: {seeds} is not beside the project");
        return;
    }
    let mut xs = extract_dir(seeds);
    xs.extend(extract_dir(dev));
    let s = build(&Gazetteer::embedded(), &xs);
    let text = to_ron(&s);
    let back = from_ron(Path::new("gold.ron"), &text).unwrap();
    assert_eq!(back, s);
    assert_eq!(to_ron(&back), text);
    // Seeds 000 and 003 name "Đảng ủy Khối các cơ quan tỉnh" of two unnamed provinces.
    let khoi: Vec<&str> = s
        .bodies
        .iter()
        .filter(|b| b.name == "Đảng ủy Khối các cơ quan tỉnh")
        .map(|b| b.id.as_str())
        .collect();
    assert_eq!(khoi.len(), 2, "{khoi:?}");
    // "Nguyễn Văn Dũng" of Bình Phước is not merged with anyone else of that name.
    assert!(s.persons.iter().all(|p| p
        .reasons
        .iter()
        .all(|r| r.starts_with("same name, anchored in"))));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Building from shards and merging gives the snapshot one build gives; save → load → save
    /// gives the same bytes.
    #[test]
    fn shards_merge_to_the_whole(split in prop::collection::vec(any::<bool>(), 11)) {
        let g = Gazetteer::embedded();
        let xs = extract_dir("examples/corpus");
        let (mut a, mut b): (Vec<&Extraction>, Vec<&Extraction>) = (Vec::new(), Vec::new());
        for (i, x) in xs.iter().enumerate() {
            if split[i % split.len()] { a.push(x) } else { b.push(x) }
        }
        let whole = build(&g, &xs);
        let merged = merge(build(&g, a.iter().copied()), build(&g, b.iter().copied()));
        prop_assert_eq!(to_ron(&merged), to_ron(&whole));
        let swapped = merge(build(&g, b.iter().copied()), build(&g, a.iter().copied()));
        prop_assert_eq!(to_ron(&swapped), to_ron(&whole));
        let text = to_ron(&merged);
        prop_assert_eq!(to_ron(&from_ron(Path::new("p.ron"), &text).unwrap()), text);
    }
}
