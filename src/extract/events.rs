//! Events: congresses (Đại hội) of Party organisations with ordinal, term and dates, and the
//! persons who chaired (chủ trì, chủ tọa) a meeting.

use super::link::{group_before, persons_after};
use super::parse::BodyPhrase;
use super::scan::{khoa_at, ordinal_at, term_at, years_at, Item, ItemKind};
use super::DocView;
use crate::facts::{Chair, Congress, Evidence};
use crate::gazetteer::{BodyKind, Cue, Tail};
use crate::normalize::key;

/// A congress as one mention states it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub body: Option<String>,
    pub ordinal: Option<u32>,
    pub term: Option<String>,
    pub dates: Option<String>,
    pub national: bool,
    pub sentence: usize,
    pub evidence: Evidence,
}

const NATIONAL: &str = "Đảng Cộng sản Việt Nam";

/// Every congress mention of the document.
pub fn congress_mentions(v: &DocView) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for (s, items) in v.items.iter().enumerate() {
        for (k, it) in items.iter().enumerate() {
            if !matches!(it.kind, ItemKind::Cue(Cue::Congress)) {
                continue;
            }
            drafts.extend(read_congress(v, s, items, k));
        }
    }
    // "Đại hội VII" with no organisation: the organisation the article's congresses are of.
    let main = main_body(&drafts);
    for d in &mut drafts {
        if d.body.is_none() && !d.national {
            d.body = main.clone();
        }
    }
    drafts.retain(|d| d.body.is_some() || d.national);
    drafts
}

fn main_body(drafts: &[Draft]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for d in drafts.iter().filter(|d| !d.national) {
        let Some(b) = &d.body else { continue };
        match counts.iter_mut().find(|(n, _)| n == b) {
            Some(c) => c.1 += 1,
            None => counts.push((b.clone(), 1)),
        }
    }
    let best = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == best).map(|c| c.0)
}

/// The congress a cue opens, and the congresses of the same level it goes on to name by place
/// alone: "Đại hội Đảng bộ tỉnh Lâm Đồng lần thứ XI, Đắk Nông lần thứ XII và Bình Thuận lần thứ
/// XIV, nhiệm kỳ 2020 - 2025" (the provinces merged in 2025).
fn read_congress(v: &DocView, s: usize, items: &[Item], k: usize) -> Vec<Draft> {
    let Some((first, b, end)) = read_one_congress(v, s, items, k) else {
        return Vec::new();
    };
    let p = v.parser(s);
    let mut siblings = Vec::new();
    let mut j = end;
    if let Some(b) = b.filter(|b| b.place.is_some() && first.ordinal.is_some()) {
        while matches!(p.word(j), "," | "và") {
            // "…, Đắk Nông lần thứ XII", or the organisation again: "…, Đảng bộ tỉnh Đắk Nông
            // lần thứ XII".
            let again = p
                .body_at(j + 1, 0)
                .filter(|o| o.head == b.head && o.parent.is_none())
                .and_then(|o| Some((o.place?, o.end - j - 1, o.level?)));
            let Some((place, n, level)) = again.or_else(|| p.known_place_at(j + 1)) else {
                break;
            };
            let at = j + 1 + n;
            let ordinal = (p.word(at) == "lần" && p.word(at + 1) == "thứ")
                .then(|| ordinal_at(&p, at + 2))
                .flatten();
            let Some((ordinal, after)) = ordinal.filter(|_| Some(level) == b.level) else {
                break;
            };
            let mut other = b.clone();
            other.place = Some(place);
            siblings.push((v.resolver.name("", &other), ordinal, (j + 1, after)));
            j = after;
        }
    }
    // The term written after the last names them all.
    let term = first.term.clone().or_else(|| {
        let at = j + usize::from(p.word(j) == ",");
        term_at(&p, at)
            .map(|t| t.0)
            .filter(|_| !siblings.is_empty())
    });
    let mut out = vec![Draft {
        term: term.clone(),
        ..first
    }];
    for (body, ordinal, (at, end)) in siblings {
        let evidence = v.evidence(at, end, "congress");
        out.push(Draft {
            body: Some(body),
            ordinal: Some(ordinal),
            term: term.clone(),
            dates: None,
            national: false,
            sentence: s,
            evidence,
        });
    }
    out
}

