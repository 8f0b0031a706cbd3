//! The knowledge graph: per-document facts turned into nodes with stable ids, merged across
//! documents, and viewed as a petgraph graph.
//!
//! Merging is conservative and explained. A body is one node wherever it is named, unless its
//! place is unknown ("Đảng ủy Khối các cơ quan tỉnh" with no province): then it belongs to its
//! document. A person is identified by name and anchor (the province of their posts, "Trung ương"
//! for central posts, else the document), never by name alone; the reasons for each merge are
//! kept. Every merge is a union keyed by id, so building from shards and merging the shards gives
//! the same snapshot as one build over everything.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::extract::parse::{BodyPhrase, Parser};
use crate::extract::resolve::effective_level;
use crate::facts::{Extraction, Status};
use crate::gazetteer::{BodyKind, Gazetteer, Level, Tail};
use crate::model::{
    slug, Body, Congress, DocumentRecord, Evidence, Holding, Meeting, Person, Place, Snapshot,
};
use crate::normalize::key;
use crate::segment::tokenize;

/// Builds snapshot fragments from extractions.
pub struct Builder<'a> {
    g: &'a Gazetteer,
}

/// What a body name says once parsed: level, place, parent and kind.
struct ParsedBody {
    kind: BodyKind,
    level: Option<Level>,
    place: Option<String>,
    parent: Option<String>,
}

impl<'a> Builder<'a> {
    pub fn new(g: &'a Gazetteer) -> Self {
        Builder { g }
    }

    /// The snapshot of one document's facts.
    pub fn document(&self, x: &Extraction) -> Snapshot {
        let mut acc = Accumulator::default();
        let Some(info) = &x.info else {
            return acc.finish();
        };
        let doc = info.doc.as_str();
        let ev = |start: usize, end: usize, rule: &str, former: bool| Evidence {
            doc: doc.to_string(),
            start,
            end,
            published: info.published.clone(),
            rule: rule.to_string(),
            former,
        };
        acc.add_document(DocumentRecord {
            id: doc.to_string(),
            published: info.published.clone(),
            province: info.province.clone(),
            url: info.url.clone(),
        });
        let province = info.province.as_deref();
        // Anchor each person by the place of their posts in this document.
        let mut anchors: HashMap<String, String> = HashMap::new();
        for h in &x.holdings {
            let anchor = self.anchor(h.body.as_deref(), province, doc);
            let entry = anchors
                .entry(key(&h.person))
                .or_insert_with(|| anchor.clone());
            if entry.starts_with("doc:") || (entry == "Trung ương" && !anchor.starts_with("doc:"))
            {
                *entry = anchor;
            }
        }
        let person_id = |name: &str, anchors: &HashMap<String, String>| {
            let anchor = anchors
                .get(&key(name))
                .cloned()
                .unwrap_or_else(|| province.map_or(format!("doc:{doc}"), str::to_string));
            (format!("person/{}@{}", slug(name), slug(&anchor)), anchor)
        };
        let mut holding_ids: HashMap<(String, String, String), String> = HashMap::new();
        for h in &x.holdings {
            let (pid, anchor) = person_id(&h.person, &anchors);
            let e = ev(
                h.evidence.start,
                h.evidence.end,
                &h.evidence.rule,
                h.status == Status::Former,
            );
            acc.add_person(Person {
                id: pid.clone(),
                name: h.person.clone(),
                aliases: vec![h.person.clone()],
                anchor: anchor.clone(),
                reasons: vec![format!("same name, anchored in {anchor}")],
                evidence: vec![e.clone()],
            });
            let body = h
                .body
                .as_deref()
                .map(|b| self.add_body(&mut acc, b, province, doc, &e));
            let rank = self.g.title_named(&h.title).map_or(0, |t| t.rank);
            let id = format!(
                "holding/{pid}/{}/{}/{}",
                slug(&h.title),
                body.as_deref().unwrap_or("-"),
                h.term.as_deref().unwrap_or("-")
            );
            holding_ids.insert(
                (
                    key(&h.person),
                    key(&h.title),
                    key(h.body.as_deref().unwrap_or("")),
                ),
                id.clone(),
            );
            acc.add_holding(Holding {
                id,
                person: pid,
                title: h.title.clone(),
                rank,
                body,
                term: h.term.clone(),
                start: None,
                end: None,
                status: h.status,
                elected_at: None,
                evidence: vec![e],
            });
        }
        let mut congress_ids = Vec::new();
        for c in &x.congresses {
            let e = ev(c.evidence.start, c.evidence.end, &c.evidence.rule, false);
            let body = self.add_body(&mut acc, &c.body, province, doc, &e);
            let id = match (c.ordinal, &c.term) {
                (Some(o), _) => format!("congress/{body}/{o}"),
                (None, Some(t)) => format!("congress/{body}/term-{t}"),
                (None, None) => format!("congress/{body}/{doc}"),
            };
            let mut elected = Vec::new();
            for el in &c.elected {
                let k = (
                    key(&el.person),
                    key(&el.title),
                    key(el.body.as_deref().unwrap_or("")),
                );
                if let Some(hid) = holding_ids.get(&k) {
                    elected.push(hid.clone());
                    acc.set_elected(hid, &id, c.dates.as_deref());
                }
            }
            if !c.body.starts_with("Đảng Cộng sản") {
                congress_ids.push(id.clone());
            }
            acc.add_congress(Congress {
                id,
                body,
                ordinal: c.ordinal,
                term: c.term.clone(),
                dates: c.dates.clone(),
                delegates: c.delegates,
                elected,
                chairs: Vec::new(),
                evidence: vec![e],
            });
        }
        for ch in &x.chairs {
            let e = ev(ch.evidence.start, ch.evidence.end, "chair", false);
            let (pid, anchor) = person_id(&ch.person, &anchors);
            acc.add_person(Person {
                id: pid.clone(),
                name: ch.person.clone(),
                aliases: vec![ch.person.clone()],
                anchor: anchor.clone(),
                reasons: vec![format!("same name, anchored in {anchor}")],
                evidence: vec![e.clone()],
            });
            // A chaired congress or one of its sessions ("phiên bế mạc") in an article on it.
            let event = key(&ch.event);
            let of_congress = event.contains("đại hội") || event.starts_with("phiên");
            let congress = of_congress.then(|| congress_ids.first()).flatten();
            match congress {
                Some(cid) => acc.add_congress_chair(cid, &pid),
                None => {
                    let name: String = ch.event.chars().take(160).collect();
                    let short: String = slug(&name).chars().take(60).collect();
                    acc.add_meeting(Meeting {
                        id: format!("meeting/{short}/{}", ch.date.as_deref().unwrap_or(doc)),
                        name,
                        date: ch.date.clone(),
                        body: None,
                        chairs: vec![pid],
                        evidence: vec![e],
                    });
                }
            }
        }
        acc.finish()
    }

