//! What changed between two snapshots, or between two terms of one: who entered a body, who
//! left, who was re-elected, promoted or demoted (titles ranked by the gazetteer), who moved to
//! another body (rotation), which post was succeeded by whom; nodes added or removed; holdings
//! re-dated. `diff(a, b)` and `diff(b, a)` are mirror images, and `diff(a, a)` is empty.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

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

/// (person, body) numbers of each holding of each list, so that sorting compares numbers, not
/// ids; none for a holding without a body. Bodies are numbered in id order (a person's moves
/// pair bodies in that order); persons in any order all lists share. Each id is looked up
/// once, here.
fn numbers(lists: &[&[Holding]]) -> Vec<Vec<Option<(u32, u32)>>> {
    let mut persons: FxHashMap<&str, u32> = FxHashMap::default();
    let mut bodies: FxHashMap<&str, u32> = FxHashMap::default();
    let mut keys: Vec<Vec<Option<(u32, u32)>>> = lists
        .iter()
        .map(|holdings| {
            // A person's holdings are mostly neighbours, often in one body: the key of the
            // last holding answers without a look-up.
            let mut last: Option<(&Holding, (u32, u32))> = None;
            holdings
                .iter()
                .map(|h| {
                    let body = h.body.as_deref()?;
                    let (person, body) = match last {
                        Some((l, (p, b))) if l.person == h.person => {
                            let b = match l.body.as_deref() == Some(body) {
                                true => b,
                                false => number(&mut bodies, body),
                            };
                            (p, b)
                        }
                        _ => (number(&mut persons, &h.person), number(&mut bodies, body)),
                    };
                    last = Some((h, (person, body)));
                    Some((person, body))
                })
                .collect()
        })
        .collect();
    // Bodies were numbered as met; renumber them in id order.
    let mut order: Vec<(&str, u32)> = bodies.into_iter().collect();
    order.sort_unstable();
    let mut rank = vec![0; order.len()];
    for (i, (_, met)) in order.iter().enumerate() {
        rank[*met as usize] = i as u32;
    }
    for key in keys.iter_mut().flatten().flatten() {
        key.1 = rank[key.1 as usize];
    }
    keys
}

/// The number of `id`, numbering it next if it has none yet.
fn number<'a>(numbers: &mut FxHashMap<&'a str, u32>, id: &'a str) -> u32 {
    let next = numbers.len() as u32;
    *numbers.entry(id).or_insert(next)
}

/// Holdings as the diff sees them: current holdings in a body, sorted by person, body, then
/// title (highest rank first) and id, so that a person's posts and the titles of a post are
/// neighbours. Everything borrows the snapshot.
struct Side<'a> {
    /// (person, body) numbers of each row.
    keys: Vec<(u32, u32)>,
    rows: Vec<&'a Holding>,
}

/// One person's posts: each body with its holdings, in body id order.
type Posts<'a, 's> = Vec<(&'a str, &'s [&'a Holding])>;

impl<'a> Side<'a> {
    /// The holdings that `keep` keeps and whose body `body` keeps; `keys` from [`numbers`].
    fn new(
        holdings: &'a [Holding],
        keys: &[Option<(u32, u32)>],
        keep: impl Fn(&Holding) -> bool,
        body: &dyn Fn(&str) -> bool,
    ) -> Self {
        let mut rows: Vec<((u32, u32), &Holding)> = holdings
            .iter()
            .zip(keys)
            .filter(|(h, _)| h.status != Status::Former && keep(h))
            .filter_map(|(h, key)| {
                h.body.as_deref().filter(|b| body(b))?;
                Some(((*key)?, h))
            })
            .collect();
        rows.sort_unstable_by(|(ka, a), (kb, b)| {
            (ka, std::cmp::Reverse(a.rank), &a.title, &a.id).cmp(&(
                kb,
                std::cmp::Reverse(b.rank),
                &b.title,
                &b.id,
            ))
        });
        let (keys, rows) = rows.into_iter().unzip();
        Side { keys, rows }
    }

    /// Each person: their number and the range of their rows.
    fn persons(&self) -> impl Iterator<Item = (u32, std::ops::Range<usize>)> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            let (person, _) = *self.keys.get(at)?;
            let end = at + self.keys[at..].partition_point(|k| k.0 == person);
            let rows = at..end;
            at = end;
            Some((person, rows))
        })
    }

    /// The posts of the rows of one person.
    fn posts(&self, rows: std::ops::Range<usize>) -> Posts<'a, '_> {
        let mut posts = Vec::new();
        let mut i = rows.start;
        while i < rows.end {
            let body = self.keys[i].1;
            let j = i + self.keys[i..rows.end].partition_point(|k| k.1 == body);
            let hs = &self.rows[i..j];
            posts.push((hs[0].body.as_deref().unwrap_or_default(), hs));
            i = j;
        }
        posts
    }

    /// The rows of a person the same on both sides (body, title and holding, row by row)? Then
    /// nothing about their posts changed.
    fn same(
        &self,
        rows: &std::ops::Range<usize>,
        other: &Side,
        theirs: &std::ops::Range<usize>,
    ) -> bool {
        rows.len() == theirs.len()
            && self.keys[rows.clone()]
                .iter()
                .zip(&other.keys[theirs.clone()])
                .all(|(x, y)| x.1 == y.1)
            && self.rows[rows.clone()]
                .iter()
                .zip(&other.rows[theirs.clone()])
                .all(|(x, y)| x.title == y.title && x.id == y.id)
    }
}

