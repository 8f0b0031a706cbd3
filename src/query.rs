//! Typed queries over a snapshot: who chaired what, who held a post, a person's career, a
//! body's members, a congress. Names are matched the way the extractor matches them (case, tone
//! placement and abbreviations folded, "Tỉnh ủy Nghệ An" found by "tinh uy nghe an" only if the
//! accents match, by "Tỉnh uỷ Nghệ An" always); a name that matches nothing gets the nearest
//! candidates.

use serde::Serialize;

use crate::facts::Status;
use crate::model::{Body, Holding, Person, Snapshot};
use crate::normalize::key;

/// A name matched nothing; here are the nearest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no {what} matches {name:?}; nearest: {}", candidates.join(", "))]
pub struct NotFound {
    pub what: &'static str,
    pub name: String,
    pub candidates: Vec<String>,
}

/// Name matching with the extractor's normalisation.
pub struct Names {
    normalizer: crate::normalize::Normalizer,
}

impl Names {
    pub fn new(g: &crate::Gazetteer) -> Self {
        Names {
            normalizer: g.normalizer().clone(),
        }
    }

    /// The comparison key of a name as a user types it: abbreviations expanded, tones folded.
    pub fn key(&self, name: &str) -> String {
        key(self.normalizer.normalize(name).text())
    }

    /// Does `name` match the query (whole key, or all its words in order)?
    pub fn matches(&self, query: &str, name: &str) -> bool {
        let (q, n) = (self.key(query), self.key(name));
        n == q || n.contains(&q)
    }

    /// The names nearest to `query`, for a "did you mean".
    pub fn nearest<'a>(&self, query: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
        let q = self.key(query);
        let mut scored: Vec<(usize, String)> = names
            .map(|n| (distance(&q, &self.key(n)), n.to_string()))
            .collect();
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(5).map(|(_, n)| n).collect()
    }
}

/// Edit distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// One chair: who, of what, when, where read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChairRow {
    pub person: String,
    pub event: String,
    pub body: Option<String>,
    pub date: Option<String>,
    pub documents: Vec<String>,
}

/// One holding as a query answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoldingRow {
    pub person: String,
    pub title: String,
    pub body: Option<String>,
    pub term: Option<String>,
    pub status: Status,
    pub elected_at: Option<String>,
    pub documents: Vec<String>,
}

/// A person's career.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Career {
    pub person: String,
    pub id: String,
    /// What tells this person apart from others of the same name.
    pub anchor: String,
    pub holdings: Vec<HoldingRow>,
    pub chaired: Vec<String>,
}

/// A body's members by term, head first; its sub-bodies and congresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyReport {
    pub body: String,
    pub id: String,
    pub parent: Option<String>,
    pub members: Vec<HoldingRow>,
    pub sub_bodies: Vec<String>,
    pub congresses: Vec<CongressReport>,
}

/// A congress with its results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CongressReport {
    pub body: String,
    pub ordinal: Option<u32>,
    pub term: Option<String>,
    pub dates: Option<String>,
    pub delegates: Option<u32>,
    pub elected: Vec<HoldingRow>,
    pub chairs: Vec<String>,
}

/// Queries over one snapshot.
pub struct Query<'a> {
    pub s: &'a Snapshot,
    pub names: &'a Names,
}

fn docs(h: &Holding) -> Vec<String> {
    let mut d: Vec<String> = h.evidence.iter().map(|e| e.doc.to_string()).collect();
    d.dedup();
    d
}

/// Does a holding fall in a term: its own, or evidence published within it?
pub fn in_term(h: &Holding, term: &str) -> bool {
    match &h.term {
        Some(t) => t == term,
        None => {
            let years: Vec<u32> = term.split('-').filter_map(|y| y.parse().ok()).collect();
            let [from, to] = years[..] else { return false };
            h.evidence
                .iter()
                .any(|e| year(e.published.as_deref()).is_some_and(|y| from <= y && y <= to))
        }
    }
}

fn year(date: Option<&str>) -> Option<u32> {
    date.and_then(|d| d.get(..4)).and_then(|y| y.parse().ok())
}

/// Does a holding cover a date ("2021-06-01")? Its term includes the year, or it was reported
/// within a year before the date.
fn at_date(h: &Holding, date: &str) -> bool {
    let Some(y) = year(Some(date)) else {
        return false;
    };
    match &h.term {
        Some(t) => {
            let years: Vec<u32> = t.split('-').filter_map(|x| x.parse().ok()).collect();
            matches!(years[..], [a, b] if a <= y && y <= b)
        }
        None => h
            .evidence
            .iter()
            .filter_map(|e| e.published.as_deref())
            .any(|p| p <= date && year(Some(p)).is_some_and(|py| py + 1 >= y)),
    }
}