/// One congress at cue `k`, the body it names and where its mention ends.
fn read_one_congress(
    v: &DocView,
    s: usize,
    items: &[Item],
    k: usize,
) -> Option<(Draft, Option<BodyPhrase>, usize)> {
    let p = v.parser(s);
    let cue = &items[k];
    let mut j = cue.end;
    let mut body: Option<BodyPhrase> = None;
    let mut ordinal = None;
    let mut term = None;
    let mut national = false;
    for _ in 0..12 {
        let (w, w2) = (p.word(j), p.word(j + 1));
        match (w, w2) {
            ("đại", "biểu") | ("đảng", "viên") => j += 2,
            ("toàn", "quốc") => {
                national = true;
                j += 2;
            }
            ("lần", "thứ") => match ordinal_at(&p, j + 2) {
                Some((n, end)) => {
                    ordinal.get_or_insert(n);
                    j = end;
                }
                None => break,
            },
            ("nhiệm", "kỳ") => match term_at(&p, j) {
                Some((t, end)) => {
                    term.get_or_insert(t);
                    j = end;
                }
                None => break,
            },
            (",", "nhiệm") => j += 1,
            ("của", "đảng") if body.is_none() && p.word(j + 2) != "bộ" => {
                national = true;
                j += 2;
            }
            ("đảng", "toàn") | ("đảng", "cộng") => {
                national = true;
                j += 1;
            }
            ("đảng", "các") => return None,
            ("(", "nhiệm") => j += 1,
            ("(", _) => {
                if let Some((n, end)) = khoa_at(&p, j) {
                    ordinal.get_or_insert(n);
                    j = end;
                    continue;
                }
                // "lần thứ VII (2020 - 2025)": the term in brackets.
                if let Some((t, end)) = years_at(&p, j + 1).filter(|&(_, e)| p.word(e) == ")") {
                    term.get_or_insert(t);
                    j = end + 1;
                    continue;
                }
                // "(Long An)": a place in brackets.
                let close = (j + 1..j + 6).find(|&x| p.word(x) == ")");
                match close {
                    Some(c) if p.known_place_at(j + 1).is_some() => j = c + 1,
                    _ => break,
                }
            }
            ("khóa", _) => match khoa_at(&p, j) {
                Some((n, end)) => {
                    ordinal.get_or_insert(n);
                    j = end;
                }
                None => break,
            },
            _ => {
                if body.is_none() {
                    if let Some(b) = p.body_at(j, 0) {
                        j = b.end;
                        body = Some(b);
                        continue;
                    }
                }
                let roman = p.token(j).is_some_and(|t| t.capital)
                    && super::scan::roman(p.tokens[j].text(p.text)).is_some();
                if roman && ordinal.is_none() {
                    ordinal = ordinal_at(&p, j).map(|o| o.0);
                    j += 1;
                    continue;
                }
                break;
            }
        }
    }
    if body.is_none() && !national {
        body = subject_before(items, k);
    }
    if term.is_none() && !national {
        // "tại Đại hội … lần thứ XX, đồng chí X tái đắc cử Bí thư Tỉnh ủy khóa XX, nhiệm kỳ
        // 2020-2025": one term in the sentence is the congress's.
        // Not a post's term before the congress ("bổ nhiệm Đại sứ nhiệm kỳ 2025-2028; … công
        // tác đại hội"); a term fronted before it is ("Nhiệm kỳ 2015 - 2020, … Nghị quyết Đại
        // hội lần thứ XI").
        let posts = |t: usize| {
            t < k && t > 0 && matches!(items[t - 1].kind, ItemKind::Title(_) | ItemKind::Body(_))
        };
        let mut terms: Vec<&String> = items
            .iter()
            .enumerate()
            .filter_map(|(t, i)| match &i.kind {
                ItemKind::Term(term) if !posts(t) => Some(term),
                _ => None,
            })
            .collect();
        terms.dedup();
        let congresses = items
            .iter()
            .filter(|i| matches!(i.kind, ItemKind::Cue(Cue::Congress)))
            .count();
        if terms.len() == 1 && congresses == 1 {
            term = Some(terms[0].clone());
        }
    }
    let start = items[k].first;
    let evidence = v.evidence(
        start.min(body.as_ref().map_or(start, |b| b.first)),
        j.max(cue.end),
        "congress",
    );
    let mut name = None;
    let mut written = None;
    if let Some(mut b) = body {
        let def = &v.g.bodies[b.head as usize];
        if b.generic || b.void {
            return None;
        }
        match def.kind {
            BodyKind::PartyOrganisation | BodyKind::PartyCell if def.tail == Tail::None => {
                national = true;
            }
            BodyKind::PartyOrganisation | BodyKind::PartyCell => {}
            BodyKind::PartyCommittee if def.tail == Tail::Org => {
                b.head = v.head("Đảng bộ");
            }
            _ => return None,
        }
        if !national {
            if b.is_bare() && ordinal.is_none() && term.is_none() {
                return None;
            }
            let paragraph = v.sents[s].paragraph;
            let at = b.first;
            v.resolver.complete(&mut b, &[], s, paragraph, at);
            // An organisation left unnamed needs the congress's ordinal ("Thẻ: Đại hội Đảng bộ,
            // …, nhiệm kỳ 2025-2030" names none); `congress_mentions` then gives it the
            // article's main organisation.
            if b.is_bare() {
                ordinal?;
            } else {
                name = Some(v.resolver.name("", &b));
                written = Some(b);
            }
        }
    } else if ordinal.is_none() {
        return None;
    }
    if national && ordinal.is_none() {
        return None;
    }
    let dates = if held_here(v, s, k) {
        v.first_date(s).and_then(|d| d.iso(v.year))
    } else {
        None
    };
    let draft = Draft {
        body: if national {
            Some(NATIONAL.to_string())
        } else {
            name
        },
        ordinal,
        term,
        dates,
        national,
        sentence: s,
        evidence,
    };
    Some((draft, written, j))
}