fn post_changes(old: &Side, new: &Side, names: &Names) -> Vec<Change> {
    let mut out = Vec::new();
    // Walk both sides' persons in the order of their numbers.
    let (mut a, mut b) = (old.persons().peekable(), new.persons().peekable());
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
        };
        let (x, y) = match order {
            std::cmp::Ordering::Equal => (a.next(), b.next()),
            std::cmp::Ordering::Less => (a.next(), None),
            std::cmp::Ordering::Greater => (None, b.next()),
        };
        let (x, y) = (x.map_or(0..0, |p| p.1), y.map_or(0..0, |p| p.1));
        if old.same(&x, new, &y) {
            continue;
        }
        let person = match x.is_empty() {
            true => new.rows[y.start].person.as_str(),
            false => old.rows[x.start].person.as_str(),
        };
        person_changes(person, &old.posts(x), &new.posts(y), names, &mut out);
    }
    out.extend(successions(old, new, names));
    out
}

/// One person's changes between their posts before and after.
fn person_changes(
    person: &str,
    before: &Posts<'_, '_>,
    after: &Posts<'_, '_>,
    names: &Names,
    out: &mut Vec<Change>,
) {
    let held =
        |posts: &Posts<'_, '_>, body: &str| posts.binary_search_by(|(b, _)| (*b).cmp(body)).ok();
    let mut gone = Vec::new();
    for (body, old) in before {
        match held(after, body) {
            Some(i) => out.extend(same_body(person, body, old, after[i].1, names)),
            None => gone.push((*body, old[0])),
        }
    }
    let came: Vec<(&str, &Holding)> = after
        .iter()
        .filter(|(body, _)| held(before, body).is_none())
        .map(|(body, hs)| (*body, hs[0]))
        .collect();
    // Left some bodies, entered others: moves, paired in id order.
    for (i, (body, top)) in gone.iter().enumerate() {
        let mut c = Change::new(Kind::Left);
        c.person = Some(names.person(person));
        c.from_title = Some(top.title.to_string());
        match came.get(i) {
            Some((to, to_top)) => {
                c.change = Kind::Moved;
                c.from_body = Some(names.body(body));
                c.to_body = Some(names.body(to));
                c.to_title = Some(to_top.title.to_string());
            }
            None => c.body = Some(names.body(body)),
        }
        out.push(c);
    }
    for (body, top) in came.iter().skip(gone.len()) {
        let mut c = Change::new(Kind::Entered);
        c.person = Some(names.person(person));
        c.body = Some(names.body(body));
        c.to_title = Some(top.title.to_string());
        out.push(c);
    }
}

