//! Nodes keyed by id, merged as they come. Every merge is a union or a minimum, so the order of
//! additions does not matter; lists are sorted and de-duplicated when the snapshot is made.
//!
//! Evidence is most of a build's memory: every mention of every fact. It is kept compact, its
//! strings (document ids, dates, rules) interned, 24 bytes a piece, and the snapshot can be
//! written straight from here ([`Accumulator::save`]) without ever holding it whole, so a
//! build's memory grows with the graph and its evidence count, not with the text read.

use rustc_hash::FxHashMap;
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use crate::error::Result;
use crate::facts::Status;
use crate::model::{
    Body, Congress, DocumentRecord, Evidence, Holding, Meeting, Person, Place, Snapshot, Text,
    SCHEMA_VERSION,
};

/// Strings stored once and named by number.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<Text, u32>,
    strings: Vec<Text>,
}

impl Interner {
    fn id(&mut self, s: &Text) -> u32 {
        if let Some(&i) = self.ids.get(s.as_str()) {
            return i;
        }
        let i = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(s.clone());
        self.ids.insert(s.clone(), i);
        i
    }

    /// String `i`, shared.
    fn get(&self, i: u32) -> Text {
        self.strings.get(i as usize).cloned().unwrap_or_default()
    }
}

/// No publication date.
const NONE: u32 = u32::MAX;
const FORMER: u8 = 1;
/// The span did not fit in 32 bits: `start` indexes [`Accumulator::wide`].
const WIDE: u8 = 2;

/// One piece of evidence as the accumulator keeps it.
#[derive(Debug, Clone, Copy)]
struct Ev {
    doc: u32,
    published: u32,
    rule: u32,
    start: u32,
    end: u32,
    flags: u8,
}

/// A node and its evidence.
struct Entry<T> {
    node: T,
    evidence: Vec<Ev>,
}

/// Nodes keyed by id, merged as they come.
#[derive(Default)]
pub struct Accumulator {
    strings: Interner,
    wide: Vec<(usize, usize)>,
    documents: Nodes<DocumentRecord>,
    persons: Nodes<Entry<Person>>,
    bodies: Nodes<Entry<Body>>,
    places: Nodes<Place>,
    holdings: Nodes<Entry<Holding>>,
    congresses: Nodes<Entry<Congress>>,
    meetings: Nodes<Entry<Meeting>>,
}

/// Nodes by id, listed in id order.
struct Nodes<T>(FxHashMap<String, T>);

impl<T> Default for Nodes<T> {
    fn default() -> Self {
        Nodes(FxHashMap::default())
    }
}

impl<T> Nodes<T> {
    /// The nodes in id order.
    fn sorted(&self) -> impl Iterator<Item = &T> {
        let mut all: Vec<(&String, &T)> = self.0.iter().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter().map(|(_, t)| t)
    }
}

impl<T> std::ops::Deref for Nodes<T> {
    type Target = FxHashMap<String, T>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Nodes<T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// Sort and deduplicate a list, as every list of a snapshot is kept.
fn normal<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

/// Merge sorted, duplicate-free `b` into sorted, duplicate-free `a`.
fn union<T: Ord + Clone>(a: &mut Vec<T>, b: &[T]) {
    let Some(first) = b.first() else { return };
    if a.last().is_none_or(|last| last < first) {
        a.extend_from_slice(b);
        return;
    }
    for x in b {
        if let Err(i) = a.binary_search(x) {
            a.insert(i, x.clone());
        }
    }
}

fn min_some<T: Ord + Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y).clone()),
        (x, y) => x.clone().or(y.clone()),
    }
}

/// A holding is past if its latest evidence says so (ties: the current reading wins).
fn status_of(evidence: &[Evidence]) -> Status {
    let latest = evidence.iter().max_by(|a, b| {
        (&a.published, !a.former, &a.doc, a.start).cmp(&(&b.published, !b.former, &b.doc, b.start))
    });
    match latest {
        Some(e) if e.former => Status::Former,
        _ => Status::Current,
    }
}

