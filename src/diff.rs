//! What changed between two snapshots, or between two terms of one: who entered a body, who
//! left, who was re-elected, promoted or demoted (titles ranked by the gazetteer), who moved to
//! another body (rotation), which post was succeeded by whom; nodes added or removed; holdings
//! re-dated. `diff(a, b)` and `diff(b, a)` are mirror images, and `diff(a, a)` is empty.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::facts::Status;
use crate::model::{HoldingView, NodeView, Snapshot, View};
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
/// once, here, persons on one thread and bodies on another. `sizes`: about how many persons and
/// bodies there are, to make room for.
fn numbers<'a>(
    lists: &[&'a [HoldingView<'a>]],
    sizes: (usize, usize),
) -> Vec<Vec<Option<(u32, u32)>>> {
    let with_body = |h: &HoldingView<'a>| h.body.map(|_| h.person);
    let ((persons, _), (mut bodies, met)) = rayon::join(
        || number_all(lists, sizes.0, with_body),
        || number_all(lists, sizes.1, |h| h.body),
    );
    // Bodies were numbered as met; renumber them in id order.
    let mut order: Vec<(&str, u32)> = met.into_iter().collect();
    order.sort_unstable();
    let mut rank = vec![0; order.len()];
    for (i, (_, met)) in order.iter().enumerate() {
        rank[*met as usize] = i as u32;
    }
    for n in bodies.iter_mut().flatten().flatten() {
        *n = rank[*n as usize];
    }
    let pairs = persons.into_iter().zip(bodies);
    pairs
        .map(|(p, b)| p.into_iter().zip(b).map(|(p, b)| p.zip(b)).collect())
        .collect()
}

/// The number of the id `id` gives of each holding of each list (none where it gives none),
/// ids numbered as met; and the numbers. A person's holdings are mostly neighbours, often in
/// one body: a holding with its neighbour's id is answered without a look-up.
#[allow(clippy::type_complexity)]
fn number_all<'a>(
    lists: &[&'a [HoldingView<'a>]],
    room: usize,
    id: impl Fn(&HoldingView<'a>) -> Option<&'a str>,
) -> (Vec<Vec<Option<u32>>>, FxHashMap<&'a str, u32>) {
    let mut numbers = FxHashMap::with_capacity_and_hasher(room, Default::default());
    let out = lists
        .iter()
        .map(|holdings| {
            let mut last: Option<(&str, u32)> = None;
            holdings
                .iter()
                .map(|h| {
                    let id = id(h)?;
                    let n = match last {
                        Some((l, n)) if l == id => n,
                        _ => number(&mut numbers, id),
                    };
                    last = Some((id, n));
                    Some(n)
                })
                .collect()
        })
        .collect();
    (out, numbers)
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
    rows: Vec<&'a HoldingView<'a>>,
}

/// One person's posts: each body with its holdings, in body id order.
type Posts<'a, 's> = Vec<(&'a str, &'s [&'a HoldingView<'a>])>;