    /// Where a person is anchored by one of their posts: the province of its body, "Trung ương"
    /// for a central body, else the document's province, else the document.
    fn anchor(&self, body: Option<&str>, province: Option<&str>, doc: &str) -> String {
        let parsed = body.and_then(|b| self.parse(b));
        match parsed {
            Some(p) if p.level == Some(Level::Central) => "Trung ương".to_string(),
            Some(ParsedBody {
                place: Some(place),
                level: Some(Level::Province),
                ..
            }) => place,
            _ => province.map_or(format!("doc:{doc}"), str::to_string),
        }
    }

    /// Parse a body name with the extractor's grammar.
    fn parse(&self, name: &str) -> Option<ParsedBody> {
        let norm = self.g.normalizer().normalize(name);
        let tokens = tokenize(norm.text());
        let words: Vec<&str> = tokens.iter().map(|t| t.text(norm.lower())).collect();
        let matches = self.g.matches(&words);
        let p = Parser {
            g: self.g,
            text: norm.text(),
            tokens: &tokens,
            words: &words,
            matches: &matches,
            limit: tokens.len(),
        };
        let b = p.body_at(0, 0)?;
        let def = &self.g.bodies[b.head as usize];
        let (level, place) = level_and_place(self.g, &b);
        let parent = match (&b.parent, &def.level_word, def.tail) {
            (Some(parent), _, _) => Some(crate::extract::parse::render(self.g, parent)),
            // "Tỉnh ủy X" is the committee of "Đảng bộ tỉnh X"; "Đảng ủy X" of "Đảng bộ X".
            (None, Some(word), Tail::Place) => {
                b.place.as_ref().map(|p| format!("Đảng bộ {word} {p}"))
            }
            (None, _, Tail::Org) if def.name == "Đảng ủy" && !b.is_bare() => {
                let full = crate::extract::parse::render(self.g, &b);
                full.strip_prefix("Đảng ủy")
                    .map(|rest| format!("Đảng bộ{rest}"))
            }
            _ => None,
        };
        Some(ParsedBody {
            kind: def.kind,
            level,
            place,
            parent,
        })
    }

