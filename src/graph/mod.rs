//! The knowledge graph: per-document facts turned into nodes with stable ids, merged across
//! documents, and viewed as a petgraph graph.
//!
//! Merging is conservative and explained. A body is one node wherever it is named, unless its
//! place is unknown ("Đảng ủy Khối các cơ quan tỉnh" with no province): then it belongs to its
//! document. A person is identified by name and anchor (the province of their posts, "Trung ương"
//! for central posts, else the document), never by name alone; the reasons for each merge are
//! kept. Every merge is a union keyed by id, so building from shards and merging the shards gives
//! the same snapshot as one build over everything.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::extract::parse::{BodyPhrase, Parser};
use crate::extract::resolve::effective_level;
use crate::facts::{Extraction, Status};
use crate::gazetteer::{BodyKind, DistrictDef, Gazetteer, Level, ProvinceDef, Tail};
use crate::model::{
    slug, Body, Congress, DocumentRecord, Evidence, Holding, Meeting, Person, Place, Snapshot, Text,
};

mod accumulator;
use crate::normalize::key;
use crate::segment::tokenize;
pub use accumulator::Accumulator;

/// Builds snapshot fragments from extractions.
pub struct Builder<'a> {
    g: &'a Gazetteer,
    /// The gazetteer's provinces, districts (the first of each name, and whether the name is in
    /// one province only) and title ranks by name.
    provinces: FxHashMap<&'a str, &'a ProvinceDef>,
    districts: FxHashMap<&'a str, (&'a DistrictDef, bool)>,
    ranks: FxHashMap<&'a str, u32>,
    /// Body names already parsed: the same few thousand names recur in every document. Shared
    /// by the threads that build documents side by side.
    parsed: Mutex<FxHashMap<String, Option<ParsedBody>>>,
    /// Comparison keys and slugs of names already seen, for the same reason.
    keys: Mutex<FxHashMap<String, Arc<str>>>,
    slugs: Mutex<FxHashMap<String, Arc<str>>>,
}

/// Names remembered by a builder's caches before they start over.
const CACHED: usize = 1 << 16;

