//! Table-driven extraction tests: every row of `tests/data/patterns.ron` is a short article
//! written for the project, with the holdings, past posts, congresses and chairs a careful reader
//! extracts. Compared as sets of normalised keys, as the scorer compares them.

use std::collections::BTreeSet;

use cadregraph::normalize::key;
use cadregraph::{Document, Extractor, Gazetteer, Status};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Row {
    name: String,
    pattern: String,
    text: String,
    holdings: Vec<String>,
    former: Vec<String>,
    congresses: Vec<String>,
    chairs: Vec<String>,
}

fn keyed(items: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    items
        .into_iter()
        .map(|s| {
            s.split('|')
                .map(|p| key(p.trim()))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

#[test]
fn patterns_table() {
    let rows: Vec<Row> =
        ron::from_str(include_str!("data/patterns.ron")).expect("patterns.ron parses");
    let extractor = Extractor::new(Gazetteer::embedded());
    let mut failures = Vec::new();
    for row in &rows {
        let facts = extractor.extract(&Document::new(row.name.clone(), row.text.clone()));
        let holding = |h: &cadregraph::Holding| {
            format!(
                "{} | {} | {}",
                h.person,
                h.title,
                h.body.clone().unwrap_or_default()
            )
        };
        let current = keyed(
            facts
                .holdings
                .iter()
                .filter(|h| h.status == Status::Current)
                .map(holding),
        );
        let former = keyed(
            facts
                .holdings
                .iter()
                .filter(|h| h.status == Status::Former)
                .map(holding),
        );
        let congresses = keyed(facts.congresses.iter().map(|c| {
            let ordinal = c.ordinal.map_or("-".to_string(), |o| o.to_string());
            format!(
                "{} | {} | {}",
                c.body,
                ordinal,
                c.term.clone().unwrap_or("-".into())
            )
        }));
        let chairs = keyed(facts.chairs.iter().map(|c| c.person.clone()));
        let checks = [
            ("holdings", keyed(row.holdings.clone()), current),
            ("former", keyed(row.former.clone()), former),
            ("congresses", keyed(row.congresses.clone()), congresses),
            ("chairs", keyed(row.chairs.clone()), chairs),
        ];
        for (what, expected, actual) in checks {
            if expected != actual {
                failures.push(format!(
                    "{} [{}] {what}\n  text:     {}\n  missing:  {:?}\n  extra:    {:?}",
                    row.name,
                    row.pattern,
                    row.text,
                    expected.difference(&actual).collect::<Vec<_>>(),
                    actual.difference(&expected).collect::<Vec<_>>(),
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows fail:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