impl<'a> Query<'a> {
    fn person(&self, id: &str) -> Option<&'a Person> {
        self.s.persons.iter().find(|p| p.id == id)
    }

    fn body(&self, id: &str) -> Option<&'a Body> {
        self.s.bodies.iter().find(|b| b.id == id)
    }

    fn person_name(&self, id: &str) -> String {
        self.person(id)
            .map_or(id.to_string(), |p| p.name.to_string())
    }

    fn body_name(&self, id: Option<&str>) -> Option<String> {
        id.map(|b| self.body(b).map_or(b.to_string(), |x| x.name.to_string()))
    }

    fn row(&self, h: &Holding) -> HoldingRow {
        HoldingRow {
            person: self.person_name(&h.person),
            title: h.title.to_string(),
            body: self.body_name(h.body.as_deref()),
            term: h.term.as_deref().map(String::from),
            status: h.status,
            elected_at: h.elected_at.as_ref().map(|c| self.congress_label(c)),
            documents: docs(h),
        }
    }

    fn congress_label(&self, id: &str) -> String {
        match self.s.congresses.iter().find(|c| c.id == id) {
            Some(c) => {
                let body = self.body_name(Some(&c.body)).unwrap_or_default();
                match c.ordinal {
                    Some(o) => format!("Đại hội {body} lần thứ {o}"),
                    None => format!("Đại hội {body}"),
                }
            }
            None => id.to_string(),
        }
    }

    /// Bodies matching a name, or the nearest names.
    pub fn bodies(&self, name: &str) -> Result<Vec<&'a Body>, NotFound> {
        let key = self.names.key(name);
        let exact: Vec<&Body> = self
            .s
            .bodies
            .iter()
            .filter(|b| self.names.key(&b.name) == key)
            .collect();
        if !exact.is_empty() {
            return Ok(exact);
        }
        let found: Vec<&Body> = self
            .s
            .bodies
            .iter()
            .filter(|b| self.names.key(&b.name).contains(key.as_str()))
            .collect();
        if found.is_empty() {
            return Err(NotFound {
                what: "body",
                name: name.to_string(),
                candidates: self
                    .names
                    .nearest(name, self.s.bodies.iter().map(|b| b.name.as_str())),
            });
        }
        Ok(found)
    }

    /// Who chaired which congress or meeting.
    pub fn chairs(
        &self,
        body: Option<&str>,
        person: Option<&str>,
        year_: Option<u32>,
    ) -> Vec<ChairRow> {
        let mut rows = Vec::new();
        for c in &self.s.congresses {
            for p in &c.chairs {
                rows.push(ChairRow {
                    person: self.person_name(p),
                    event: self.congress_label(&c.id),
                    body: self.body_name(Some(&c.body)),
                    date: c.dates.as_deref().map(String::from),
                    documents: c.evidence.iter().map(|e| e.doc.to_string()).collect(),
                });
            }
        }
        for m in &self.s.meetings {
            for p in &m.chairs {
                rows.push(ChairRow {
                    person: self.person_name(p),
                    event: m.name.to_string(),
                    body: self.body_name(m.body.as_deref()),
                    date: m.date.as_deref().map(String::from),
                    documents: m.evidence.iter().map(|e| e.doc.to_string()).collect(),
                });
            }
        }
        rows.retain(|r| {
            person.is_none_or(|p| self.names.matches(p, &r.person))
                && body.is_none_or(|b| {
                    r.body.as_deref().is_some_and(|x| self.names.matches(b, x))
                        || self.names.matches(b, &r.event)
                })
                && year_.is_none_or(|y| year(r.date.as_deref()) == Some(y))
        });
        for r in &mut rows {
            r.documents.sort();
            r.documents.dedup();
        }
        rows.sort_by(|a, b| (&a.date, &a.event, &a.person).cmp(&(&b.date, &b.event, &b.person)));
        rows
    }

    /// Who held a title in a body, in a term or on a date.
    pub fn holders(
        &self,
        title: &str,
        body: &str,
        term: Option<&str>,
        at: Option<&str>,
    ) -> Result<Vec<HoldingRow>, NotFound> {
        let bodies: Vec<&str> = self.bodies(body)?.iter().map(|b| b.id.as_str()).collect();
        let title_key = self.names.key(title);
        let mut rows: Vec<(u32, HoldingRow)> = self
            .s
            .holdings
            .iter()
            .filter(|h| h.body.as_deref().is_some_and(|b| bodies.contains(&b)))
            .filter(|h| self.names.key(&h.title) == title_key)
            .filter(|h| term.is_none_or(|t| in_term(h, t)))
            .filter(|h| at.is_none_or(|d| at_date(h, d)))
            .map(|h| (h.rank, self.row(h)))
            .collect();
        rows.sort_by(|a, b| (&a.1.term, &a.1.person).cmp(&(&b.1.term, &b.1.person)));
        Ok(rows.into_iter().map(|r| r.1).collect())
    }

    /// The careers of every person of that name, each with what tells them apart.
    pub fn careers(&self, name: &str) -> Result<Vec<Career>, NotFound> {
        let key = self.names.key(name);
        let persons: Vec<&Person> = self
            .s
            .persons
            .iter()
            .filter(|p| self.names.key(&p.name) == key)
            .collect();
        if persons.is_empty() {
            return Err(NotFound {
                what: "person",
                name: name.to_string(),
                candidates: self
                    .names
                    .nearest(name, self.s.persons.iter().map(|p| p.name.as_str())),
            });
        }
        Ok(persons
            .into_iter()
            .map(|p| {
                let mut hs: Vec<&Holding> = self
                    .s
                    .holdings
                    .iter()
                    .filter(|h| h.person == p.id)
                    .collect();
                hs.sort_by(|a, b| {
                    let first =
                        |h: &Holding| h.evidence.iter().filter_map(|e| e.published.clone()).min();
                    (
                        a.term.clone().or_else(|| first(a)),
                        std::cmp::Reverse(a.rank),
                        &a.id,
                    )
                        .cmp(&(
                            b.term.clone().or_else(|| first(b)),
                            std::cmp::Reverse(b.rank),
                            &b.id,
                        ))
                });
                let mut chaired: Vec<String> = self
                    .s
                    .congresses
                    .iter()
                    .filter(|c| c.chairs.contains(&p.id))
                    .map(|c| self.congress_label(&c.id))
                    .chain(
                        self.s
                            .meetings
                            .iter()
                            .filter(|m| m.chairs.contains(&p.id))
                            .map(|m| format!("{} ({})", m.name, m.date.as_deref().unwrap_or("?"))),
                    )
                    .collect();
                chaired.sort();
                Career {
                    person: p.name.to_string(),
                    id: p.id.to_string(),
                    anchor: p.anchor.to_string(),
                    holdings: hs.into_iter().map(|h| self.row(h)).collect(),
                    chaired,
                }
            })
            .collect())
    }

    /// A body's members by term (head and deputies first), sub-bodies and congresses.
    pub fn body_report(&self, name: &str) -> Result<Vec<BodyReport>, NotFound> {
        Ok(self
            .bodies(name)?
            .into_iter()
            .map(|b| {
                let mut members: Vec<&Holding> = self
                    .s
                    .holdings
                    .iter()
                    .filter(|h| h.body.as_deref() == Some(b.id.as_str()))
                    .collect();
                members.sort_by(|x, y| {
                    (
                        &x.term,
                        x.status == Status::Former,
                        std::cmp::Reverse(x.rank),
                        &x.id,
                    )
                        .cmp(&(
                            &y.term,
                            y.status == Status::Former,
                            std::cmp::Reverse(y.rank),
                            &y.id,
                        ))
                });
                let mut subs: Vec<String> = self
                    .s
                    .bodies
                    .iter()
                    .filter(|x| x.parent.as_deref() == Some(b.id.as_str()))
                    .map(|x| x.name.to_string())
                    .collect();
                subs.sort();
                BodyReport {
                    body: b.name.to_string(),
                    id: b.id.to_string(),
                    parent: self.body_name(b.parent.as_deref()),
                    members: members.into_iter().map(|h| self.row(h)).collect(),
                    sub_bodies: subs,
                    congresses: self.congress_reports(&[b.id.as_str()], None, None),
                }
            })
            .collect())
    }

    fn congress_reports(
        &self,
        bodies: &[&str],
        ordinal: Option<u32>,
        term: Option<&str>,
    ) -> Vec<CongressReport> {
        self.s
            .congresses
            .iter()
            .filter(|c| bodies.contains(&c.body.as_str()))
            .filter(|c| ordinal.is_none_or(|o| c.ordinal == Some(o)))
            .filter(|c| term.is_none_or(|t| c.term.as_deref() == Some(t)))
            .map(|c| CongressReport {
                body: self.body_name(Some(&c.body)).unwrap_or_default(),
                ordinal: c.ordinal,
                term: c.term.as_deref().map(String::from),
                dates: c.dates.as_deref().map(String::from),
                delegates: c.delegates,
                elected: c
                    .elected
                    .iter()
                    .filter_map(|id| self.s.holdings.iter().find(|h| &h.id == id))
                    .map(|h| self.row(h))
                    .collect(),
                chairs: c.chairs.iter().map(|p| self.person_name(p)).collect(),
            })
            .collect()
    }

    /// The congresses of a body ("Đảng bộ tỉnh Nghệ An"; its committee's name works too).
    pub fn congresses(
        &self,
        body: &str,
        ordinal: Option<u32>,
        term: Option<&str>,
    ) -> Result<Vec<CongressReport>, NotFound> {
        let bodies = self.bodies(body)?;
        // A committee's congress is its organisation's: "Tỉnh ủy Nghệ An" → "Đảng bộ tỉnh Nghệ An".
        let mut ids: Vec<&str> = bodies.iter().map(|b| b.id.as_str()).collect();
        ids.extend(bodies.iter().filter_map(|b| b.parent.as_deref()));
        Ok(self.congress_reports(&ids, ordinal, term))
    }
}
