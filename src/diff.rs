//! What changed between two snapshots, or between two terms of one: who entered a body, who
//! left, who was re-elected, promoted or demoted (titles ranked by the gazetteer), who moved to
//! another body (rotation), which post was succeeded by whom; nodes added or removed; holdings
//! re-dated. `diff(a, b)` and `diff(b, a)` are mirror images, and `diff(a, a)` is empty.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::facts::Status;
use crate::model::{Holding, Snapshot};
use crate::query::in_term;

/// The kind of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Entered,
    Left,
    Reelected,
    Promoted,
    Demoted,
    Retitled,
    Moved,
    Succeeded,
    Added,
    Removed,
    Redated,
}

impl Kind {
    /// The change seen from the other side.
    pub fn mirror(self) -> Kind {
        match self {
            Kind::Entered => Kind::Left,
            Kind::Left => Kind::Entered,
            Kind::Promoted => Kind::Demoted,
            Kind::Demoted => Kind::Promoted,
            Kind::Added => Kind::Removed,
            Kind::Removed => Kind::Added,
            other => other,
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Change {
    pub change: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predecessor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
    /// Node or holding id, for added, removed, re-dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Change {
    fn new(change: Kind) -> Self {
        Change {
            change,
            person: None,
            body: None,
            from_title: None,
            to_title: None,
            from_body: None,
            to_body: None,
            predecessor: None,
            successor: None,
            id: None,
        }
    }

    /// The same change seen from the other side.
    pub fn mirror(&self) -> Change {
        Change {
            change: self.change.mirror(),
            from_title: self.to_title.clone(),
            to_title: self.from_title.clone(),
            from_body: self.to_body.clone(),
            to_body: self.from_body.clone(),
            predecessor: self.successor.clone(),
            successor: self.predecessor.clone(),
            ..self.clone()
        }
    }
}

/// Holdings as the diff sees them: (person, body) → titles, with their ranks and ids.
struct Side<'a> {
    posts: BTreeMap<(String, String), Vec<&'a Holding>>,
    /// Person → the bodies they hold posts in.
    by_person: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Side<'a> {
    fn new(holdings: impl Iterator<Item = &'a Holding>, body: &dyn Fn(&str) -> bool) -> Self {
        let mut posts: BTreeMap<(String, String), Vec<&Holding>> = BTreeMap::new();
        for h in holdings {
            let Some(b) = &h.body else { continue };
            if h.status == Status::Former || !body(b) {
                continue;
            }
            posts
                .entry((h.person.clone(), b.clone()))
                .or_default()
                .push(h);
        }
        for v in posts.values_mut() {
            v.sort_by(|a, b| {
                (std::cmp::Reverse(a.rank), &a.title, &a.id).cmp(&(
                    std::cmp::Reverse(b.rank),
                    &b.title,
                    &b.id,
                ))
            });
        }
        let mut by_person: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (p, b) in posts.keys() {
            by_person.entry(p.clone()).or_default().insert(b.clone());
        }
        Side { posts, by_person }
    }

    fn bodies_of(&self, person: &str) -> BTreeSet<&str> {
        self.by_person
            .get(person)
            .map_or_else(BTreeSet::new, |b| b.iter().map(String::as_str).collect())
    }
}

fn post_changes(old: &Side, new: &Side, names: &Names) -> Vec<Change> {
    let mut out = Vec::new();
    let persons: BTreeSet<&str> = old
        .posts
        .keys()
        .chain(new.posts.keys())
        .map(|(p, _)| p.as_str())
        .collect();
    for person in persons {
        let (a, b) = (old.bodies_of(person), new.bodies_of(person));
        for body in a.intersection(&b) {
            let k = (person.to_string(), body.to_string());
            out.extend(same_body(
                person,
                body,
                &old.posts[&k],
                &new.posts[&k],
                names,
            ));
        }
        // Left some bodies, entered others: moves, paired in name order.
        let gone: Vec<&&str> = a.difference(&b).collect();
        let came: Vec<&&str> = b.difference(&a).collect();
        for (i, body) in gone.iter().enumerate() {
            let title = old.posts[&(person.to_string(), body.to_string())][0]
                .title
                .clone();
            match came.get(i) {
                Some(to) => {
                    let to_title = new.posts[&(person.to_string(), to.to_string())][0]
                        .title
                        .clone();
                    let mut c = Change::new(Kind::Moved);
                    c.person = Some(names.person(person));
                    c.from_body = Some(names.body(body));
                    c.to_body = Some(names.body(to));
                    c.from_title = Some(title);
                    c.to_title = Some(to_title);
                    out.push(c);
                }
                None => {
                    let mut c = Change::new(Kind::Left);
                    c.person = Some(names.person(person));
                    c.body = Some(names.body(body));
                    c.from_title = Some(title);
                    out.push(c);
                }
            }
        }
        for body in came.iter().skip(gone.len()) {
            let mut c = Change::new(Kind::Entered);
            c.person = Some(names.person(person));
            c.body = Some(names.body(body));
            c.to_title = Some(
                new.posts[&(person.to_string(), body.to_string())][0]
                    .title
                    .clone(),
            );
            out.push(c);
        }
    }
    out.extend(successions(old, new, names));
    out
}

/// Same person, same body: re-elected to the same title, or promoted, demoted, re-titled.
fn same_body(
    person: &str,
    body: &str,
    old: &[&Holding],
    new: &[&Holding],
    names: &Names,
) -> Vec<Change> {
    let titles = |v: &[&Holding]| {
        v.iter()
            .map(|h| h.title.clone())
            .collect::<BTreeSet<String>>()
    };
    let (ta, tb) = (titles(old), titles(new));
    let mut out = Vec::new();
    let mut c = Change::new(Kind::Reelected);
    c.person = Some(names.person(person));
    c.body = Some(names.body(body));
    for t in ta.intersection(&tb) {
        let ids = |v: &[&Holding]| {
            v.iter()
                .filter(|h| &h.title == t)
                .map(|h| h.id.clone())
                .collect::<BTreeSet<_>>()
        };
        // The very same holding on both sides is no change; another term's holding is.
        if ids(old) != ids(new) {
            let mut r = c.clone();
            r.from_title = Some(t.clone());
            r.to_title = Some(t.clone());
            out.push(r);
        }
    }
    let (top_a, top_b) = (old[0], new[0]);
    if ta != tb && top_a.title != top_b.title {
        let kind = match top_b.rank.cmp(&top_a.rank) {
            std::cmp::Ordering::Greater => Kind::Promoted,
            std::cmp::Ordering::Less => Kind::Demoted,
            std::cmp::Ordering::Equal => Kind::Retitled,
        };
        let mut p = c.clone();
        p.change = kind;
        p.from_title = Some(top_a.title.clone());
        p.to_title = Some(top_b.title.clone());
        out.push(p);
    }
    out
}

/// Titles up to this rank ("Ủy viên") are seats among many, not posts one succeeds to.
const MEMBER_RANK: u32 = 40;

/// A post (body, title) held by someone before and by someone else after.
fn successions(old: &Side, new: &Side, names: &Names) -> Vec<Change> {
    let holders = |side: &Side| {
        let mut m: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for ((person, body), hs) in &side.posts {
            // Posts with one holder and their deputies; not the members of a committee.
            for h in hs.iter().filter(|h| h.rank > MEMBER_RANK) {
                m.entry((body.clone(), h.title.clone()))
                    .or_default()
                    .insert(person.clone());
            }
        }
        m
    };
    let (a, b) = (holders(old), holders(new));
    let mut out = Vec::new();
    for (post, before) in &a {
        let Some(after) = b.get(post) else { continue };
        let gone: Vec<&String> = before.difference(after).collect();
        let came: Vec<&String> = after.difference(before).collect();
        for (p, s) in gone.iter().zip(&came) {
            let mut c = Change::new(Kind::Succeeded);
            c.body = Some(names.body(&post.0));
            c.from_title = Some(post.1.clone());
            c.to_title = Some(post.1.clone());
            c.predecessor = Some(names.person(p));
            c.successor = Some(names.person(s));
            out.push(c);
        }
    }
    out
}

/// Display names of ids.
struct Names<'a> {
    persons: BTreeMap<&'a str, &'a str>,
    bodies: BTreeMap<&'a str, &'a str>,
}

impl<'a> Names<'a> {
    fn new(snapshots: &[&'a Snapshot]) -> Self {
        let mut persons = BTreeMap::new();
        let mut bodies = BTreeMap::new();
        for s in snapshots {
            persons.extend(s.persons.iter().map(|p| (p.id.as_str(), p.name.as_str())));
            bodies.extend(s.bodies.iter().map(|b| (b.id.as_str(), b.name.as_str())));
        }
        Names { persons, bodies }
    }
    fn person(&self, id: &str) -> String {
        self.persons.get(id).map_or(id, |n| n).to_string()
    }
    fn body(&self, id: &str) -> String {
        self.bodies.get(id).map_or(id, |n| n).to_string()
    }
}

fn body_filter<'a>(
    snapshots: &[&'a Snapshot],
    body: Option<&'a str>,
) -> impl Fn(&str) -> bool + 'a {
    let names = Names::new(snapshots);
    let want = body.map(crate::normalize::key);
    let bodies: BTreeMap<String, String> = names
        .bodies
        .iter()
        .map(|(k, v)| (k.to_string(), crate::normalize::key(v)))
        .collect();
    move |id: &str| match &want {
        None => true,
        Some(w) => bodies.get(id).is_some_and(|n| n.contains(w.as_str())),
    }
}

/// Changes from snapshot `old` to snapshot `new`.
pub fn diff(old: &Snapshot, new: &Snapshot, body: Option<&str>) -> Vec<Change> {
    let names = Names::new(&[old, new]);
    let keep = body_filter(&[old, new], body);
    let (a, b) = (
        Side::new(old.holdings.iter(), &keep),
        Side::new(new.holdings.iter(), &keep),
    );
    let mut out = post_changes(&a, &b, &names);
    // Nodes added and removed; holdings re-dated.
    let ids = |s: &Snapshot| -> BTreeSet<String> {
        s.persons
            .iter()
            .map(|x| x.id.clone())
            .chain(s.bodies.iter().map(|x| x.id.clone()))
            .chain(s.congresses.iter().map(|x| x.id.clone()))
            .collect()
    };
    let (ia, ib) = (ids(old), ids(new));
    for (set, kind) in [
        (ib.difference(&ia), Kind::Added),
        (ia.difference(&ib), Kind::Removed),
    ] {
        for id in set {
            if body.is_none() || keep(id) {
                let mut c = Change::new(kind);
                c.id = Some(id.clone());
                out.push(c);
            }
        }
    }
    let dated: BTreeMap<&str, &Holding> = old.holdings.iter().map(|h| (h.id.as_str(), h)).collect();
    for h in &new.holdings {
        if let Some(o) = dated.get(h.id.as_str()) {
            if (&o.start, &o.end, o.status) != (&h.start, &h.end, h.status)
                && h.body.as_deref().is_some_and(&keep)
            {
                let mut c = Change::new(Kind::Redated);
                c.id = Some(h.id.clone());
                c.person = Some(names.person(&h.person));
                out.push(c);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Changes in one snapshot from term `from` to term `to`.
pub fn diff_terms(s: &Snapshot, from: &str, to: &str, body: Option<&str>) -> Vec<Change> {
    let names = Names::new(&[s]);
    let keep = body_filter(&[s], body);
    let a = Side::new(s.holdings.iter().filter(|h| in_term(h, from)), &keep);
    let b = Side::new(s.holdings.iter().filter(|h| in_term(h, to)), &keep);
    let mut out = post_changes(&a, &b, &names);
    out.sort();
    out.dedup();
    out
}

/// Card colours for a chart of the changes: holding id → colour.
pub fn colours(old: &Snapshot, new: &Snapshot) -> BTreeMap<String, &'static str> {
    let ids = |s: &Snapshot| {
        s.holdings
            .iter()
            .filter(|h| h.status == Status::Current)
            .map(|h| h.id.clone())
            .collect::<BTreeSet<_>>()
    };
    let (a, b) = (ids(old), ids(new));
    let mut out = BTreeMap::new();
    for id in b.difference(&a) {
        out.insert(id.clone(), "#c8f0c8");
    }
    for id in a.difference(&b) {
        out.insert(id.clone(), "#f5c6c6");
    }
    out
}