/// Same person, same body: re-elected to the same title, or promoted, demoted, re-titled.
fn same_body<'a>(
    person: &str,
    body: &str,
    old: &[&'a Holding],
    new: &[&'a Holding],
    names: &Names,
) -> Vec<Change> {
    // Titles in name order, without repeats (a post holds one to three).
    let titles = |v: &[&'a Holding]| {
        let mut t: Vec<&str> = v.iter().map(|h| h.title.as_str()).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    let (ta, tb) = (titles(old), titles(new));
    let mut out = Vec::new();
    let change = |kind: Kind, from: &str, to: &str| {
        let mut c = Change::new(kind);
        c.person = Some(names.person(person));
        c.body = Some(names.body(body));
        c.from_title = Some(from.to_string());
        c.to_title = Some(to.to_string());
        c
    };
    for t in ta.iter().filter(|t| tb.contains(t)) {
        let ids = |v: &[&'a Holding]| {
            let mut ids: Vec<&str> = v
                .iter()
                .filter(|h| h.title == *t)
                .map(|h| h.id.as_str())
                .collect();
            ids.dedup();
            ids
        };
        // The very same holding on both sides is no change; another term's holding is.
        if ids(old) != ids(new) {
            out.push(change(Kind::Reelected, t, t));
        }
    }
    let (top_a, top_b) = (old[0], new[0]);
    if ta != tb && top_a.title != top_b.title {
        let kind = match top_b.rank.cmp(&top_a.rank) {
            std::cmp::Ordering::Greater => Kind::Promoted,
            std::cmp::Ordering::Less => Kind::Demoted,
            std::cmp::Ordering::Equal => Kind::Retitled,
        };
        out.push(change(kind, &top_a.title, &top_b.title));
    }
    out
}

/// Titles up to this rank ("Ủy viên") are seats among many, not posts one succeeds to.
const MEMBER_RANK: u32 = 40;

/// A post: the body's number and id, and the title.
type Post<'a> = (u32, &'a str, &'a str);

/// (post, person) of posts with one holder and their deputies, not committee seats; sorted, so
/// each post's holders are neighbours.
fn holders<'a>(side: &Side<'a>) -> Vec<(Post<'a>, &'a str)> {
    let mut v: Vec<(Post, &str)> = side
        .keys
        .iter()
        .zip(&side.rows)
        .filter(|(_, h)| h.rank > MEMBER_RANK)
        .map(|(&(_, body), h)| {
            let id = h.body.as_deref().unwrap_or_default();
            ((body, h.title.as_str(), id), h.person.as_str())
        })
        .collect();
    v.sort_unstable_by(|(a, pa), (b, pb)| (a.0, a.1, pa).cmp(&(b.0, b.1, pb)));
    v.dedup();
    v
}

/// Each post with its set of holders.
type Holders<'a> = Vec<(Post<'a>, BTreeSet<&'a str>)>;

fn posts<'a>(v: &[(Post<'a>, &'a str)]) -> Holders<'a> {
    v.chunk_by(|x, y| (x.0 .0, x.0 .1) == (y.0 .0, y.0 .1))
        .map(|g| (g[0].0, g.iter().map(|x| x.1).collect()))
        .collect()
}

/// A post (body, title) held by someone before and by someone else after.
fn successions(old: &Side, new: &Side, names: &Names) -> Vec<Change> {
    let (a, b) = (holders(old), holders(new));
    let after = posts(&b);
    let mut out = Vec::new();
    for (post, before) in posts(&a) {
        let Ok(i) = after.binary_search_by(|(p, _)| (p.0, p.1).cmp(&(post.0, post.1))) else {
            continue;
        };
        let after = &after[i].1;
        let gone = before.difference(after);
        let came = after.difference(&before);
        for (p, s) in gone.zip(came) {
            let mut c = Change::new(Kind::Succeeded);
            c.body = Some(names.body(post.2));
            c.from_title = Some(post.1.to_string());
            c.to_title = Some(post.1.to_string());
            c.predecessor = Some(names.person(p));
            c.successor = Some(names.person(s));
            out.push(c);
        }
    }
    out
}

/// Display names of ids.
struct Names<'a> {
    persons: FxHashMap<&'a str, &'a str>,
    bodies: FxHashMap<&'a str, &'a str>,
}

