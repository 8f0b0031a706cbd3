//! Scoring against gold files, exactly as `shared/gold/score.py` computes it: holdings at L0
//! (person), L1 (person, title) and L2 (person, title, body or body_alt); congresses on (body,
//! ordinal) and (body, term), the national Party congress left out; chairs by person.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::facts::{Fact, Status};
use crate::normalize::key;

/// One gold document: `NAME.gold.json` beside `NAME.txt`.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    pub name: String,
    pub text_path: PathBuf,
    pub gold: Value,
}

/// Read the gold files of a folder, sorted by name.
pub fn load_gold(dir: &Path) -> Result<Vec<GoldDoc>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
        let gold: Value = serde_json::from_str(&text).map_err(|e| Error::Gold {
            path: p.clone(),
            message: e.to_string(),
        })?;
        let file = p
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = file.trim_end_matches(".gold.json").to_string();
        out.push(GoldDoc {
            text_path: p.with_file_name(format!("{name}.txt")),
            name,
            gold,
        });
    }
    Ok(out)
}

/// Counts of one measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    fn add(&mut self, tp: usize, fp: usize, fn_: usize) {
        self.tp += tp;
        self.fp += fp;
        self.fn_ += fn_;
    }
    /// Precision, recall and F1.
    pub fn prf(&self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

/// The measures, in the scorer's order.
pub const MEASURES: [&str; 6] = [
    "L0",
    "L1",
    "L2",
    "congress(body,ordinal)",
    "congress(body,term)",
    "chair(person)",
];

/// Misses and false hits of one document.
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub doc: String,
    pub missed_l1: Vec<(String, String)>,
    pub extra_l1: Vec<(String, String)>,
    pub missed_l2: Vec<(String, String, Vec<String>)>,
    pub extra_l2: Vec<(String, String, String)>,
}

/// The result of scoring.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub docs: usize,
    pub counts: BTreeMap<&'static str, Counts>,
    pub details: Vec<Details>,
}

fn s(v: &Value, field: &str) -> String {
    match v.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn k(v: &Value, field: &str) -> String {
    key(&s(v, field))
}

fn list<'a>(v: &'a Value, field: &str) -> &'a [Value] {
    v.get(field)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Score predicted facts against gold documents.
