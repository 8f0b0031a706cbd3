//! A snapshot as a diff reads it: ids, names, titles, ranks, dates and status, every string
//! borrowed (from a loaded [`Snapshot`], or from the bytes of a binary copy), nothing else. A
//! view of a million holdings takes about a hundred megabytes and no allocation per string.

use super::{Holding, Snapshot};
use crate::facts::Status;

/// A holding without its evidence, term or congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldingView<'a> {
    pub id: &'a str,
    pub person: &'a str,
    pub title: &'a str,
    pub rank: u32,
    pub body: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    pub status: Status,
}

impl<'a> From<&'a Holding> for HoldingView<'a> {
    fn from(h: &'a Holding) -> Self {
        HoldingView {
            id: &h.id,
            person: &h.person,
            title: &h.title,
            rank: h.rank,
            body: h.body.as_deref(),
            start: h.start.as_deref(),
            end: h.end.as_deref(),
            status: h.status,
        }
    }
}

/// A person or body: id and display name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeView<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// The lists of a snapshot a diff reads, in the snapshot's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View<'a> {
    pub persons: Vec<NodeView<'a>>,
    pub bodies: Vec<NodeView<'a>>,
    pub holdings: Vec<HoldingView<'a>>,
    /// Congress ids.
    pub congresses: Vec<&'a str>,
}

impl<'a> From<&'a Snapshot> for View<'a> {
    fn from(s: &'a Snapshot) -> Self {
        View {
            persons: s
                .persons
                .iter()
                .map(|p| NodeView {
                    id: &p.id,
                    name: &p.name,
                })
                .collect(),
            bodies: s
                .bodies
                .iter()
                .map(|b| NodeView {
                    id: &b.id,
                    name: &b.name,
                })
                .collect(),
            holdings: s.holdings.iter().map(HoldingView::from).collect(),
            congresses: s.congresses.iter().map(|c| c.id.as_str()).collect(),
        }
    }
}