impl<'a> Names<'a> {
    fn new(snapshots: &[&'a Snapshot]) -> Self {
        let room = |f: fn(&Snapshot) -> usize| snapshots.iter().map(|s| f(s)).sum();
        let mut persons =
            FxHashMap::with_capacity_and_hasher(room(|s| s.persons.len()), FxBuildHasher);
        let mut bodies =
            FxHashMap::with_capacity_and_hasher(room(|s| s.bodies.len()), FxBuildHasher);
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
    let want = body.map(crate::normalize::key);
    // Body id → name key, only when there is a body to look for.
    let bodies: FxHashMap<&str, String> = match &want {
        None => FxHashMap::default(),
        Some(_) => snapshots
            .iter()
            .flat_map(|s| &s.bodies)
            .map(|b| (b.id.as_str(), crate::normalize::key(&b.name)))
            .collect(),
    };
    move |id: &str| match &want {
        None => true,
        Some(w) => bodies.get(id).is_some_and(|n| n.contains(w.as_str())),
    }
}

/// Holdings in id order, as a snapshot keeps them (then this costs one pass), the order of
/// equal ids kept.
fn by_id(holdings: &[Holding]) -> Vec<&Holding> {
    let mut v: Vec<&Holding> = holdings.iter().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// Changes from snapshot `old` to snapshot `new`.
pub fn diff<'s>(old: &'s Snapshot, new: &'s Snapshot, body: Option<&str>) -> Vec<Change> {
    let keep = body_filter(&[old, new], body);
    // Posts on one thread, nodes and dates (and the names all need) on the other.
    let ((a, b), (names, mut out)) = rayon::join(
        || {
            let keys = numbers(&[&old.holdings, &new.holdings]);
            rayon::join(
                || Side::new(&old.holdings, &keys[0], |_| true, &keep),
                || Side::new(&new.holdings, &keys[1], |_| true, &keep),
            )
        },
        || {
            let names = Names::new(&[old, new]);
            let mut out = node_changes(old, new, body.map(|_| &keep as &dyn Fn(&str) -> bool));
            out.extend(redated(old, new, &keep, &names));
            (names, out)
        },
    );
    out.extend(post_changes(&a, &b, &names));
    out.sort();
    out.dedup();
    out
}

/// Nodes added and removed (those `keep` keeps, when there is a filter).
fn node_changes<'s>(
    old: &'s Snapshot,
    new: &'s Snapshot,
    keep: Option<&dyn Fn(&str) -> bool>,
) -> Vec<Change> {
    let ids = |s: &'s Snapshot| -> FxHashSet<&'s str> {
        let room = s.persons.len() + s.bodies.len() + s.congresses.len();
        let mut set = FxHashSet::with_capacity_and_hasher(room, FxBuildHasher);
        set.extend(
            s.persons
                .iter()
                .map(|x| x.id.as_str())
                .chain(s.bodies.iter().map(|x| x.id.as_str()))
                .chain(s.congresses.iter().map(|x| x.id.as_str())),
        );
        set
    };
    let (ia, ib) = (ids(old), ids(new));
    let mut out = Vec::new();
    for (set, kind) in [
        (ib.difference(&ia), Kind::Added),
        (ia.difference(&ib), Kind::Removed),
    ] {
        for id in set {
            if keep.is_none_or(|keep| keep(id)) {
                let mut c = Change::new(kind);
                c.id = Some(id.to_string());
                out.push(c);
            }
        }
    }
    out
}

/// Holdings on both sides whose dates or status changed.
fn redated(
    old: &Snapshot,
    new: &Snapshot,
    keep: &dyn Fn(&str) -> bool,
    names: &Names,
) -> Vec<Change> {
    let mut out = Vec::new();
    // Holdings matched by id, both sides walked in id order.
    let (ha, hb) = (by_id(&old.holdings), by_id(&new.holdings));
    let mut i = 0;
    for h in hb {
        while ha.get(i).is_some_and(|o| o.id < h.id) {
            i += 1;
        }
        // Of old holdings with the same id, the last (as a map of them would keep).
        let same = ha[i..].iter().take_while(|o| o.id == h.id).count();
        let Some(o) = ha[i..i + same].last() else {
            continue;
        };
        if (&o.start, &o.end, o.status) != (&h.start, &h.end, h.status)
            && h.body.as_deref().is_some_and(keep)
        {
            let mut c = Change::new(Kind::Redated);
            c.id = Some(h.id.to_string());
            c.person = Some(names.person(&h.person));
            out.push(c);
        }
    }
    out
}

/// Changes in one snapshot from term `from` to term `to`.
pub fn diff_terms(s: &Snapshot, from: &str, to: &str, body: Option<&str>) -> Vec<Change> {
    let names = Names::new(&[s]);
    let keep = body_filter(&[s], body);
    let keys = numbers(&[&s.holdings]);
    let a = Side::new(&s.holdings, &keys[0], |h| in_term(h, from), &keep);
    let b = Side::new(&s.holdings, &keys[0], |h| in_term(h, to), &keep);
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
        out.insert(id.to_string(), "#c8f0c8");
    }
    for id in a.difference(&b) {
        out.insert(id.to_string(), "#f5c6c6");
    }
    out
}
