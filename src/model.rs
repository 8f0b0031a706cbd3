//! The knowledge graph's data: persons, bodies, places, holdings, congresses and meetings, each
//! with a stable string id and the evidence it was read from. A [`Snapshot`] holds them sorted by
//! id, so two snapshots diff cleanly as text too.

use serde::{Deserialize, Serialize};

use crate::facts::Status;
use crate::gazetteer::{BodyKind, Level, PlaceKind};

mod lean;
mod text;
mod view;
pub(crate) use lean::without_evidence;
pub(crate) use text::offer;
pub use text::{interning, Text};
pub use view::{HoldingView, NodeView, View};

/// Version of the snapshot schema; a snapshot of another version is refused.
pub const SCHEMA_VERSION: u32 = 1;

/// Where a node or holding was read: document, byte span, publication date, rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    pub doc: Text,
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub published: Option<Text>,
    #[serde(default)]
    pub rule: Text,
    /// The text presents the post as past ("nguyên", "từng").
    #[serde(default)]
    pub former: bool,
}

/// A document the graph was built from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: Text,
    pub published: Option<Text>,
    pub province: Option<Text>,
    #[serde(default)]
    pub url: Option<Text>,
}

/// A person. Never merged across documents on the name alone: `anchor` (the province, "Trung
/// ương", or the document) is part of the identity, and `reasons` says why mentions were merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: Text,
    pub name: Text,
    pub aliases: Vec<Text>,
    pub anchor: Text,
    pub reasons: Vec<Text>,
    #[serde(deserialize_with = "lean::evidence")]
    pub evidence: Vec<Evidence>,
}

/// A body (cơ quan, tổ chức): Party committee, People's Committee, ministry …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub id: Text,
    pub name: Text,
    pub kind: BodyKind,
    pub level: Option<Level>,
    pub place: Option<Text>,
    pub parent: Option<Text>,
    pub valid_from: Option<Text>,
    pub valid_to: Option<Text>,
    #[serde(deserialize_with = "lean::evidence")]
    pub evidence: Vec<Evidence>,
}

/// A province, city, district or commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: Text,
    pub name: Text,
    pub level: Level,
    pub kind: Option<PlaceKind>,
    pub province: Option<Text>,
    pub valid_from: Option<Text>,
    pub valid_to: Option<Text>,
    pub successor: Option<Text>,
}

/// An occupancy of a post: person, title, body, term, status, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    pub id: Text,
    pub person: Text,
    pub title: Text,
    /// Rank of the title in the gazetteer (higher is more senior).
    pub rank: u32,
    pub body: Option<Text>,
    pub term: Option<Text>,
    pub start: Option<Text>,
    pub end: Option<Text>,
    pub status: Status,
    pub elected_at: Option<Text>,
    #[serde(deserialize_with = "lean::evidence")]
    pub evidence: Vec<Evidence>,
}

/// Đại hội: a congress of a Party organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Congress {
    pub id: Text,
    pub body: Text,
    pub ordinal: Option<u32>,
    pub term: Option<Text>,
    pub dates: Option<Text>,
    pub delegates: Option<u32>,
    pub elected: Vec<Text>,
    pub chairs: Vec<Text>,
    #[serde(deserialize_with = "lean::evidence")]
    pub evidence: Vec<Evidence>,
}

/// A meeting or conference and who chaired it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: Text,
    pub name: Text,
    pub date: Option<Text>,
    pub body: Option<Text>,
    pub chairs: Vec<Text>,
    #[serde(deserialize_with = "lean::evidence")]
    pub evidence: Vec<Evidence>,
}

/// The whole graph as saved: every list sorted by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub schema: u32,
    pub documents: Vec<DocumentRecord>,
    pub persons: Vec<Person>,
    pub bodies: Vec<Body>,
    pub places: Vec<Place>,
    pub holdings: Vec<Holding>,
    pub congresses: Vec<Congress>,
    pub meetings: Vec<Meeting>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            schema: SCHEMA_VERSION,
            documents: Vec::new(),
            persons: Vec::new(),
            bodies: Vec::new(),
            places: Vec::new(),
            holdings: Vec::new(),
            congresses: Vec::new(),
            meetings: Vec::new(),
        }
    }
}

/// A stable id part from a name: the comparison key with spaces as "-".
pub fn slug(name: &str) -> String {
    crate::normalize::key(name)
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect()
}