/// `f(name)`, remembered in `cache`.
fn cached<T: Clone>(cache: &Mutex<FxHashMap<String, T>>, name: &str, f: impl FnOnce() -> T) -> T {
    let lock = || {
        cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(v) = lock().get(name) {
        return v.clone();
    }
    let v = f();
    let mut cache = lock();
    if cache.len() >= CACHED {
        cache.clear();
    }
    cache.insert(name.to_string(), v.clone());
    v
}

/// Person, title and body of a holding, as comparison keys.
type HoldingKey = (Arc<str>, Arc<str>, Arc<str>);

/// What a body name says once parsed: level, place, parent and kind.
#[derive(Clone)]
struct ParsedBody {
    kind: BodyKind,
    level: Option<Level>,
    place: Option<String>,
    parent: Option<String>,
}

impl<'a> Builder<'a> {
    pub fn new(g: &'a Gazetteer) -> Self {
        let mut districts: FxHashMap<&str, (&DistrictDef, bool)> = FxHashMap::default();
        for d in &g.districts {
            districts
                .entry(d.name.as_str())
                .and_modify(|(first, one)| *one &= first.province == d.province)
                .or_insert((d, true));
        }
        let mut ranks = FxHashMap::default();
        for t in g.titles.iter().rev() {
            ranks.insert(t.name.as_str(), t.rank);
        }
        Builder {
            g,
            provinces: g
                .provinces
                .iter()
                .rev()
                .map(|p| (p.name.as_str(), p))
                .collect(),
            districts,
            ranks,
            parsed: Mutex::default(),
            keys: Mutex::default(),
            slugs: Mutex::default(),
        }
    }

    fn key(&self, name: &str) -> Arc<str> {
        cached(&self.keys, name, || key(name).into())
    }

    fn slug(&self, name: &str) -> Arc<str> {
        cached(&self.slugs, name, || slug(name).into())
    }

    /// The snapshot of one document's facts.
    pub fn document(&self, x: &Extraction) -> Snapshot {
        let mut acc = Accumulator::default();
        let Some(info) = &x.info else {
            return acc.finish();
        };
        let doc = info.doc.as_str();
        let ev = |start: usize, end: usize, rule: &str, former: bool| Evidence {
            doc: doc.into(),
            start,
            end,
            published: info.published.as_deref().map(Text::from),
            rule: rule.into(),
            former,
        };
        acc.add_document(DocumentRecord {
            id: doc.into(),
            published: info.published.as_deref().map(Text::from),
            province: info.province.as_deref().map(Text::from),
            url: info.url.as_deref().map(Text::from),
        });
        let province = info.province.as_deref();
        // Anchor each person by the place of their posts in this document.
        let mut anchors: HashMap<Arc<str>, String> = HashMap::new();
        for h in &x.holdings {
            let anchor = self.anchor(h.body.as_deref(), province, doc);
            let entry = anchors
                .entry(self.key(&h.person))
                .or_insert_with(|| anchor.clone());
            if entry.starts_with("doc:") || (entry == "Trung ương" && !anchor.starts_with("doc:"))
            {
                *entry = anchor;
            }
        }
        let person_id = |name: &str, anchors: &HashMap<Arc<str>, String>| {
            let anchor = anchors
                .get(&self.key(name))
                .cloned()
                .unwrap_or_else(|| province.map_or(format!("doc:{doc}"), str::to_string));
            (
                format!("person/{}@{}", self.slug(name), self.slug(&anchor)),
                anchor,
            )
        };
        let mut holding_ids: HashMap<HoldingKey, String> = HashMap::new();
        for h in &x.holdings {
            let (pid, anchor) = person_id(&h.person, &anchors);
            let e = ev(
                h.evidence.start,
                h.evidence.end,
                &h.evidence.rule,
                h.status == Status::Former,
            );
            acc.add_person(Person {
                id: Text::from(&pid),
                name: Text::from(&h.person),
                aliases: vec![Text::from(&h.person)],
                anchor: Text::from(&anchor),
                reasons: vec![format!("same name, anchored in {anchor}").into()],
                evidence: vec![e.clone()],
            });
            let body = h
                .body
                .as_deref()
                .map(|b| self.add_body(&mut acc, b, province, doc, &e));
            let rank = self.ranks.get(h.title.as_str()).copied().unwrap_or(0);
            let id = format!(
                "holding/{pid}/{}/{}/{}",
                self.slug(&h.title),
                body.as_deref().unwrap_or("-"),
                h.term.as_deref().unwrap_or("-")
            );
            holding_ids.insert(
                (
                    self.key(&h.person),
                    self.key(&h.title),
                    self.key(h.body.as_deref().unwrap_or("")),
                ),
                id.clone(),
            );
            acc.add_holding(Holding {
                id: id.into(),
                person: pid.into(),
                title: Text::from(&h.title),
                rank,
                body: body.map(Text::from),
                term: h.term.as_deref().map(Text::from),
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
                    self.key(&el.person),
                    self.key(&el.title),
                    self.key(el.body.as_deref().unwrap_or("")),
                );
                if let Some(hid) = holding_ids.get(&k) {
                    elected.push(Text::from(hid.as_str()));
                    acc.set_elected(hid, &id, c.dates.as_deref());
                }
            }
            if !c.body.starts_with("Đảng Cộng sản") {
                congress_ids.push(id.clone());
            }
            acc.add_congress(Congress {
                id: id.into(),
                body: body.into(),
                ordinal: c.ordinal,
                term: c.term.as_deref().map(Text::from),
                dates: c.dates.as_deref().map(Text::from),
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
                id: Text::from(&pid),
                name: Text::from(&ch.person),
                aliases: vec![Text::from(&ch.person)],
                anchor: Text::from(&anchor),
                reasons: vec![format!("same name, anchored in {anchor}").into()],
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
                        id: format!("meeting/{short}/{}", ch.date.as_deref().unwrap_or(doc)).into(),
                        name: name.into(),
                        date: ch.date.as_deref().map(Text::from),
                        body: None,
                        chairs: vec![pid.into()],
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

    /// Parse a body name with the extractor's grammar (once per name).
    fn parse(&self, name: &str) -> Option<ParsedBody> {
        cached(&self.parsed, name, || self.parse_new(name))
    }

    fn parse_new(&self, name: &str) -> Option<ParsedBody> {
        let norm = self.g.normalizer().normalize(name);
        let tokens = tokenize(norm.text());
        let words: Vec<&str> = tokens.iter().map(|t| t.text(norm.lower())).collect();
        let matches = self.g.matches(&words);
        let p = Parser::whole(self.g, norm.text(), &tokens, &words, &matches);
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
            .and_then(|p| self.districts.get(p))
            .filter(|(_, one)| *one)
            .map(|(d, _)| d.province.clone())
            .or_else(|| province.map(str::to_string));
        // Unplaced regional bodies belong to their document; district and commune bodies to
        // their province (commune names repeat across the country).
        let scope = match (level, &place) {
            (None | Some(Level::Central), _) => String::new(),
            (Some(_), None) => format!("@doc:{doc}"),
            (Some(Level::Province), Some(_)) => String::new(),
            (Some(Level::City), Some(p)) if self.is_province(p) => String::new(),
            (Some(_), Some(_)) => match &place_province {
                Some(p) => format!("@{}", self.slug(p)),
                None => format!("@doc:{doc}"),
            },
        };
        let id = format!("body/{}{scope}", self.slug(name));
        let place_id = place
            .as_ref()
            .map(|p| self.add_place(acc, p, level, place_province.as_deref(), doc));
        let parent = parsed
            .as_ref()
            .and_then(|p| p.parent.clone())
            .filter(|p| self.key(p) != self.key(name))
            .map(|p| self.add_body(acc, &p, province, doc, e));
        let (valid_from, valid_to) = self.validity(place.as_deref(), level);
        acc.add_body(Body {
            id: Text::from(&id),
            name: name.into(),
            kind: parsed.as_ref().map_or(BodyKind::Other, |p| p.kind),
            level,
            place: place_id.map(Text::from),
            parent: parent.map(Text::from),
            valid_from: valid_from.map(Text::from),
            valid_to: valid_to.map(Text::from),
            evidence: vec![e.clone()],
        });
        id
    }

    fn is_province(&self, name: &str) -> bool {
        self.provinces.contains_key(name)
    }

    /// Validity of a body from its place: provinces merged in 2025 and districts (abolished on
    /// 1 July 2025) end on 30 June 2025.
    fn validity(
        &self,
        place: Option<&str>,
        level: Option<Level>,
    ) -> (Option<String>, Option<String>) {
        if let Some(p) = place.and_then(|p| self.provinces.get(p)) {
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
        if let Some(p) = self.provinces.get(name) {
            let id = format!("place/{}", self.slug(name));
            acc.add_place(Place {
                id: Text::from(&id),
                name: p.name.as_str().into(),
                level: Level::Province,
                kind: Some(p.kind),
                province: None,
                valid_from: p.valid_from.as_deref().map(Text::from),
                valid_to: p.valid_to.as_deref().map(Text::from),
                successor: p
                    .successor
                    .as_ref()
                    .map(|s| format!("place/{}", self.slug(s)).into()),
            });
            return id;
        }
        let district = self.districts.get(name).map(|(d, _)| *d);
        let level = if district.is_some() && level != Some(Level::Commune) {
            Level::District
        } else {
            level.unwrap_or(Level::Commune)
        };
        let scope = province.map_or(format!("doc:{doc}"), slug);
        let id = format!("place/{}@{scope}", self.slug(name));
        acc.add_place(Place {
            id: Text::from(&id),
            name: name.into(),
            level,
            kind: district
                .map(|d| d.kind)
                .filter(|_| level == Level::District),
            province: province.map(|p| format!("place/{}", self.slug(p)).into()),
            valid_from: None,
            valid_to: (level == Level::District).then(|| "2025-06-30".into()),
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