    /// Add a body, its place and its parents; returns the body id.
    fn add_body(
        &self,
        acc: &mut Accumulator,
        name: &str,
        province: Option<&str>,
        doc: &str,
        e: &Evidence,
    ) -> String {
        let parsed = self.parse(name);
        let level = parsed.as_ref().and_then(|p| p.level);
        let place = parsed.as_ref().and_then(|p| p.place.clone());
        let place_province = place
            .as_deref()
            .and_then(|p| self.g.province_of_district(p))
            .map(str::to_string)
            .or_else(|| province.map(str::to_string));
        // Unplaced regional bodies belong to their document; district and commune bodies to
        // their province (commune names repeat across the country).
        let scope = match (level, &place) {
            (None | Some(Level::Central), _) => String::new(),
            (Some(_), None) => format!("@doc:{doc}"),
            (Some(Level::Province), Some(_)) => String::new(),
            (Some(Level::City), Some(p)) if self.is_province(p) => String::new(),
            (Some(_), Some(_)) => match &place_province {
                Some(p) => format!("@{}", slug(p)),
                None => format!("@doc:{doc}"),
            },
        };
        let id = format!("body/{}{scope}", slug(name));
        let place_id = place
            .as_ref()
            .map(|p| self.add_place(acc, p, level, place_province.as_deref(), doc));
        let parent = parsed
            .as_ref()
            .and_then(|p| p.parent.clone())
            .filter(|p| key(p) != key(name))
            .map(|p| self.add_body(acc, &p, province, doc, e));
        let (valid_from, valid_to) = self.validity(place.as_deref(), level);
        acc.add_body(Body {
            id: id.clone(),
            name: name.to_string(),
            kind: parsed.as_ref().map_or(BodyKind::Other, |p| p.kind),
            level,
            place: place_id,
            parent,
            valid_from,
            valid_to,
            evidence: vec![e.clone()],
        });
        id
    }

    fn is_province(&self, name: &str) -> bool {
        self.g.provinces.iter().any(|p| p.name == name)
    }

    /// Validity of a body from its place: provinces merged in 2025 and districts (abolished on
    /// 1 July 2025) end on 30 June 2025.
    fn validity(
        &self,
        place: Option<&str>,
        level: Option<Level>,
    ) -> (Option<String>, Option<String>) {
        if let Some(p) = place.and_then(|p| self.g.provinces.iter().find(|x| x.name == p)) {
            return (p.valid_from.clone(), p.valid_to.clone());
        }
        match level {
            Some(Level::District) => (None, Some("2025-06-30".to_string())),
            _ => (None, None),
        }
    }

    fn add_place(
        &self,
        acc: &mut Accumulator,
        name: &str,
        level: Option<Level>,
        province: Option<&str>,
        doc: &str,
    ) -> String {
        if let Some(p) = self.g.provinces.iter().find(|p| p.name == name) {
            let id = format!("place/{}", slug(name));
            acc.add_place(Place {
                id: id.clone(),
                name: p.name.clone(),
                level: Level::Province,
                kind: Some(p.kind),
                province: None,
                valid_from: p.valid_from.clone(),
                valid_to: p.valid_to.clone(),
                successor: p.successor.as_ref().map(|s| format!("place/{}", slug(s))),
            });
            return id;
        }
        let district = self.g.districts.iter().find(|d| d.name == name);
        let level = if district.is_some() && level != Some(Level::Commune) {
            Level::District
        } else {
            level.unwrap_or(Level::Commune)
        };
        let scope = province.map_or(format!("doc:{doc}"), slug);
        let id = format!("place/{}@{scope}", slug(name));
        acc.add_place(Place {
            id: id.clone(),
            name: name.to_string(),
            level,
            kind: district
                .map(|d| d.kind)
                .filter(|_| level == Level::District),
            province: province.map(|p| format!("place/{}", slug(p))),
            valid_from: None,
            valid_to: (level == Level::District).then(|| "2025-06-30".to_string()),
            successor: None,
        });
        id
    }
}

/// The level and place a body stands at, looking through its parents.
fn level_and_place(g: &Gazetteer, b: &BodyPhrase) -> (Option<Level>, Option<String>) {
    if b.place.is_some() {
        return (effective_level(g, b), b.place.clone());
    }
    match &b.parent {
        Some(p) => {
            let (l, place) = level_and_place(g, p);
            (l.or(effective_level(g, b)), place)
        }
        None => (effective_level(g, b), None),
    }
}