/// Insert or merge into a map of entries.
fn upsert<T>(
    map: &mut FxHashMap<String, Entry<T>>,
    id: &str,
    node: T,
    evidence: Vec<Ev>,
    merge: impl FnOnce(&mut T, T),
) {
    match map.get_mut(id) {
        Some(e) => {
            merge(&mut e.node, node);
            e.evidence.extend(evidence);
        }
        None => {
            map.insert(id.to_string(), Entry { node, evidence });
        }
    }
}

impl Accumulator {
    fn compact(&mut self, evidence: Vec<Evidence>) -> Vec<Ev> {
        let mut out = Vec::with_capacity(evidence.len());
        for e in evidence {
            let mut flags = if e.former { FORMER } else { 0 };
            let (start, end) = match (u32::try_from(e.start), u32::try_from(e.end)) {
                (Ok(s), Ok(t)) => (s, t),
                _ => {
                    flags |= WIDE;
                    self.wide.push((e.start, e.end));
                    (u32::try_from(self.wide.len() - 1).unwrap_or(u32::MAX), 0)
                }
            };
            out.push(Ev {
                doc: self.strings.id(&e.doc),
                published: e.published.as_ref().map_or(NONE, |p| self.strings.id(p)),
                rule: self.strings.id(&e.rule),
                start,
                end,
                flags,
            });
        }
        out
    }

    /// The evidence of a node as a snapshot lists it: sorted, without duplicates.
    fn expand(&self, evidence: &[Ev]) -> Vec<Evidence> {
        let list = evidence
            .iter()
            .map(|e| {
                let (start, end) = if e.flags & WIDE != 0 {
                    self.wide[e.start as usize]
                } else {
                    (e.start as usize, e.end as usize)
                };
                Evidence {
                    doc: self.strings.get(e.doc),
                    start,
                    end,
                    published: (e.published != NONE).then(|| self.strings.get(e.published)),
                    rule: self.strings.get(e.rule),
                    former: e.flags & FORMER != 0,
                }
            })
            .collect();
        normal(list)
    }

    /// Add every node of a snapshot.
    pub fn add_snapshot(&mut self, s: Snapshot) {
        s.documents.into_iter().for_each(|d| self.add_document(d));
        s.persons.into_iter().for_each(|p| self.add_person(p));
        s.bodies.into_iter().for_each(|b| self.add_body(b));
        s.places.into_iter().for_each(|p| self.add_place(p));
        s.holdings.into_iter().for_each(|h| self.add_holding(h));
        s.congresses.into_iter().for_each(|c| self.add_congress(c));
        s.meetings.into_iter().for_each(|m| self.add_meeting(m));
    }

    pub(crate) fn add_document(&mut self, d: DocumentRecord) {
        self.documents
            .entry(d.id.to_string())
            .and_modify(|x| *x = x.clone().min(d.clone()))
            .or_insert(d);
    }

    pub(crate) fn add_person(&mut self, mut p: Person) {
        let evidence = self.compact(std::mem::take(&mut p.evidence));
        p.aliases = normal(p.aliases);
        p.reasons = normal(p.reasons);
        let id = p.id.clone();
        upsert(&mut self.persons, &id, p, evidence, |x, p| {
            if p.name < x.name {
                x.name = p.name;
            }
            union(&mut x.aliases, &p.aliases);
            union(&mut x.reasons, &p.reasons);
        });
    }

    pub(crate) fn add_body(&mut self, mut b: Body) {
        let evidence = self.compact(std::mem::take(&mut b.evidence));
        let id = b.id.clone();
        upsert(&mut self.bodies, &id, b, evidence, |x, b| {
            if b.name < x.name {
                x.name = b.name;
            }
        });
    }

    pub(crate) fn add_place(&mut self, p: Place) {
        self.places.entry(p.id.to_string()).or_insert(p);
    }

