//! The facts `extract` prints, one JSON object a line (see `shared/gold/FORMAT.md`).

use serde::{Deserialize, Serialize};

/// Where a fact was read: byte offsets into the input document as read, and the rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule: String,
}

/// Whether the text presents a post as held now or in the past.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Stated as held (news never proves it is still held).
    #[default]
    Current,
    /// Marked as past: "nguyên", "từng", "(cũ)", "thôi giữ chức", a predecessor.
    Former,
}

/// A post held by a named person, as one document states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    pub doc: String,
    pub person: String,
    pub title: String,
    pub body: Option<String>,
    pub term: Option<String>,
    pub status: Status,
    pub evidence: Evidence,
}

/// A holding voted in or appointed at a congress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elected {
    pub person: String,
    pub title: String,
    pub body: Option<String>,
}

/// Đại hội: a congress of a Party organisation, as one document reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Congress {
    pub doc: String,
    pub body: String,
    pub ordinal: Option<u32>,
    pub term: Option<String>,
    /// "YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD".
    pub dates: Option<String>,
    pub delegates: Option<u32>,
    pub elected: Vec<Elected>,
    pub evidence: Evidence,
}

/// A person who chaired (chủ trì, chủ tọa) a meeting or congress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chair {
    pub doc: String,
    pub person: String,
    pub event: String,
    pub date: Option<String>,
    pub evidence: Evidence,
}

/// What a document is about: its publication date and places, from its own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub doc: String,
    pub published: Option<String>,
    pub province: Option<String>,
    pub district: Option<String>,
    pub commune: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub bytes: usize,
}

/// One line of `extract`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Fact {
    Document(DocumentInfo),
    Holding(Holding),
    Congress(Congress),
    Chair(Chair),
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extraction {
    pub info: Option<DocumentInfo>,
    pub holdings: Vec<Holding>,
    pub congresses: Vec<Congress>,
    pub chairs: Vec<Chair>,
}

impl Extraction {
    /// The facts in output order: the document, then holdings, congresses, chairs.
    pub fn facts(&self) -> Vec<Fact> {
        let mut out = Vec::new();
        out.extend(self.info.clone().map(Fact::Document));
        out.extend(self.holdings.iter().cloned().map(Fact::Holding));
        out.extend(self.congresses.iter().cloned().map(Fact::Congress));
        out.extend(self.chairs.iter().cloned().map(Fact::Chair));
        out
    }
}