/// Nodes keyed by id, merged as they come. Every merge is a union or a minimum, so the order of
/// additions does not matter.
#[derive(Default)]
pub struct Accumulator {
    documents: BTreeMap<String, DocumentRecord>,
    persons: BTreeMap<String, Person>,
    bodies: BTreeMap<String, Body>,
    places: BTreeMap<String, Place>,
    holdings: BTreeMap<String, Holding>,
    congresses: BTreeMap<String, Congress>,
    meetings: BTreeMap<String, Meeting>,
}

/// Sort and deduplicate a list, as every list of the accumulator is kept.
fn normal<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

/// Merge sorted, duplicate-free `b` into sorted, duplicate-free `a`. Evidence mostly arrives in
/// order, so appending is the common case.
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

impl Accumulator {
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

    fn add_document(&mut self, d: DocumentRecord) {
        self.documents
            .entry(d.id.clone())
            .and_modify(|x| *x = x.clone().min(d.clone()))
            .or_insert(d);
    }

    fn add_person(&mut self, mut p: Person) {
        p.aliases = normal(p.aliases);
        p.reasons = normal(p.reasons);
        p.evidence = normal(p.evidence);
        match self.persons.get_mut(&p.id) {
            Some(x) => {
                x.name = x.name.clone().min(p.name);
                union(&mut x.aliases, &p.aliases);
                union(&mut x.reasons, &p.reasons);
                union(&mut x.evidence, &p.evidence);
            }
            None => {
                self.persons.insert(p.id.clone(), p);
            }
        }
    }

    fn add_body(&mut self, mut b: Body) {
        b.evidence = normal(b.evidence);
        match self.bodies.get_mut(&b.id) {
            Some(x) => {
                x.name = x.name.clone().min(b.name);
                union(&mut x.evidence, &b.evidence);
            }
            None => {
                self.bodies.insert(b.id.clone(), b);
            }
        }
    }

    fn add_place(&mut self, p: Place) {
        self.places.entry(p.id.clone()).or_insert(p);
    }

    fn add_holding(&mut self, mut h: Holding) {
        h.evidence = normal(h.evidence);
        match self.holdings.get_mut(&h.id) {
            Some(x) => {
                union(&mut x.evidence, &h.evidence);
                x.elected_at = min_some(&x.elected_at, &h.elected_at);
                x.start = min_some(&x.start, &h.start);
                x.end = match (&x.end, &h.end) {
                    (Some(a), Some(b)) => Some(a.max(b).clone()),
                    (a, b) => a.clone().or(b.clone()),
                };
                x.status = status_of(&x.evidence);
            }
            None => {
                let mut h = h;
                h.status = status_of(&h.evidence);
                self.holdings.insert(h.id.clone(), h);
            }
        }
    }

    fn set_elected(&mut self, holding: &str, congress: &str, dates: Option<&str>) {
        if let Some(h) = self.holdings.get_mut(holding) {
            h.elected_at = min_some(&h.elected_at, &Some(congress.to_string()));
            let start = dates.map(|d| d.split('/').next().unwrap_or(d).to_string());
            h.start = min_some(&h.start, &start);
        }
    }

    fn add_congress(&mut self, mut c: Congress) {
        c.elected = normal(c.elected);
        c.chairs = normal(c.chairs);
        c.evidence = normal(c.evidence);
        match self.congresses.get_mut(&c.id) {
            Some(x) => {
                x.term = min_some(&x.term, &c.term);
                x.ordinal = min_some(&x.ordinal, &c.ordinal);
                x.dates = min_some(&x.dates, &c.dates);
                x.delegates = match (x.delegates, c.delegates) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                union(&mut x.elected, &c.elected);
                union(&mut x.chairs, &c.chairs);
                union(&mut x.evidence, &c.evidence);
            }
            None => {
                self.congresses.insert(c.id.clone(), c);
            }
        }
    }

    fn add_congress_chair(&mut self, congress: &str, person: &str) {
        if let Some(c) = self.congresses.get_mut(congress) {
            union(&mut c.chairs, &[person.to_string()]);
        }
    }