    pub(crate) fn add_holding(&mut self, mut h: Holding) {
        let evidence = self.compact(std::mem::take(&mut h.evidence));
        let id = h.id.clone();
        upsert(&mut self.holdings, &id, h, evidence, |x, h| {
            x.elected_at = min_some(&x.elected_at, &h.elected_at);
            x.start = min_some(&x.start, &h.start);
            x.end = match (&x.end, &h.end) {
                (Some(a), Some(b)) => Some(a.max(b).clone()),
                (a, b) => a.clone().or(b.clone()),
            };
        });
    }

    pub(crate) fn set_elected(&mut self, holding: &str, congress: &str, dates: Option<&str>) {
        if let Some(e) = self.holdings.get_mut(holding) {
            let h = &mut e.node;
            h.elected_at = min_some(&h.elected_at, &Some(congress.into()));
            let start = dates.map(|d| Text::from(d.split('/').next().unwrap_or(d)));
            h.start = min_some(&h.start, &start);
        }
    }

    pub(crate) fn add_congress(&mut self, mut c: Congress) {
        let evidence = self.compact(std::mem::take(&mut c.evidence));
        c.elected = normal(c.elected);
        c.chairs = normal(c.chairs);
        let id = c.id.clone();
        upsert(&mut self.congresses, &id, c, evidence, |x, c| {
            x.term = min_some(&x.term, &c.term);
            x.ordinal = min_some(&x.ordinal, &c.ordinal);
            x.dates = min_some(&x.dates, &c.dates);
            x.delegates = match (x.delegates, c.delegates) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            union(&mut x.elected, &c.elected);
            union(&mut x.chairs, &c.chairs);
        });
    }

    pub(crate) fn add_congress_chair(&mut self, congress: &str, person: &str) {
        if let Some(e) = self.congresses.get_mut(congress) {
            union(&mut e.node.chairs, &[person.into()]);
        }
    }

    pub(crate) fn add_meeting(&mut self, mut m: Meeting) {
        let evidence = self.compact(std::mem::take(&mut m.evidence));
        m.chairs = normal(m.chairs);
        let id = m.id.clone();
        upsert(&mut self.meetings, &id, m, evidence, |x, m| {
            if m.name < x.name {
                x.name = m.name;
            }
            union(&mut x.chairs, &m.chairs);
        });
    }

    fn person(&self, e: &Entry<Person>) -> Person {
        Person {
            evidence: self.expand(&e.evidence),
            ..e.node.clone()
        }
    }

    fn body(&self, e: &Entry<Body>) -> Body {
        Body {
            evidence: self.expand(&e.evidence),
            ..e.node.clone()
        }
    }

    fn holding(&self, e: &Entry<Holding>) -> Holding {
        let evidence = self.expand(&e.evidence);
        Holding {
            status: status_of(&evidence),
            evidence,
            ..e.node.clone()
        }
    }

    fn congress(&self, e: &Entry<Congress>) -> Congress {
        Congress {
            evidence: self.expand(&e.evidence),
            ..e.node.clone()
        }
    }

    fn meeting(&self, e: &Entry<Meeting>) -> Meeting {
        Meeting {
            evidence: self.expand(&e.evidence),
            ..e.node.clone()
        }
    }

    /// The snapshot, every list sorted by id.
    pub fn finish(self) -> Snapshot {
        Snapshot {
            documents: self.documents.sorted().cloned().collect(),
            persons: self.persons.sorted().map(|e| self.person(e)).collect(),
            bodies: self.bodies.sorted().map(|e| self.body(e)).collect(),
            places: self.places.sorted().cloned().collect(),
            holdings: self.holdings.sorted().map(|e| self.holding(e)).collect(),
            congresses: self.congresses.sorted().map(|e| self.congress(e)).collect(),
            meetings: self.meetings.sorted().map(|e| self.meeting(e)).collect(),
            ..Snapshot::default()
        }
    }

    /// Node counts: documents, persons, bodies, places, holdings, congresses, meetings.
    pub fn counts(&self) -> [usize; 7] {
        [
            self.documents.len(),
            self.persons.len(),
            self.bodies.len(),
            self.places.len(),
            self.holdings.len(),
            self.congresses.len(),
            self.meetings.len(),
        ]
    }