impl<'a> Side<'a> {
    /// The holdings that `keep` keeps and whose body `body` keeps; `keys` from [`numbers`].
    fn new(
        holdings: &'a [HoldingView<'a>],
        keys: &[Option<(u32, u32)>],
        body: &dyn Fn(&str) -> bool,
    ) -> Self {
        let mut rows: Vec<((u32, u32), &HoldingView)> = holdings
            .iter()
            .zip(keys)
            .filter(|(h, _)| h.status != Status::Former)
            .filter_map(|(h, key)| {
                h.body.filter(|b| body(b))?;
                Some(((*key)?, h))
            })
            .collect();
        rows.sort_by(|(ka, a), (kb, b)| {
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

    /// Each person of the rows `within`: their number and the range of their rows.
    fn persons(
        &self,
        within: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (u32, std::ops::Range<usize>)> + '_ {
        let mut at = within.start;
        std::iter::from_fn(move || {
            let (person, _) = *self.keys[..within.end].get(at)?;
            let end = at + self.keys[at..within.end].partition_point(|k| k.0 == person);
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
            posts.push((hs[0].body.unwrap_or_default(), hs));
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
    // The persons in two halves, split at the middle person of the old side, and the posts'
    // successions, side by side.
    let middle = old.keys.get(old.keys.len() / 2).map_or(0, |k| k.0);
    let split = |side: &Side| side.keys.partition_point(|k| k.0 < middle);
    let (a, b) = (split(old), split(new));
    let ((mut out, second), third) = rayon::join(
        || {
            rayon::join(
                || person_walk(old, new, 0..a, 0..b, names),
                || person_walk(old, new, a..old.keys.len(), b..new.keys.len(), names),
            )
        },
        || successions(old, new, names),
    );
    out.extend(second);
    out.extend(third);
    out
}

/// The changes of the persons of rows `x` of `old` and `y` of `new`.
fn person_walk(
    old: &Side,
    new: &Side,
    x: std::ops::Range<usize>,
    y: std::ops::Range<usize>,
    names: &Names,
) -> Vec<Change> {
    let mut out = Vec::new();
    // Walk both sides' persons in the order of their numbers.
    let (mut a, mut b) = (old.persons(x).peekable(), new.persons(y).peekable());
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
            true => new.rows[y.start].person,
            false => old.rows[x.start].person,
        };
        person_changes(person, &old.posts(x), &new.posts(y), names, &mut out);
    }
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
    let came: Vec<(&str, &HoldingView)> = after
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
    old: &[&'a HoldingView<'a>],
    new: &[&'a HoldingView<'a>],
    names: &Names,
) -> Vec<Change> {
    // Titles in name order, without repeats (a post holds one to three).
    let titles = |v: &[&'a HoldingView<'a>]| {
        let mut t: Vec<&str> = v.iter().map(|h| h.title).collect();
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
        let ids = |v: &[&'a HoldingView<'a>]| {
            let mut ids: Vec<&str> = v.iter().filter(|h| h.title == *t).map(|h| h.id).collect();
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
        out.push(change(kind, top_a.title, top_b.title));
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
            let id = h.body.unwrap_or_default();
            ((body, h.title, id), h.person)
        })
        .collect();
    v.sort_by(|(a, pa), (b, pb)| (a.0, a.1, pa).cmp(&(b.0, b.1, pb)));
    v.dedup();
    v
}

/// Each post with its holders, in order, each once.
type Holders<'a, 'v> = Vec<(Post<'a>, &'v [(Post<'a>, &'a str)])>;

fn posts<'a, 'v>(v: &'v [(Post<'a>, &'a str)]) -> Holders<'a, 'v> {
    v.chunk_by(|x, y| (x.0 .0, x.0 .1) == (y.0 .0, y.0 .1))
        .map(|g| (g[0].0, g))
        .collect()
}

/// The persons of `a` not in `b`, both in order, each once.
fn missing<'a, 'v>(
    a: &'v [(Post<'a>, &'a str)],
    b: &'v [(Post<'a>, &'a str)],
) -> impl Iterator<Item = &'a str> + use<'a, 'v> {
    let mut j = 0;
    a.iter().map(|x| x.1).filter(move |p| {
        while j < b.len() && b[j].1 < *p {
            j += 1;
        }
        b.get(j).is_none_or(|y| y.1 != *p)
    })
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
        let after = after[i].1;
        for (p, s) in missing(before, after).zip(missing(after, before)) {
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

/// A list of nodes or holdings looked up by id: the list itself when it is in id order, as a
/// snapshot keeps it, else an index of it sorted by id (the order of equal ids kept).
struct ById<'a, T> {
    items: &'a [T],
    order: Option<Vec<usize>>,
    id: fn(&T) -> &str,
}

impl<'a, T> ById<'a, T> {
    fn new(items: &'a [T], id: fn(&T) -> &str) -> Self {
        let order = match items.is_sorted_by(|a, b| id(a) <= id(b)) {
            true => None,
            false => {
                let mut order: Vec<usize> = (0..items.len()).collect();
                order.sort_by(|&a, &b| id(&items[a]).cmp(id(&items[b])));
                Some(order)
            }
        };
        ById { items, order, id }
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    /// The `i`-th in id order.
    fn at(&self, i: usize) -> &'a T {
        match &self.order {
            None => &self.items[i],
            Some(order) => &self.items[order[i]],
        }
    }

    fn id_at(&self, i: usize) -> &'a str {
        (self.id)(self.at(i))
    }

    /// The last with id `id`.
    fn get(&self, id: &str) -> Option<&'a T> {
        let end = self.partition(|x| x <= id);
        (end > 0 && self.id_at(end - 1) == id).then(|| self.at(end - 1))
    }

    /// How many come first in id order: those whose id `before` holds for.
    fn partition(&self, before: impl Fn(&str) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match before(self.id_at(mid)) {
                true => lo = mid + 1,
                false => hi = mid,
            }
        }
        lo
    }

    /// The ids in order, each once.
    fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        let mut last: Option<&str> = None;
        (0..self.len()).map(|i| self.id_at(i)).filter(move |id| {
            let new = last != Some(*id);
            last = Some(id);
            new
        })
    }
}

/// Display names of ids: the newest snapshot that names one wins.
struct Names<'a> {
    persons: Vec<ById<'a, NodeView<'a>>>,
    bodies: Vec<ById<'a, NodeView<'a>>>,
}

impl<'a> Names<'a> {
    fn new(snapshots: &[&'a View<'a>]) -> Self {
        Names {
            persons: snapshots
                .iter()
                .rev()
                .map(|s| ById::new(&s.persons, |p| p.id))
                .collect(),
            bodies: snapshots
                .iter()
                .rev()
                .map(|s| ById::new(&s.bodies, |b| b.id))
                .collect(),
        }
    }
    fn person(&self, id: &str) -> String {
        let name = self.persons.iter().find_map(|l| l.get(id));
        name.map_or(id, |p| p.name).to_string()
    }
    fn body(&self, id: &str) -> String {
        let name = self.bodies.iter().find_map(|l| l.get(id));
        name.map_or(id, |b| b.name).to_string()
    }
}