    fn add_meeting(&mut self, mut m: Meeting) {
        m.chairs = normal(m.chairs);
        m.evidence = normal(m.evidence);
        match self.meetings.get_mut(&m.id) {
            Some(x) => {
                x.name = x.name.clone().min(m.name);
                union(&mut x.chairs, &m.chairs);
                union(&mut x.evidence, &m.evidence);
            }
            None => {
                self.meetings.insert(m.id.clone(), m);
            }
        }
    }

    /// The snapshot, every list sorted by id.
    pub fn finish(self) -> Snapshot {
        Snapshot {
            documents: self.documents.into_values().collect(),
            persons: self.persons.into_values().collect(),
            bodies: self.bodies.into_values().collect(),
            places: self.places.into_values().collect(),
            holdings: self.holdings.into_values().collect(),
            congresses: self.congresses.into_values().collect(),
            meetings: self.meetings.into_values().collect(),
            ..Snapshot::default()
        }
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

/// Merge two snapshots.
pub fn merge(a: Snapshot, b: Snapshot) -> Snapshot {
    let mut acc = Accumulator::default();
    acc.add_snapshot(a);
    acc.add_snapshot(b);
    acc.finish()
}

/// Build one snapshot from many documents' facts.
pub fn build<'x>(g: &Gazetteer, extractions: impl IntoIterator<Item = &'x Extraction>) -> Snapshot {
    let builder = Builder::new(g);
    let mut acc = Accumulator::default();
    for x in extractions {
        acc.add_snapshot(builder.document(x));
    }
    acc.finish()
}

/// What a graph node stands for: an index into the snapshot's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Person(usize),
    Body(usize),
    Place(usize),
    Holding(usize),
    Congress(usize),
    Meeting(usize),
}

/// How two nodes are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Holds,
    In,
    Parent,
    At,
    ElectedAt,
    Chaired,
    Of,
}

/// The snapshot as a petgraph graph, with an index from ids to nodes.
pub struct KnowledgeGraph {
    pub snapshot: Snapshot,
    pub graph: DiGraph<Node, Edge>,
    pub index: HashMap<String, NodeIndex>,
}

impl KnowledgeGraph {
    /// Build the graph view of a snapshot: person→holding→body, body→parent, body→place,
    /// holding→congress, person→congress/meeting (chaired), congress→body.
    pub fn new(snapshot: Snapshot) -> Self {
        let mut graph = DiGraph::new();
        let mut index = HashMap::new();
        let s = &snapshot;
        type Ids<'a> = (Vec<&'a str>, fn(usize) -> Node);
        let lists: [Ids; 6] = [
            (
                s.persons.iter().map(|x| x.id.as_str()).collect(),
                Node::Person,
            ),
            (s.bodies.iter().map(|x| x.id.as_str()).collect(), Node::Body),
            (
                s.places.iter().map(|x| x.id.as_str()).collect(),
                Node::Place,
            ),
            (
                s.holdings.iter().map(|x| x.id.as_str()).collect(),
                Node::Holding,
            ),
            (
                s.congresses.iter().map(|x| x.id.as_str()).collect(),
                Node::Congress,
            ),
            (
                s.meetings.iter().map(|x| x.id.as_str()).collect(),
                Node::Meeting,
            ),
        ];
        for (ids, make) in lists {
            for (i, id) in ids.into_iter().enumerate() {
                index.insert(id.to_string(), graph.add_node(make(i)));
            }
        }
        let mut edge = |from: &str, to: &str, e: Edge| {
            if let (Some(&a), Some(&b)) = (index.get(from), index.get(to)) {
                graph.add_edge(a, b, e);
            }
        };
        for h in &s.holdings {
            edge(&h.person, &h.id, Edge::Holds);
            if let Some(b) = &h.body {
                edge(&h.id, b, Edge::In);
            }
            if let Some(c) = &h.elected_at {
                edge(&h.id, c, Edge::ElectedAt);
            }
        }
        for b in &s.bodies {
            if let Some(p) = &b.parent {
                edge(&b.id, p, Edge::Parent);
            }
            if let Some(p) = &b.place {
                edge(&b.id, p, Edge::At);
            }
        }
        for c in &s.congresses {
            edge(&c.id, &c.body, Edge::Of);
            for p in &c.chairs {
                edge(p, &c.id, Edge::Chaired);
            }
        }
        for m in &s.meetings {
            for p in &m.chairs {
                edge(p, &m.id, Edge::Chaired);
            }
        }
        KnowledgeGraph {
            snapshot,
            graph,
            index,
        }
    }
}
