//! Org charts: a snapshot drawn as deterministic DOT — one cluster per body, nested by
//! hierarchy, one card per holding (title, person, term), head first — and rendered to SVG or PNG
//! through graphviz-rust, which runs Graphviz `dot`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use graphviz_rust::cmd::{CommandArg, Format};

use crate::error::{Error, Result};
use crate::facts::Status;
use crate::model::{Body, Holding, Snapshot};
use crate::normalize::key;

/// Which part of the graph to draw.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// Bodies whose name contains this (and the bodies under them).
    pub body: Option<String>,
    /// Bodies at a place whose name contains this.
    pub place: Option<String>,
    /// Holdings of this term ("2020-2025"); holdings without a term count when their evidence
    /// was published within it.
    pub term: Option<String>,
    /// Card colours by holding id (a diff: entered green, left red).
    pub colours: BTreeMap<String, String>,
}

/// A DOT string: quotes and backslashes escaped, line breaks as `\n`.
fn quote(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

use crate::query::in_term;

/// The DOT text of the org chart.
pub fn chart(s: &Snapshot, view: &View) -> String {
    let bodies: BTreeMap<&str, &Body> = s.bodies.iter().map(|b| (b.id.as_str(), b)).collect();
    let place_name = |id: &str| {
        s.places
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str())
    };
    let ancestors = |id: &str| {
        let mut out = vec![id.to_string()];
        let mut at = id.to_string();
        while let Some(p) = bodies
            .get(at.as_str())
            .and_then(|b| b.parent.as_deref().map(String::from))
        {
            if out.contains(&p) {
                break;
            }
            out.push(p.clone());
            at = p;
        }
        out
    };
    let matches_body = |id: &str| {
        view.body.as_ref().is_none_or(|want| {
            ancestors(id).iter().any(|a| {
                bodies
                    .get(a.as_str())
                    .is_some_and(|b| key(&b.name).contains(&key(want)))
            })
        })
    };
    let matches_place = |id: &str| {
        view.place.as_ref().is_none_or(|want| {
            ancestors(id).iter().any(|a| {
                bodies
                    .get(a.as_str())
                    .and_then(|b| b.place.as_deref())
                    .and_then(place_name)
                    .is_some_and(|n| key(n).contains(&key(want)))
            })
        })
    };
    let holdings: Vec<&Holding> = s
        .holdings
        .iter()
        .filter(|h| {
            h.body
                .as_deref()
                .is_some_and(|b| matches_body(b) && matches_place(b))
        })
        .filter(|h| view.term.as_ref().is_none_or(|t| in_term(h, t)))
        .collect();
    // Bodies drawn: those with holdings, and their ancestors.
    let mut shown: BTreeSet<String> = BTreeSet::new();
    for h in &holdings {
        if let Some(b) = &h.body {
            shown.extend(ancestors(b));
        }
    }
    let mut children: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for b in &shown {
        let parent = bodies
            .get(b.as_str())
            .and_then(|x| x.parent.as_deref().map(String::from))
            .filter(|p| shown.contains(p));
        children.entry(parent).or_default().push(b.clone());
    }
    let mut cards: BTreeMap<&str, Vec<&Holding>> = BTreeMap::new();
    for h in &holdings {
        cards
            .entry(h.body.as_deref().unwrap_or(""))
            .or_default()
            .push(h);
    }
    let person_name = |id: &str| {
        s.persons
            .iter()
            .find(|p| p.id == id)
            .map_or(id.to_string(), |p| p.name.to_string())
    };

    let mut out = String::new();
    out.push_str("digraph orgchart {\n");
    out.push_str("  graph [rankdir=TB, fontname=\"DejaVu Sans\", fontsize=12, newrank=true, compound=true];\n");
    out.push_str("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", color=\"#8a94a6\", fontname=\"DejaVu Sans\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"DejaVu Sans\", fontsize=9, color=\"#8a94a6\"];\n");
    let mut cluster = 0usize;
    let ctx = ChartCtx {
        colours: &view.colours,
        bodies: &bodies,
        children: &children,
        cards: &cards,
        person_name: &person_name,
    };
    for root in children.get(&None).into_iter().flatten() {
        ctx.cluster(&mut out, root, 1, &mut cluster);
    }
    // Congresses of the bodies drawn, with who was elected there and who chaired them.
    let drawn: BTreeSet<&str> = holdings.iter().map(|h| h.id.as_str()).collect();
    for c in &s.congresses {
        let related = c.elected.iter().any(|h| drawn.contains(h.as_str()))
            || shown.contains(c.body.as_str())
            || bodies.get(c.body.as_str()).is_some_and(|b| {
                shown.iter().any(|x| {
                    bodies.get(x.as_str()).and_then(|y| y.parent.as_deref()) == Some(b.id.as_str())
                })
            });
        if !related {
            continue;
        }
        let body = bodies.get(c.body.as_str()).map_or("", |b| b.name.as_str());
        let mut label = String::from("Đại hội");
        if let Some(o) = c.ordinal {
            let _ = write!(label, " lần thứ {o}");
        }
        let _ = write!(label, "\n{}", body);
        if let Some(t) = &c.term {
            let _ = write!(label, "\nnhiệm kỳ {t}");
        }
        if let Some(d) = &c.dates {
            let _ = write!(label, "\n{d}");
        }
        let _ = writeln!(
            out,
            "  {} [shape=ellipse, fillcolor=\"#fff4d6\", label={}];",
            quote(&c.id),
            quote(&label)
        );
        for h in c.elected.iter().filter(|h| drawn.contains(h.as_str())) {
            let _ = writeln!(
                out,
                "  {} -> {} [style=dashed, label=\"bầu tại\"];",
                quote(h),
                quote(&c.id)
            );
        }
        for p in &c.chairs {
            if let Some(h) = holdings.iter().find(|h| &h.person == p) {
                let _ = writeln!(
                    out,
                    "  {} -> {} [color=\"#b5651d\", label=\"chủ trì\"];",
                    quote(&h.id),
                    quote(&c.id)
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

struct ChartCtx<'a> {
    colours: &'a BTreeMap<String, String>,
    bodies: &'a BTreeMap<&'a str, &'a Body>,
    children: &'a BTreeMap<Option<String>, Vec<String>>,
    cards: &'a BTreeMap<&'a str, Vec<&'a Holding>>,
    person_name: &'a dyn Fn(&str) -> String,
}

impl ChartCtx<'_> {
    fn cluster(&self, out: &mut String, id: &str, depth: usize, n: &mut usize) {
        let pad = "  ".repeat(depth);
        let name = self.bodies.get(id).map_or(id, |b| b.name.as_str());
        let _ = writeln!(
            out,
            "{pad}subgraph {} {{",
            quote(&format!("cluster_{}", *n))
        );
        *n += 1;
        let _ = writeln!(
            out,
            "{pad}  label={}; style=\"rounded\"; color=\"#4a6fa5\"; fontcolor=\"#1f3b63\";",
            quote(name)
        );
        let mut cards: Vec<&&Holding> = self
            .cards
            .get(id)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        // Head first, then deputies and members; former posts last.
        cards.sort_by(|a, b| {
            (
                a.status == Status::Former,
                std::cmp::Reverse(a.rank),
                (self.person_name)(&a.person),
                &a.id,
            )
                .cmp(&(
                    b.status == Status::Former,
                    std::cmp::Reverse(b.rank),
                    (self.person_name)(&b.person),
                    &b.id,
                ))
        });
        if cards.is_empty() && self.children.get(&Some(id.to_string())).is_none() {
            let _ = writeln!(
                out,
                "{pad}  {} [shape=plaintext, label=\"\"];",
                quote(&format!("{id}#empty"))
            );
        }
        // Invisible edges stack the cards top to bottom in that order.
        for pair in cards.windows(2) {
            let _ = writeln!(
                out,
                "{pad}  {} -> {} [style=invis];",
                quote(&pair[0].id),
                quote(&pair[1].id)
            );
        }
        for h in cards {
            let mut label = format!("{}\n{}", h.title, (self.person_name)(&h.person));
            if let Some(t) = &h.term {
                let _ = write!(label, "\n{t}");
            }
            let style = match (self.colours.get(h.id.as_str()), h.status) {
                (Some(c), _) => format!(", fillcolor=\"{c}\""),
                (None, Status::Former) => {
                    ", fillcolor=\"#eeeeee\", fontcolor=\"#777777\"".to_string()
                }
                (None, Status::Current) => String::new(),
            };
            if h.status == Status::Former {
                label.push_str("\n(nguyên)");
            }
            let _ = writeln!(
                out,
                "{pad}  {} [label={}{style}];",
                quote(&h.id),
                quote(&label)
            );
        }
        for child in self
            .children
            .get(&Some(id.to_string()))
            .into_iter()
            .flatten()
        {
            self.cluster(out, child, depth + 1, n);
        }
        let _ = writeln!(out, "{pad}}}");
    }
}

/// The output format for a file name: `.dot`, `.svg` or `.png`.
pub fn format_of(path: &Path) -> Option<&'static str> {
    match path.extension()?.to_str()? {
        "dot" | "gv" => Some("dot"),
        "svg" => Some("svg"),
        "png" => Some("png"),
        _ => None,
    }
}

/// Render DOT text to SVG or PNG bytes with Graphviz `dot` (graphviz-rust runs it).
pub fn render(dot: &str, format: &str, path: &Path) -> Result<Vec<u8>> {
    let f = match format {
        "svg" => Format::Svg,
        "png" => Format::Png,
        _ => return Ok(dot.as_bytes().to_vec()),
    };
    graphviz_rust::exec_dot(dot.to_string(), vec![CommandArg::Format(f)]).map_err(|e| {
        Error::Render {
            path: path.to_path_buf(),
            message: format!("{e} (is Graphviz installed? `apt-get install graphviz`)"),
        }
    })
}