pub fn score(gold: &[GoldDoc], facts: &[Fact]) -> Report {
    let mut by_doc: HashMap<&str, Vec<&Fact>> = HashMap::new();
    for f in facts {
        let doc = match f {
            Fact::Holding(h) if h.status == Status::Former => continue,
            Fact::Holding(h) => &h.doc,
            Fact::Congress(c) => &c.doc,
            Fact::Chair(c) => &c.doc,
            Fact::Document(_) => continue,
        };
        by_doc.entry(doc.as_str()).or_default().push(f);
    }
    let national: BTreeSet<String> = ["Đảng Cộng sản Việt Nam", "Đảng", "Đảng Cộng sản"]
        .iter()
        .map(|n| key(n))
        .collect();
    let mut report = Report {
        docs: gold.len(),
        ..Default::default()
    };
    for m in MEASURES {
        report.counts.insert(m, Counts::default());
    }
    for g in gold {
        let preds = by_doc.get(g.name.as_str()).cloned().unwrap_or_default();
        let holdings: Vec<(String, String, String)> = preds
            .iter()
            .filter_map(|f| match f {
                Fact::Holding(h) => Some((
                    key(&h.person),
                    key(&h.title),
                    key(h.body.as_deref().unwrap_or("")),
                )),
                _ => None,
            })
            .collect();
        let gh = list(&g.gold, "holdings");
        let g0: BTreeSet<String> = gh.iter().map(|h| k(h, "person")).collect();
        let p0: BTreeSet<String> = holdings.iter().map(|h| h.0.clone()).collect();
        report.counts.get_mut("L0").expect("measure").add(
            g0.intersection(&p0).count(),
            p0.difference(&g0).count(),
            g0.difference(&p0).count(),
        );
        let g1: BTreeSet<(String, String)> =
            gh.iter().map(|h| (k(h, "person"), k(h, "title"))).collect();
        let p1: BTreeSet<(String, String)> = holdings
            .iter()
            .map(|h| (h.0.clone(), h.1.clone()))
            .collect();
        report.counts.get_mut("L1").expect("measure").add(
            g1.intersection(&p1).count(),
            p1.difference(&g1).count(),
            g1.difference(&p1).count(),
        );
        let p2: BTreeSet<(String, String, String)> = holdings.iter().cloned().collect();
        let mut matched: BTreeSet<(String, String, String)> = BTreeSet::new();
        let mut tp2 = 0;
        let mut missed2 = Vec::new();
        for h in gh {
            let mut bodies: BTreeSet<String> = BTreeSet::new();
            bodies.insert(k(h, "body"));
            for b in list(h, "body_alt") {
                bodies.insert(key(b.as_str().unwrap_or("")));
            }
            let (person, title) = (k(h, "person"), k(h, "title"));
            let hit = p2
                .iter()
                .find(|t| {
                    t.0 == person && t.1 == title && bodies.contains(&t.2) && !matched.contains(*t)
                })
                .cloned();
            match hit {
                Some(t) => {
                    matched.insert(t);
                    tp2 += 1;
                }
                None => missed2.push((person, title, bodies.into_iter().collect())),
            }
        }
        let extra2: Vec<(String, String, String)> = p2.difference(&matched).cloned().collect();
        report
            .counts
            .get_mut("L2")
            .expect("measure")
            .add(tp2, extra2.len(), gh.len() - tp2);
        for (name, field) in [
            ("congress(body,ordinal)", "ordinal"),
            ("congress(body,term)", "term"),
        ] {
            let value = |c: &Value| match c.get(field) {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.to_string()),
            };
            let gold_c: Vec<(BTreeSet<String>, String)> = list(&g.gold, "congresses")
                .iter()
                .filter(|c| !national.contains(&k(c, "body")))
                .filter_map(|c| {
                    let mut bodies: BTreeSet<String> = [k(c, "body")].into();
                    bodies.extend(
                        list(c, "body_alt")
                            .iter()
                            .map(|b| key(b.as_str().unwrap_or(""))),
                    );
                    value(c).map(|v| (bodies, v))
                })
                .collect();
            let pred_c: BTreeSet<(String, String)> = preds
                .iter()
                .filter_map(|f| match f {
                    Fact::Congress(c) => {
                        let body = key(&c.body);
                        let v = match field {
                            "ordinal" => c.ordinal.map(|o| o.to_string()),
                            _ => c
                                .term
                                .as_ref()
                                .map(|t| Value::String(t.clone()).to_string()),
                        };
                        v.filter(|_| !national.contains(&body)).map(|v| (body, v))
                    }
                    _ => None,
                })
                .collect();
            let mut used: BTreeSet<(String, String)> = BTreeSet::new();
            let mut tp = 0;
            for (bodies, v) in &gold_c {
                if let Some(hit) = pred_c
                    .iter()
                    .find(|t| bodies.contains(&t.0) && &t.1 == v && !used.contains(*t))
                {
                    used.insert(hit.clone());
                    tp += 1;
                }
            }
            report.counts.get_mut(name).expect("measure").add(
                tp,
                pred_c.difference(&used).count(),
                gold_c.len() - tp,
            );
        }
        let gch: BTreeSet<String> = list(&g.gold, "chairs")
            .iter()
            .map(|c| k(c, "person"))
            .collect();
        let pch: BTreeSet<String> = preds
            .iter()
            .filter_map(|f| match f {
                Fact::Chair(c) => Some(key(&c.person)),
                _ => None,
            })
            .collect();
        report
            .counts
            .get_mut("chair(person)")
            .expect("measure")
            .add(
                gch.intersection(&pch).count(),
                pch.difference(&gch).count(),
                gch.difference(&pch).count(),
            );
        report.details.push(Details {
            doc: g.name.clone(),
            missed_l1: g1.difference(&p1).cloned().collect(),
            extra_l1: p1.difference(&g1).cloned().collect(),
            missed_l2: missed2,
            extra_l2: extra2,
        });
    }
    report
}

impl Report {
    /// The table `score.py` prints, with `--details` the misses and false hits first.
    pub fn render(&self, details: bool) -> String {
        let mut out = String::new();
        if details {
            for d in &self.details {
                if d.missed_l1.is_empty()
                    && d.extra_l1.is_empty()
                    && d.missed_l2.is_empty()
                    && d.extra_l2.is_empty()
                {
                    continue;
                }
                out.push_str(&format!("== {}\n", d.doc));
                for m in &d.missed_l1 {
                    out.push_str(&format!("  missed L1   {m:?}\n"));
                }
                for m in &d.extra_l1 {
                    out.push_str(&format!("  extra  L1   {m:?}\n"));
                }
                for m in &d.missed_l2 {
                    out.push_str(&format!("  missed L2   {m:?}\n"));
                }
                for m in &d.extra_l2 {
                    out.push_str(&format!("  extra  L2   {m:?}\n"));
                }
            }
        }
        out.push_str(&format!("docs {}\n", self.docs));
        for m in MEASURES {
            let c = self.counts[m];
            let (p, r, f) = c.prf();
            out.push_str(&format!(
                "{m:24} P {p:.3}  R {r:.3}  F1 {f:.3}  (tp {} fp {} fn {})\n",
                c.tp, c.fp, c.fn_
            ));
        }
        out
    }

    /// The scores as JSON.
    pub fn to_json(&self) -> Value {
        let mut scores = serde_json::Map::new();
        for m in MEASURES {
            let c = self.counts[m];
            let (p, r, f) = c.prf();
            let round = |x: f64| (x * 10000.0).round() / 10000.0;
            scores.insert(
                m.to_string(),
                serde_json::json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_, "precision": round(p), "recall": round(r), "f1": round(f)}),
            );
        }
        serde_json::json!({"docs": self.docs, "scores": scores})
    }
}