fn body_filter<'a>(snapshots: &[&View<'a>], body: Option<&'a str>) -> impl Fn(&str) -> bool + 'a {
    let want = body.map(crate::normalize::key);
    // Body id → name key, only when there is a body to look for.
    let bodies: FxHashMap<&str, String> = match &want {
        None => FxHashMap::default(),
        Some(_) => snapshots
            .iter()
            .flat_map(|s| &s.bodies)
            .map(|b| (b.id, crate::normalize::key(b.name)))
            .collect(),
    };
    move |id: &str| match &want {
        None => true,
        Some(w) => bodies.get(id).is_some_and(|n| n.contains(w.as_str())),
    }
}

/// Changes from snapshot `old` to snapshot `new`.
pub fn diff(old: &Snapshot, new: &Snapshot, body: Option<&str>) -> Vec<Change> {
    diff_views(&View::from(old), &View::from(new), body)
}

/// [`diff`] of two snapshots' views, as [`crate::snapshot::with_views`] reads them.
pub fn diff_views(old: &View, new: &View, body: Option<&str>) -> Vec<Change> {
    let keep = body_filter(&[old, new], body);
    // Posts on one thread, nodes and dates (and the names all need) on the other.
    let ((a, b), (names, mut out)) = rayon::join(
        || {
            let most = |a: usize, b: usize| a.max(b) + a.max(b) / 8;
            let sizes = (
                most(old.persons.len(), new.persons.len()),
                most(old.bodies.len(), new.bodies.len()),
            );
            let keys = numbers(&[&old.holdings, &new.holdings], sizes);
            rayon::join(
                || Side::new(&old.holdings, &keys[0], &keep),
                || Side::new(&new.holdings, &keys[1], &keep),
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

/// Nodes added and removed (those `keep` keeps, when there is a filter): persons, bodies and
/// congresses, each list walked in id order on both sides.
fn node_changes(old: &View, new: &View, keep: Option<&dyn Fn(&str) -> bool>) -> Vec<Change> {
    fn walk<T>(
        a: &[T],
        b: &[T],
        id: fn(&T) -> &str,
        keep: Option<&dyn Fn(&str) -> bool>,
    ) -> Vec<Change> {
        let (a, b) = (ById::new(a, id), ById::new(b, id));
        let (mut a, mut b) = (a.ids().peekable(), b.ids().peekable());
        let mut out = Vec::new();
        loop {
            let (kind, id) = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(x), Some(y)) if x == y => {
                    a.next();
                    b.next();
                    continue;
                }
                (Some(x), Some(y)) if x < y => (Kind::Removed, a.next()),
                (Some(_), None) => (Kind::Removed, a.next()),
                _ => (Kind::Added, b.next()),
            };
            if let Some(id) = id.filter(|id| keep.is_none_or(|keep| keep(id))) {
                let mut c = Change::new(kind);
                c.id = Some(id.to_string());
                out.push(c);
            }
        }
        out
    }
    let mut out = walk(&old.persons, &new.persons, |p| p.id, keep);
    out.extend(walk(&old.bodies, &new.bodies, |b| b.id, keep));
    out.extend(walk(&old.congresses, &new.congresses, |c| c, keep));
    out
}

/// Holdings on both sides whose dates or status changed.
fn redated(old: &View, new: &View, keep: &dyn Fn(&str) -> bool, names: &Names) -> Vec<Change> {
    let mut out = Vec::new();
    // Holdings matched by id, both sides walked in id order.
    let ha = ById::new(&old.holdings, |h| h.id);
    let hb = ById::new(&new.holdings, |h| h.id);
    let mut i = 0;
    for h in (0..hb.len()).map(|k| hb.at(k)) {
        while i < ha.len() && ha.id_at(i) < h.id {
            i += 1;
        }
        // Of old holdings with the same id, the last (as a map of them would keep).
        let same = (i..ha.len()).take_while(|&k| ha.id_at(k) == h.id).count();
        if same == 0 {
            continue;
        }
        let o = ha.at(i + same - 1);
        if (&o.start, &o.end, o.status) != (&h.start, &h.end, h.status) && h.body.is_some_and(keep)
        {
            let mut c = Change::new(Kind::Redated);
            c.id = Some(h.id.to_string());
            c.person = Some(names.person(h.person));
            out.push(c);
        }
    }
    out
}

/// Changes in one snapshot from term `from` to term `to`.
pub fn diff_terms(s: &Snapshot, from: &str, to: &str, body: Option<&str>) -> Vec<Change> {
    let view = View::from(s);
    let names = Names::new(&[&view]);
    let keep = body_filter(&[&view], body);
    let in_term = |term: &str| -> Vec<HoldingView> {
        let holdings = s.holdings.iter().filter(|h| in_term(h, term));
        holdings.map(HoldingView::from).collect()
    };
    let (from, to) = (in_term(from), in_term(to));
    let keys = numbers(&[&from, &to], (s.persons.len(), s.bodies.len()));
    let a = Side::new(&from, &keys[0], &keep);
    let b = Side::new(&to, &keys[1], &keep);
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