/// "Đảng bộ Công an tỉnh X tổ chức Đại hội …": the organisation named before the congress;
/// "Đảng bộ Tập đoàn X (EVN) tổ chức …": not the short name in brackets after it.
fn subject_before(items: &[Item], k: usize) -> Option<BodyPhrase> {
    let mut depth = 0usize;
    items[..k]
        .iter()
        .rev()
        .take(16)
        .filter(|i| {
            match i.kind {
                ItemKind::Punct(')') => depth += 1,
                ItemKind::Punct('(') => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .take_while(|i| {
            !matches!(
                i.kind,
                ItemKind::Person(_) | ItemKind::Title(_) | ItemKind::Punct('.' | ';' | ',')
            )
        })
        .find_map(|i| match &i.kind {
            ItemKind::Body(b) => Some((**b).clone()),
            _ => None,
        })
}

/// Does the sentence report the congress taking place (not a resolution of it)?
fn held_here(v: &DocView, s: usize, k: usize) -> bool {
    let before = if k > 0 {
        v.item_word(s, k - 1)
    } else {
        String::new()
    };
    if before == "quyết" || before == "trình" {
        return false;
    }
    let text = v.sentence_lower(s);
    [
        "diễn ra",
        "tổ chức",
        "khai mạc",
        "bế mạc",
        "tiến hành",
        "họp",
        "ngày",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// Merge the mentions of one congress into one record. Mentions with an ordinal are merged
/// first; a mention with only a term then joins the record of the same body and term.
pub fn merge(doc: &str, drafts: Vec<Draft>) -> Vec<(Congress, usize)> {
    let mut out: Vec<(Congress, usize)> = Vec::new();
    // The key of each record's body, computed once: a long text may have many mentions.
    let mut body_keys: Vec<String> = Vec::new();
    let (numbered, rest): (Vec<Draft>, Vec<Draft>) =
        drafts.into_iter().partition(|d| d.ordinal.is_some());
    for d in numbered.into_iter().chain(rest) {
        let body = d.body.clone().unwrap_or_default();
        let body_key = key(&body);
        let records = || {
            out.iter()
                .zip(&body_keys)
                .map(|((c, _), k)| (c, *k == body_key))
        };
        let exact = records().position(|(c, same_body)| {
            same_body
                && compatible(&c.ordinal, &d.ordinal)
                && (c.term == d.term || (d.ordinal.is_some() && compatible(&c.term, &d.term)))
        });
        let loose = || {
            records().position(|(c, same_body)| {
                same_body && compatible(&c.ordinal, &d.ordinal) && compatible(&c.term, &d.term)
            })
        };
        match exact.or_else(loose) {
            Some(i) => {
                let c = &mut out[i].0;
                c.ordinal = c.ordinal.or(d.ordinal);
                c.term = c.term.clone().or(d.term);
                c.dates = c.dates.clone().or(d.dates);
            }
            None if d.ordinal.is_none() && d.term.is_none() => {}
            None => {
                body_keys.push(body_key);
                out.push((
                    Congress {
                        doc: doc.to_string(),
                        body,
                        ordinal: d.ordinal,
                        term: d.term,
                        dates: d.dates,
                        delegates: None,
                        elected: Vec::new(),
                        evidence: d.evidence,
                    },
                    d.sentence,
                ));
            }
        }
    }
    out.sort_by_key(|(c, _)| c.evidence.start);
    out
}

fn compatible<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// Persons who chaired, with the event and its date.
pub fn chairs(v: &DocView, doc: &str) -> Vec<Chair> {
    let mut out: Vec<Chair> = Vec::new();
    // The keys of the persons in `out`.
    let mut chaired: Vec<String> = Vec::new();
    for (s, items) in v.items.iter().enumerate() {
        let words = |k: usize| v.item_word(s, k);
        for (k, it) in items.iter().enumerate() {
            if !matches!(it.kind, ItemKind::Cue(Cue::Chair)) {
                continue;
            }
            // "Ban Tổ chức chủ trì"; not "A thay mặt Đoàn Chủ tịch chủ trì" nor "A cùng các
            // đồng chí trong Đoàn Chủ tịch chủ trì", where A chairs.
            let subject_is_body = items[..k]
                .iter()
                .rposition(|i| !matches!(i.kind, ItemKind::Word))
                .is_some_and(|b| {
                    matches!(items[b].kind, ItemKind::Body(_))
                        && !(b >= 2 && words(b - 2) == "thay" && words(b - 1) == "mặt")
                        && !(b >= 1 && words(b - 1) == "trong")
                });
            // "dưới sự chủ trì của Tổng Bí thư X": the person after the titles.
            let of_whom = k >= 1 && words(k - 1) == "sự" && words(k + 1) == "của";
            let mut persons = if of_whom {
                let mut j = k + 2;
                while items.get(j).is_some_and(|i| {
                    matches!(
                        i.kind,
                        ItemKind::Title(_)
                            | ItemKind::Punct(',')
                            | ItemKind::PersonCue
                            | ItemKind::Rank
                    )
                }) {
                    j += 1;
                }
                persons_after(items, j, false, &words)
            } else if subject_is_body {
                Vec::new()
            } else {
                group_before(items, k, &words)
            };
            if persons.is_empty() {
                // "chủ trì phiên khai mạc là các đồng chí: …", "Chủ trì đại hội là Đoàn Chủ
                // tịch gồm các đồng chí: …".
                let presidium = |i: &Item| matches!(&i.kind, ItemKind::Body(b) if b.void);
                // "cùng chủ trì có các đồng chí Phó Chủ tịch HĐND tỉnh: A và B": a title that
                // heads the names.
                let heading = |j: usize| {
                    items[j].title().is_some() && items.get(j + 1).is_some_and(|n| n.is_punct(':'))
                };
                // "Chủ trì hội nghị, đồng chí X, …": the cue opening the sentence, then the person.
                let fronted = |j: usize| k == 0 && items[j].is_punct(',');
                let mut j = k + 1;
                while j < items.len()
                    && j < k + 8
                    && (matches!(
                        items[j].kind,
                        ItemKind::Word
                            | ItemKind::Punct(':')
                            | ItemKind::PersonCue
                            | ItemKind::Cue(_)
                    ) || presidium(&items[j])
                        || heading(j)
                        || fronted(j))
                {
                    j += 1;
                }
                persons = persons_after(items, j, true, &words);
            }
            for p in persons {
                let Some(name) = items[p].person() else {
                    continue;
                };
                let person = key(&name.name);
                if chaired.contains(&person) {
                    continue;
                }
                chaired.push(person);
                out.push(Chair {
                    doc: doc.to_string(),
                    person: name.name.clone(),
                    event: event_name(v, s, it.end),
                    date: event_date(v, s),
                    evidence: v.evidence(
                        items[p].first.min(it.first),
                        it.end.max(items[p].end),
                        "chair",
                    ),
                });
            }
        }
    }
    out
}

const MEETINGS: [&str; 9] = [
    "phiên",
    "hội nghị",
    "đại hội",
    "kỳ họp",
    "phiên họp",
    "cuộc họp",
    "buổi làm việc",
    "hội thảo",
    "lễ",
];

/// The meeting chaired: its fullest mention in the document, up to the end of that sentence.
fn event_name(v: &DocView, s: usize, after: usize) -> String {
    let p = v.parser(s);
    let next = format!("{} {}", p.word(after), p.word(after + 1));
    let kind = MEETINGS
        .iter()
        .find(|m| next.starts_with(*m) || p.word(after) == **m)
        .copied()
        .unwrap_or("hội nghị");
    let lower = v.norm.lower();
    let text = v.norm.text();
    let at = lower.find(kind);
    match at {
        Some(at) => {
            let end = text[at..]
                .find(['.', '\n', ';'])
                .map(|e| at + e)
                .unwrap_or(text.len());
            let phrase = text[at..end].trim();
            phrase
                .split(" chủ trì")
                .next()
                .unwrap_or(phrase)
                .trim_end_matches(',')
                .to_string()
        }
        None => v.sentence_text(s).to_string(),
    }
}

/// The date of the chaired meeting: in its sentence, else earlier in the paragraph or article.
fn event_date(v: &DocView, s: usize) -> Option<String> {
    (0..=s)
        .rev()
        .find_map(|k| v.first_date(k))
        .and_then(|d| d.iso(v.year))
}
