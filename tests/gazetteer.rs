//! Lint of the gazetteer data: the files load, every form finds itself, places are complete and
//! consistent, and the body heads the code relies on are there.

use cadregraph::gazetteer::{Entry, Gazetteer, REQUIRED_HEADS};

#[test]
fn every_form_matches_itself() {
    let g = Gazetteer::embedded();
    let check = |form: &str, want: &dyn Fn(&Entry) -> bool| {
        let key = g.word_key(form);
        let words: Vec<&str> = key.split(' ').collect();
        let found = g
            .matches_at(&words, 0)
            .iter()
            .any(|(len, entries)| *len == words.len() && entries.iter().any(want));
        assert!(found, "form {form:?} does not match its own entry");
    };
    for (i, t) in g.titles.iter().enumerate() {
        for f in &t.forms {
            check(f, &|e| *e == Entry::Title(i as u16));
        }
    }
    for (i, b) in g.bodies.iter().enumerate() {
        for f in &b.forms {
            check(f, &|e| *e == Entry::Body(i as u16));
        }
    }
    for (i, p) in g.provinces.iter().enumerate() {
        check(&p.name, &|e| *e == Entry::Province(i as u16));
    }
}

#[test]
fn provinces_before_and_after_the_2025_reform() {
    let g = Gazetteer::embedded();
    let before = g
        .provinces
        .iter()
        .filter(|p| p.valid_from.is_none())
        .count();
    let after = g.provinces.iter().filter(|p| p.valid_to.is_none()).count();
    assert_eq!(before, 63, "63 provinces and cities before 1 July 2025");
    assert_eq!(after, 34, "34 after the merger");
    for p in g.provinces.iter().filter(|p| p.valid_to.is_some()) {
        let s = p
            .successor
            .as_deref()
            .expect("a merged province names its successor");
        assert!(
            g.provinces
                .iter()
                .any(|q| q.name == s && q.valid_to.is_none()),
            "{s}"
        );
    }
}

#[test]
fn names_are_nfc_with_official_tone_placement() {
    let g = Gazetteer::embedded();
    let names = g
        .titles
        .iter()
        .map(|t| t.name.clone())
        .chain(g.bodies.iter().map(|b| b.name.clone()))
        .chain(g.provinces.iter().map(|p| p.name.clone()))
        .chain(g.districts.iter().map(|d| d.name.clone()));
    for n in names {
        let normalized = g.normalizer().normalize(&n);
        assert_eq!(normalized.text(), n, "{n:?} is not in canonical form");
    }
}

#[test]
fn heads_the_code_names_exist() {
    let g = Gazetteer::embedded();
    for h in REQUIRED_HEADS {
        assert!(
            g.bodies.iter().any(|b| b.name == h),
            "bodies.ron lacks {h:?}"
        );
    }
}