    /// Write the snapshot to `path` atomically, node by node: byte for byte what saving
    /// [`Accumulator::finish`] writes, without holding the snapshot in memory.
    pub fn save(&self, path: &std::path::Path) -> Result<()> {
        crate::snapshot::save_value(path, &View(self))
    }
}

/// The accumulator seen as a snapshot, for serialisation.
struct View<'a>(&'a Accumulator);

/// A list serialised from an iterator made on demand.
struct Seq<F>(usize, F);

impl<F, I, T> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator<Item = T>,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0))?;
        for x in (self.1)() {
            seq.serialize_element(&x)?;
        }
        seq.end()
    }
}

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let a = self.0;
        // The fields of `Snapshot`, in its order.
        let mut st = s.serialize_struct("Snapshot", 8)?;
        st.serialize_field("schema", &SCHEMA_VERSION)?;
        st.serialize_field(
            "documents",
            &Seq(a.documents.len(), || a.documents.sorted()),
        )?;
        let persons = || a.persons.sorted().map(|e| a.person(e));
        st.serialize_field("persons", &Seq(a.persons.len(), persons))?;
        let bodies = || a.bodies.sorted().map(|e| a.body(e));
        st.serialize_field("bodies", &Seq(a.bodies.len(), bodies))?;
        st.serialize_field("places", &Seq(a.places.len(), || a.places.sorted()))?;
        let holdings = || a.holdings.sorted().map(|e| a.holding(e));
        st.serialize_field("holdings", &Seq(a.holdings.len(), holdings))?;
        let congresses = || a.congresses.sorted().map(|e| a.congress(e));
        st.serialize_field("congresses", &Seq(a.congresses.len(), congresses))?;
        let meetings = || a.meetings.sorted().map(|e| a.meeting(e));
        st.serialize_field("meetings", &Seq(a.meetings.len(), meetings))?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(doc: &str, start: usize, former: bool) -> Evidence {
        Evidence {
            doc: doc.into(),
            start,
            end: start + 3,
            published: Some(format!("2020-01-0{}", start % 9 + 1).into()),
            rule: "r".into(),
            former,
        }
    }

    #[test]
    fn evidence_round_trips_compact_and_wide() {
        let mut acc = Accumulator::default();
        let list = vec![
            ev("b", 7, false),
            ev("a", usize::MAX - 5, true),
            ev("a", 7, false),
            ev("a", 7, false),
        ];
        let compact = acc.compact(list.clone());
        assert_eq!(compact.len(), 4);
        assert_eq!(acc.expand(&compact), normal(list));
    }

    #[test]
    fn streamed_snapshot_is_the_finished_one() {
        let mut acc = Accumulator::default();
        for (i, doc) in ["d2", "d1", "d2"].iter().enumerate() {
            acc.add_person(Person {
                id: "person/a".into(),
                name: format!("A{i}").into(),
                aliases: vec![format!("A{i}").into()],
                anchor: "X".into(),
                reasons: vec![],
                evidence: vec![ev(doc, i, i == 2)],
            });
            acc.add_holding(Holding {
                id: "holding/a".into(),
                person: "person/a".into(),
                title: "Bí thư".into(),
                rank: 90,
                body: None,
                term: None,
                start: None,
                end: None,
                status: Status::Current,
                elected_at: None,
                evidence: vec![ev(doc, i, i == 2)],
            });
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.ron");
        acc.save(&path).unwrap();
        let streamed = std::fs::read_to_string(&path).unwrap();
        let s = acc.finish();
        assert_eq!(streamed, crate::snapshot::to_ron(&s));
        // The binary copy written beside it, from the same stream, reads as the same snapshot.
        assert_eq!(crate::snapshot::load_copy(&path).as_ref(), Some(&s));
        assert_eq!(s.persons[0].name, "A0");
        assert_eq!(s.persons[0].evidence.len(), 3);
        // The latest evidence (published 2020-01-03) reads the post as past.
        assert_eq!(s.holdings[0].status, Status::Former);
    }
}
