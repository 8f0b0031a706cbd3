//! Extraction: one document in, its holdings, congresses and chairs out.
//!
//! The stages follow the data: normalise ([`crate::normalize`]) → tokens and sentences
//! ([`crate::segment`]) → items per sentence ([`scan`], using the phrase grammar of [`parse`]) →
//! document context and ellipsis ([`resolve`]) → persons linked to titles ([`link`]) → congresses
//! and chairs ([`events`]).

pub mod dates;
pub mod events;
pub mod link;
pub mod parse;
pub mod resolve;
pub mod scan;

use crate::facts::{DocumentInfo, Elected, Evidence, Extraction, Holding, Status};
use crate::gazetteer::{BodyKind, Cue, Gazetteer, TitleDef};
use crate::normalize::{key, Normalized};
use crate::segment::{sentences, tokenize, Sentence, Token};

use parse::{BodyPhrase, Parser};
use resolve::{DocContext, Resolver};
use scan::{Item, ItemKind};

/// An input article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document id: file name without extension, or the JSON Lines `id`.
    pub id: String,
    pub text: String,
    pub url: Option<String>,
    /// Publication date given with the input, if any.
    pub published: Option<String>,
    /// Where each byte of `text` stands in the input as read (a legacy encoding, an HTML
    /// page); `None` when `text` is the input itself.
    pub origin: Option<Vec<u32>>,
    /// What reading the input found amiss (undecodable bytes), for the user.
    pub warnings: Vec<String>,
}

impl Document {
    /// A document from an id and a text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            url: None,
            published: None,
            origin: None,
            warnings: Vec::new(),
        }
    }
}

/// The extractor: a compiled gazetteer. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    g: Gazetteer,
}

/// One document as the later stages see it.
pub struct DocView<'a> {
    pub g: &'a Gazetteer,
    pub norm: &'a Normalized,
    pub tokens: &'a [Token],
    pub words: &'a [&'a str],
    pub matches: &'a crate::gazetteer::Matches,
    /// Short names the document defined for bodies.
    pub aliases: &'a [parse::Alias],
    pub sents: &'a [Sentence],
    pub items: &'a [Vec<Item>],
    pub resolver: Resolver<'a>,
    /// The year of the article, for dates written without one.
    pub year: Option<u32>,
    /// Input offsets of the document's text bytes, and the offset of this chunk in the text.
    pub origin: Option<&'a [u32]>,
    pub base: usize,
    /// The first event date of each sentence, read when first asked for.
    pub first_dates: Vec<std::cell::OnceCell<Option<dates::EventDate>>>,
}

impl<'a> DocView<'a> {
    /// The phrase grammar limited to sentence `s`.
    pub fn parser(&self, s: usize) -> Parser<'a> {
        Parser {
            g: self.g,
            text: self.norm.text(),
            tokens: self.tokens,
            words: self.words,
            matches: self.matches,
            limit: self.sents[s].end,
            aliases: self.aliases,
        }
    }

    /// Evidence for tokens `first..end`, as source byte offsets.
    pub fn evidence(&self, first: usize, end: usize, rule: &str) -> Evidence {
        let end = end.max(first + 1).min(self.tokens.len());
        let (s, e) = self
            .norm
            .source_span(self.tokens[first].start, self.tokens[end - 1].end);
        // Offsets of the document's text, then of the input as read.
        let input = |at: usize| match self.origin {
            Some(o) => o[(self.base + at).min(o.len() - 1)] as usize,
            None => self.base + at,
        };
        let (s, e) = (input(s), input(e));
        Evidence {
            start: s,
            end: e,
            rule: rule.to_string(),
        }
    }

    /// The lower-case first word of item `k` of sentence `s` ("" past the end).
    pub fn item_word(&self, s: usize, k: usize) -> String {
        match self.items[s].get(k) {
            Some(it) => self.words[it.first].to_string(),
            None => String::new(),
        }
    }

    /// The first event date of sentence `s` ([`dates::event_dates`]), read once.
    pub fn first_date(&self, s: usize) -> Option<dates::EventDate> {
        let read = || dates::event_dates(self.sentence_text(s)).first().copied();
        match self.first_dates.get(s) {
            Some(cell) => *cell.get_or_init(read),
            None => read(),
        }
    }

    /// The normalised text of sentence `s`.
    pub fn sentence_text(&self, s: usize) -> &str {
        &self.norm.text()[self.sentence_range(s)]
    }

    /// The normalised text of sentence `s` in lower case (byte for byte aligned with
    /// [`DocView::sentence_text`]).
    pub fn sentence_lower(&self, s: usize) -> &str {
        &self.norm.lower()[self.sentence_range(s)]
    }

    fn sentence_range(&self, s: usize) -> std::ops::Range<usize> {
        let sent = self.sents[s];
        if sent.first >= sent.end {
            return 0..0;
        }
        self.tokens[sent.first].start..self.tokens[sent.end - 1].end
    }

    /// The body head named `name`.
    pub fn head(&self, name: &str) -> u16 {
        self.g
            .bodies
            .iter()
            .position(|b| b.name == name)
            .unwrap_or(0) as u16
    }
}

impl Extractor {
    /// An extractor over a gazetteer.
    pub fn new(g: Gazetteer) -> Self {
        Extractor { g }
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.g
    }

    /// Extract the facts of one document. A very long text is read in pieces of about
    /// [`CHUNK`] bytes, cut between paragraphs or sentences, so time and memory stay linear.
    pub fn extract(&self, doc: &Document) -> Extraction {
        if doc.text.len() <= CHUNK {
            return self.extract_at(doc, &doc.text, 0);
        }
        let mut out = Extraction::default();
        let mut base = 0;
        for piece in chunks(&doc.text, CHUNK) {
            let x = self.extract_at(doc, piece, base);
            base += piece.len();
            if out.info.is_none() {
                out.info = x.info;
            }
            out.holdings.extend(x.holdings);
            out.congresses.extend(x.congresses);
            out.chairs.extend(x.chairs);
        }
        out.holdings = dedupe(out.holdings);
        if let Some(info) = &mut out.info {
            info.bytes = doc.text.len();
        }
        out
    }

    /// Extract the facts of `text`, the part of `doc.text` that starts at byte `base`.
    fn extract_at(&self, doc: &Document, text: &str, base: usize) -> Extraction {
        let g = &self.g;
        let norm = g.normalizer().normalize(text);
        let tokens = tokenize(norm.text());
        let lower = norm.lower();
        let words: Vec<&str> = tokens.iter().map(|t| t.text(lower)).collect();
        let sents = sentences(norm.text(), &tokens);
        let matches = g.matches(&words);
        let whole = Parser::whole(g, norm.text(), &tokens, &words, &matches);
        let aliases = parse::aliases(&whole, |k| {
            sents
                .get(sents.partition_point(|s| s.end <= k))
                .map_or((0, tokens.len()), |s| (s.first, s.end))
        });
        let items: Vec<Vec<Item>> = sents
            .iter()
            .map(|s| {
                let p = Parser {
                    limit: s.end,
                    aliases: &aliases,
                    ..whole
                };
                scan::scan(&p, s.first, s.end)
            })
            .collect();
        let mut items = items;
        written_apostrophes(&mut items, &tokens, &norm, text);
        resolve_pronouns(&mut items, &sents, &tokens, &words);
        let paragraphs: Vec<usize> = sents.iter().map(|s| s.paragraph).collect();
        let published = doc.published.clone().or_else(|| dates::published(text));
        let ctx = DocContext::build(g, &items, &words, &paragraphs, published.as_deref());
        let year = published
            .as_deref()
            .and_then(|p| p.get(..4))
            .and_then(|y| y.parse().ok())
            .or_else(|| dates::latest_year(norm.text()));
        let view = DocView {
            g,
            norm: &norm,
            tokens: &tokens,
            words: &words,
            matches: &matches,
            aliases: &aliases,
            sents: &sents,
            items: &items,
            resolver: Resolver { g, ctx: &ctx },
            year,
            origin: doc.origin.as_deref(),
            base,
            first_dates: vec![std::cell::OnceCell::new(); sents.len()],
        };
        let (holdings, elected) = holdings(&view, &doc.id);
        let drafts = events::congress_mentions(&view);
        let mut congresses = events::merge(&doc.id, drafts);
        attach_elected(view.g, &mut congresses, &elected);
        let chairs = events::chairs(&view, &doc.id);
        Extraction {
            info: Some(DocumentInfo {
                doc: doc.id.clone(),
                published,
                province: ctx.province.clone(),
                district: ctx.district.clone(),
                commune: ctx.commune.clone(),
                url: doc.url.clone(),
                bytes: doc.text.len(),
            }),
            holdings,
            congresses: congresses.into_iter().map(|(c, _)| c).collect(),
            chairs,
        }
    }
}

/// Names keep the apostrophes they were written with ("H’Nga Ktla"); normalising the text made
/// every one of them "'".
fn written_apostrophes(items: &mut [Vec<Item>], tokens: &[Token], norm: &Normalized, text: &str) {
    for it in items.iter_mut().flatten() {
        let ItemKind::Person(p) = &mut it.kind else {
            continue;
        };
        if !p.name.contains('\'') || it.end <= it.first {
            continue;
        }
        let (s, e) = norm.source_span(tokens[it.first].start, tokens[it.end - 1].end);
        let apostrophe =
            |c: &char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}');
        let written: Vec<char> = text
            .get(s..e)
            .unwrap_or("")
            .chars()
            .filter(apostrophe)
            .collect();
        if written.len() == p.name.matches('\'').count() {
            let mut w = written.into_iter();
            p.name = p
                .name
                .chars()
                .map(|c| match c {
                    '\'' => w.next().unwrap_or(c),
                    c => c,
                })
                .collect();
        }
    }
}

/// The size of the pieces a very long text is read in.
pub const CHUNK: usize = 1 << 20;

/// Cut `text` into pieces of at most about `size` bytes, at a paragraph break, else a line
/// break, else a sentence end, else a space, else a character boundary.
fn chunks(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > size {
        let mut limit = size;
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &rest[..limit];
        let cut = ["\n\n", "\n", ". ", " "]
            .iter()
            .find_map(|sep| {
                window
                    .rfind(sep)
                    .filter(|&at| at > size / 2)
                    .map(|at| at + sep.len())
            })
            .unwrap_or(limit);
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    out.push(rest);
    out
}

/// "Cùng ngày, bà được bổ nhiệm …": a lone "ông", "bà", "đồng chí" before a verb is the person
/// last named in the paragraph, or the one person the paragraph before spoke of.
fn resolve_pronouns(items: &mut [Vec<Item>], sents: &[Sentence], tokens: &[Token], words: &[&str]) {
    let mut last: Option<String> = None;
    let mut named: Vec<String> = Vec::new();
    let mut paragraph = usize::MAX;
    // The persons the current paragraph speaks of, pronouns included.
    let mut spoken: Vec<String> = Vec::new();
    for (s, list) in items.iter_mut().enumerate() {
        if sents[s].paragraph != paragraph {
            paragraph = sents[s].paragraph;
            // "Ông X sinh năm …", then a paragraph "Ông từng …": a profile goes on.
            last = match spoken.first() {
                Some(one) if spoken.iter().all(|p| p == one) => Some(one.clone()),
                _ => None,
            };
            spoken.clear();
        }
        let mut k = 0;
        // The person this sentence opens with, its subject.
        let mut subject: Option<String> = None;
        while k < list.len() {
            if let ItemKind::Person(p) = &list[k].kind {
                let opens = list[..k]
                    .iter()
                    .all(|i| matches!(i.kind, ItemKind::PersonCue | ItemKind::Rank));
                if opens {
                    subject = Some(p.name.clone());
                }
                last = Some(p.name.clone());
                named.push(p.name.clone());
                spoken.push(p.name.clone());
                k += 1;
                continue;
            }
            let is_cue = matches!(list[k].kind, ItemKind::PersonCue)
                && match &words[list[k].first..list[k].end] {
                    [w] => matches!(*w, "ông" | "bà"),
                    [a, b] => *a == "đồng" && *b == "chí",
                    _ => false,
                };
            if !is_cue {
                k += 1;
                continue;
            }
            let (first, mut end) = (list[k].first, list[k].end);
            // "ông Lực": a given name alone is the person of that name named before.
            let given = list.get(k + 1).filter(|n| {
                matches!(n.kind, ItemKind::Word) && n.end == n.first + 1 && tokens[n.first].capital
            });
            let name = match given {
                Some(g) => {
                    let w = words[g.first];
                    end = g.end;
                    named
                        .iter()
                        .rev()
                        .find(|n| n.rsplit(' ').next().is_some_and(|l| l.to_lowercase() == w))
                        .cloned()
                }
                // "Cùng ngày, bà được bổ nhiệm …": a lone "ông", "bà" before a verb.
                // "bổ nhiệm đồng chí giữ chức …": "đồng chí" only as the object of an
                // appointment ("các đồng chí được bầu" is no one person).
                None if list
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.kind, ItemKind::Word | ItemKind::Cue(_)))
                    && (words[first] != "đồng" || appointed_object(words, first)) =>
                {
                    // "Ông A, Chủ tịch UBND tỉnh, ký quyết định bổ nhiệm đồng chí giữ chức …":
                    // not the sentence's subject, who appoints.
                    if words[first] == "đồng" && last.is_some() && last == subject {
                        k += 1;
                        continue;
                    }
                    // Not "ông" for a woman named with "Thị".
                    last.clone()
                        .filter(|n| words[first] != "ông" || !n.split(' ').any(|w| w == "Thị"))
                }
                None => None,
            };
            if let Some(name) = name {
                if given.is_some() {
                    list.remove(k + 1);
                }
                list[k] = Item {
                    kind: ItemKind::Person(parse::NamePhrase {
                        name: name.clone(),
                        first,
                        end,
                    }),
                    first,
                    end,
                };
                spoken.push(name.clone());
                last = Some(name);
            }
            k += 1;
        }
    }
}

/// Is the word at `at` ("đồng" of "đồng chí") the object of a verb of appointment: "bổ nhiệm",
/// "điều động", "chỉ định", "bầu", "cử" right before it?
fn appointed_object(words: &[&str], at: usize) -> bool {
    let w = |back: usize| at.checked_sub(back).map_or("", |i| words[i]);
    matches!(
        (w(2), w(1)),
        ("bổ", "nhiệm") | ("điều", "động") | ("chỉ", "định") | (_, "bầu") | (_, "cử")
    ) && !matches!((w(2), w(1)), ("bầu", "cử"))
}

/// Holdings of the document, and for each elected holding the sentence it was stated in.
fn holdings(v: &DocView, doc: &str) -> (Vec<Holding>, Vec<(Holding, usize)>) {
    let mut out: Vec<Holding> = Vec::new();
    let mut elected = Vec::new();
    // A member list announced at the end of a sentence ("… gồm 13 đồng chí, cụ thể:") whose
    // members follow one a line ("1. Nguyễn Văn A - Bí thư Tỉnh ủy.").
    let mut open_list: Option<OpenList> = None;
    for (s, items) in v.items.iter().enumerate() {
        let words = |k: usize| v.item_word(s, k);
        // The organisation of the list a member line belongs to.
        let mut organ: Option<BodyPhrase> = None;
        if let Some(list) = &mut open_list {
            // The list ends with the count it gave, or at a line written otherwise than its
            // members ("1. …", "2. …", then "Đồng chí X được bầu …").
            let member = list_member(v, s, items)
                .filter(|&(_, numbered)| list.numbered.is_none_or(|n| n == numbered))
                .filter(|_| list.left != Some(0));
            match member {
                Some((p, numbered)) => {
                    list.numbered = Some(numbered);
                    list.left = list.left.map(|n| n - 1);
                    organ.clone_from(&list.organ);
                    let it = &items[p];
                    if let Some(title) = &list.title {
                        out.push(Holding {
                            doc: doc.to_string(),
                            person: it.person().map(|n| n.name.clone()).unwrap_or_default(),
                            title: title.clone(),
                            body: Some(list.body.clone()),
                            term: None,
                            status: Status::Current,
                            evidence: v.evidence(it.first, it.end, "members"),
                        });
                    }
                }
                None => open_list = None,
            }
        }
        if let Some(b) = announced_list(v, s, items) {
            open_list = Some(b);
        }
        let (lists, links) = link::link(v.g, items, &words);
        let paragraph = v.sents[s].paragraph;
        let bodies: Vec<Vec<Option<BodyPhrase>>> = lists
            .iter()
            .map(|l| {
                let mut bodies: Vec<Option<BodyPhrase>> = l
                    .titles
                    .iter()
                    .map(|&t| items[t].title().and_then(|t| t.body.clone()))
                    .collect();
                let defs: Vec<&TitleDef> = l
                    .titles
                    .iter()
                    .map(|&t| &v.g.titles[items[t].title().map_or(0, |t| t.title) as usize])
                    .collect();
                // "Hội Nông dân xã do ông X làm Chủ tịch": the body the person heads.
                if let Some(first) = bodies.first_mut().filter(|f| f.is_none()) {
                    *first = led_by(items, l.first, &words);
                }
                // "Ban Thường vụ Hội LHPN tỉnh gồm: - A, Trưởng Ban Tuyên giáo": a board of
                // the list's organisation.
                if let Some(o) = &organ {
                    bodies
                        .iter_mut()
                        .flatten()
                        .for_each(|b| v.resolver.within(b, o));
                }
                let at = items[l.first].first;
                // "Phó Giám đốc Sở X, nguyên Trưởng Ban Dân tộc tỉnh A (cũ)": a past post's body
                // is no sibling of a current one. Most lists are all current.
                let mixed = l.former.iter().any(|&f| f) && l.former.iter().any(|&f| !f);
                if !mixed {
                    v.resolver
                        .complete_list(&mut bodies, &defs, s, paragraph, at);
                }
                for past in [false, true].into_iter().filter(|_| mixed) {
                    let part: Vec<usize> =
                        (0..bodies.len()).filter(|&k| l.former[k] == past).collect();
                    if part.is_empty() {
                        continue;
                    }
                    let mut sub: Vec<Option<BodyPhrase>> =
                        part.iter().map(|&k| bodies[k].take()).collect();
                    let sub_defs: Vec<&TitleDef> = part.iter().map(|&k| defs[k]).collect();
                    v.resolver
                        .complete_list(&mut sub, &sub_defs, s, paragraph, at);
                    for (k, b) in part.into_iter().zip(sub) {
                        bodies[k] = b;
                    }
                }
                // A bare post in a line of a committee's list: of its organisation ("Ban
                // Thường trực gồm: 1. Đồng chí A, …, Chủ tịch.").
                // Only a title that ends its clause: "Chủ nhiệm Chính trị Quân khu" names a
                // body of its own that is not read.
                // Not a post with a body of its own ("Thủ tướng" of the Government).
                if let Some(o) = &organ {
                    for (k, b) in bodies.iter_mut().enumerate() {
                        let ends = items
                            .get(l.titles[k] + 1)
                            .is_none_or(|n| matches!(n.kind, ItemKind::Punct(_)));
                        // A board set up for the occasion ("Ban Lễ tang") gives only its own
                        // posts, not "Phó Giám đốc" of a member's line.
                        let own = v.g.bodies[o.head as usize].name != "Ban"
                            || defs[k].name.ends_with("ban")
                            || matches!(defs[k].name.as_str(), "Ủy viên" | "Thư ký");
                        if b.is_none() && ends && own && defs[k].default_body.is_none() {
                            *b = Some(o.clone());
                        }
                    }
                }
                bodies
            })
            .collect();
        for link in links {
            let Some(person) = items[link.person].person() else {
                continue;
            };
            // Where the evidence ends at least: a body in brackets after the person.
            let mut tail = 0;
            let (title, body, span_item) = match (link.title, link.body_item) {
                (Some(t), _) => {
                    let item = lists[link.list].titles[t];
                    let Some(tp) = items[item].title() else {
                        continue;
                    };
                    let def = &v.g.titles[tp.title as usize];
                    let mut body = &bodies[link.list][t];
                    if body.as_ref().is_some_and(|b| b.void || b.generic) {
                        continue;
                    }
                    // "bổ nhiệm Thẩm phán đối với …: ông A (TAND tỉnh), ông B và ông C (TAND
                    // khu vực 3)": the body in brackets after the person, or after those
                    // joined to them by "và".
                    // So for a bare head the bracket names ("Phó Giám đốc Sở …: ông A (Sở Tài
                    // chính)").
                    let written = items[lists[link.list].titles[t]]
                        .title()
                        .and_then(|tp| tp.body.as_ref());
                    let bracketed = bracketed_body(v, items, link.person, s, paragraph).filter(
                        |b| match written {
                            None => true,
                            Some(w) => {
                                let short = format!("{} ", v.g.bodies[w.head as usize].name);
                                w.is_bare()
                                    && (w.head == b.head
                                        || v.g.bodies[b.head as usize].name.starts_with(&short))
                            }
                        },
                    );
                    if let Some(b) = &bracketed {
                        tail = b.end;
                        body = &bracketed;
                    }
                    let mut name = match body {
                        Some(b) => Some(v.resolver.name(&def.name, b)),
                        None => def.default_body.clone(),
                    };
                    // "Bộ trưởng Đào Ngọc Dung cho biết, Bộ sẽ …": a title written bare is the
                    // post the article has already given the person, not the body named last.
                    if link.rule == "title-before-name" && written.is_none() && bracketed.is_none()
                    {
                        let held = out.iter().rev().find(|h| {
                            h.person == person.name
                                && h.title == def.name
                                && h.body.is_some()
                                && h.status == Status::Current
                        });
                        if let Some(h) = held {
                            name.clone_from(&h.body);
                        }
                    }
                    (def.name.clone(), name, item)
                }
                (None, Some(b)) => {
                    let Some(body) = membership_body(v, items, &link, s, paragraph) else {
                        continue;
                    };
                    let name = v.resolver.name("Ủy viên", &body);
                    ("Ủy viên".to_string(), Some(name), b)
                }
                _ => continue,
            };
            let (p, t) = (&items[link.person], &items[span_item]);
            let holding = Holding {
                doc: doc.to_string(),
                person: person.name.clone(),
                title,
                body,
                term: link.term.clone(),
                status: link.status,
                evidence: v.evidence(p.first.min(t.first), p.end.max(t.end).max(tail), link.rule),
            };
            if link.rule == "election" {
                elected.push((holding.clone(), s));
            }
            out.push(holding);
        }
    }
    (dedupe(out), elected)
}

/// The body written in brackets after the person at `p`, or after the persons "và" joins to
/// them ("ông A và ông B (TAND khu vực 3)").
fn bracketed_body(
    v: &DocView,
    items: &[Item],
    p: usize,
    s: usize,
    paragraph: usize,
) -> Option<BodyPhrase> {
    let mut k = p + 1;
    loop {
        match items.get(k).map(|i| &i.kind) {
            Some(ItemKind::Punct('(')) => break,
            Some(ItemKind::PersonCue | ItemKind::Rank | ItemKind::Person(_)) => k += 1,
            Some(ItemKind::Word) if v.item_word(s, k) == "và" => k += 1,
            _ => return None,
        }
    }
    let mut body = match (items.get(k + 1).map(|i| &i.kind), items.get(k + 2)) {
        (Some(ItemKind::Body(b)), Some(close)) if close.is_punct(')') => (**b).clone(),
        _ => return None,
    };
    let at = body.first;
    v.resolver.complete(&mut body, &[], s, paragraph, at);
    Some(body)
}

/// "B do (ông) X làm T": the body B, when the title list at `first` follows "làm" after a
/// person and "do" after a body; "B (hiện) có N T gồm …": the body B that has N holders of T.
fn led_by(items: &[Item], first: usize, words: &dyn Fn(usize) -> String) -> Option<BodyPhrase> {
    // "UBND tỉnh hiện có 4 Phó Chủ tịch gồm: …": the body that has the post.
    let body = |b: usize| match &items[b].kind {
        ItemKind::Body(b) if !b.generic && !b.void => Some((**b).clone()),
        _ => None,
    };
    if first >= 3 && words(first - 2) == "có" && link::is_count(&words(first - 1)) {
        let at = first - 3 - usize::from(first >= 4 && words(first - 3) == "hiện");
        return body(at);
    }
    let lam = first.checked_sub(1).filter(|&k| words(k) == "làm")?;
    let person = lam
        .checked_sub(1)
        .filter(|&k| items[k].person().is_some())?;
    let mut k = person.checked_sub(1)?;
    while matches!(items[k].kind, ItemKind::PersonCue | ItemKind::Rank) {
        k = k.checked_sub(1)?;
    }
    body(k.checked_sub(1).filter(|_| words(k) == "do")?)
}

/// A list announced and being read (a committee's members, or a post's holders): its body, how
/// many it has left to name when it gave a count, and whether its lines are numbered.
struct OpenList {
    /// "Ủy viên" of a committee, or the post a list of holders is headed with; none for a
    /// list of officers, whose lines give their own posts.
    title: Option<String>,
    body: String,
    left: Option<usize>,
    numbered: Option<bool>,
    /// The organisation whose committee it lists ("Hội LHPN tỉnh" of its Ban Thường vụ).
    organ: Option<BodyPhrase>,
}

/// A committee elected with members ("Ban Thường vụ", "Ban Chấp hành", "Ủy ban Kiểm tra").
fn is_committee(kind: BodyKind) -> bool {
    matches!(
        kind,
        BodyKind::StandingCommittee | BodyKind::ExecutiveCommittee | BodyKind::InspectionCommittee
    )
}

/// The list this sentence announces and ends with a colon: a committee's members, or the
/// holders of a post ("bầu 9 Ủy viên UBND tỉnh, gồm:"), one a line.
fn announced_list(v: &DocView, s: usize, items: &[Item]) -> Option<OpenList> {
    let last = v.tokens.get(v.sents[s].end.checked_sub(1)?)?;
    if !last.is(':') {
        return None;
    }
    // "gồm …:", "có các đồng chí:".
    let gom = |from: usize| {
        (from..items.len()).find(|&j| match v.item_word(s, j).as_str() {
            "gồm" => true,
            // "có các đồng chí:", "có:"; not "có các ý kiến:".
            "có" => {
                v.item_word(s, j + 1) == ":"
                    || matches!(items.get(j + 1).map(|i| &i.kind), Some(ItemKind::PersonCue))
            }
            _ => false,
        })
    };
    // "Các (Ba) Phó Chủ tịch Ủy ban MTTQ tỉnh khóa I gồm:", "kỳ họp đã bầu 9 Ủy viên UBND
    // tỉnh, gồm:": the holders of a post, a line each. A committee's members are read below.
    let committee = |b: &BodyPhrase| is_committee(v.g.bodies[b.head as usize].kind);
    let post = items
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(k, it)| match &it.kind {
            ItemKind::Title(t) => {
                let before = v.item_word(s, k - 1);
                (before == "các" || link::is_count(&before)).then_some((k, t))
            }
            _ => None,
        });
    // Not "đã miễn nhiệm 2 Ủy viên UBND tỉnh …, gồm:", "3 Phó Chủ tịch đã nghỉ hưu, gồm:".
    let relieved = items.iter().enumerate().any(|(j, i)| {
        matches!(i.kind, ItemKind::Cue(Cue::Relieved | Cue::Former))
            || matches!(i.kind, ItemKind::Word) && v.item_word(s, j) == "nghỉ"
    });
    if let Some((k, t)) = post.filter(|_| !relieved) {
        let def = &v.g.titles[t.title as usize];
        if let Some(mut body) = t
            .body
            .clone()
            .filter(|b| (def.name != "Ủy viên" || !committee(b)) && gom(k + 1).is_some())
        {
            let at = body.first;
            v.resolver
                .complete(&mut body, &[], s, v.sents[s].paragraph, at);
            return Some(OpenList {
                title: Some(def.name.clone()),
                body: v.resolver.name(&def.name, &body),
                left: None,
                numbered: None,
                organ: None,
            });
        }
    }
    // "Ban Thường vụ Tỉnh ủy gồm …:", "Các đồng chí Ủy viên Ban Thường vụ Đảng ủy gồm:".
    let mut bodies = items
        .iter()
        .enumerate()
        .filter_map(|(k, it)| match &it.kind {
            ItemKind::Body(b) => Some((k, &**b)),
            ItemKind::Title(t) if v.g.titles[t.title as usize].name == "Ủy viên" => {
                t.body.as_ref().map(|b| (k, b))
            }
            _ => None,
        });
    let first = bodies.next()?;
    // "Ban Chấp hành … đã bầu Ban Thường vụ Tỉnh ủy … gồm 15 đồng chí:": the committee the
    // list is of is the last one before "gồm".
    let (k, body) = match gom(first.0 + 1) {
        // Not the committee that appoints it ("… do Ban Thường vụ Tỉnh ủy chỉ định gồm:").
        Some(g) => bodies
            .take_while(|&(k, _)| k < g)
            .filter(|&(k, _)| !matches!(v.item_word(s, k.wrapping_sub(1)).as_str(), "do" | "("))
            .filter(|(_, b)| committee(b))
            .last()
            .unwrap_or(first),
        None => first,
    };
    let committee = is_committee(v.g.bodies[body.head as usize].kind);
    let lists = gom(k + 1);
    // "Danh sách Ban Thường vụ Tỉnh ủy khóa XII, nhiệm kỳ 2025 - 2030:": a heading over it.
    let heading = k >= 2 && v.item_word(s, k - 2) == "danh" && v.item_word(s, k - 1) == "sách";
    // "Ban Lễ tang đồng chí X gồm các đồng chí: 1. A, Bí thư Tỉnh ủy - Trưởng ban; …": a
    // board set up for the occasion, whose lines name its officers by a bare post.
    let board = v.g.bodies[body.head as usize].name == "Ban" && !body.qualifier.is_empty();
    if board && !committee && lists.is_some() {
        return Some(OpenList {
            title: None,
            body: v.resolver.name("Trưởng ban", body),
            left: None,
            numbered: None,
            organ: Some(body.clone()),
        });
    }
    if !(committee && (lists.is_some() || heading)) {
        return None;
    }
    // "gồm 13 đồng chí": the count, when the text gives one.
    let left = lists
        .and_then(|gom| v.item_word(s, gom + 1).parse().ok())
        .filter(|&n: &usize| n > 0);
    // "Ủy ban MTTQ tỉnh … cử Ban Thường trực gồm:": a board named bare is of the organ the
    // sentence names, as in a title list.
    let member = v.g.title_named("Ủy viên")?;
    let mut bodies = [Some(body.clone())];
    let at = body.first;
    v.resolver
        .complete_list(&mut bodies, &[member], s, v.sents[s].paragraph, at);
    let [Some(body)] = bodies else { return None };
    // "Ban Thường trực Ủy ban MTTQ tỉnh gồm:": the Front's officers, each line its own post.
    let officers = v.g.bodies[body.head as usize].of_kind == Some(BodyKind::Front);
    Some(OpenList {
        title: (!officers).then(|| "Ủy viên".to_string()),
        body: v.resolver.name("Ủy viên", &body),
        left,
        numbered: None,
        organ: body.parent.as_deref().cloned(),
    })
}

/// The person of a list line: "1. Nguyễn Văn A - …", "- Đồng chí B, …", "C, …".
fn list_member(v: &DocView, s: usize, items: &[Item]) -> Option<(usize, bool)> {
    let first = v.tokens.get(v.sents[s].first)?;
    let numbered = first.kind == crate::segment::TokenKind::Number
        || matches!(
            first.kind,
            crate::segment::TokenKind::Punct('-' | '+' | '*' | '•')
        );
    let p = items.iter().take(6).position(|it| it.person().is_some())?;
    let lead_ok = items[..p].iter().all(|it| {
        matches!(
            it.kind,
            ItemKind::PersonCue | ItemKind::Rank | ItemKind::Punct(_) | ItemKind::Word
        )
    });
    (numbered
        || p == 0
        || items[..p]
            .iter()
            .all(|it| matches!(it.kind, ItemKind::PersonCue | ItemKind::Rank)))
    .then_some((p, numbered))
    .filter(|_| lead_ok)
}

/// The body a membership link makes its person a member of, completed from the bodies listed
/// with it.
fn membership_body(
    v: &DocView,
    items: &[Item],
    link: &link::Link,
    s: usize,
    paragraph: usize,
) -> Option<BodyPhrase> {
    let member = v.g.title_named("Ủy viên")?;
    let mut bodies: Vec<Option<BodyPhrase>> = link
        .siblings
        .iter()
        .map(|&b| match &items[b].kind {
            ItemKind::Body(body) => Some((**body).clone()),
            _ => None,
        })
        .collect();
    // "tham gia Ban Chấp hành, Ban Thường vụ, giữ chức Bí thư Quận ủy X": the committee of the
    // post the clause goes on to give.
    let last = *link.siblings.iter().max()?;
    let post = items[last + 1..]
        .iter()
        .take_while(|i| !i.is_punct(';') && !i.is_punct('.') && i.person().is_none())
        .take(6)
        .find_map(|i| i.title()?.body.as_ref())
        .filter(|b| {
            let def = &v.g.bodies[b.head as usize];
            def.kind == BodyKind::PartyCommittee && b.place.is_some()
        });
    if let Some(post) = post {
        bodies.push(Some(post.clone()));
    }
    let defs = vec![member; bodies.len()];
    let at = items[*link.siblings.first()?].first;
    v.resolver
        .complete_list(&mut bodies, &defs, s, paragraph, at);
    let k = link
        .siblings
        .iter()
        .position(|&b| Some(b) == link.body_item)?;
    bodies[k].take()
}

/// One holding per (person, title, body, status); a body written without its place gives way to
/// the placed one; a past post gives way to the same post held now.
fn dedupe(holdings: Vec<Holding>) -> Vec<Holding> {
    type Key = (u32, u32, Option<u32>);
    // Keys by number: the same names recur in a document, so each is keyed once.
    let mut keys = KeyTable::default();
    let ks: Vec<Key> = holdings
        .iter()
        .map(|h| {
            (
                keys.id(&h.person),
                keys.id(&h.title),
                h.body.as_deref().map(|b| keys.id(b)),
            )
        })
        .collect();
    let keys = keys.keys;
    let mut out: Vec<(Key, Holding)> = Vec::with_capacity(holdings.len());
    let mut index: rustc_hash::FxHashMap<Key, usize> = rustc_hash::FxHashMap::default();
    for (k, h) in ks.into_iter().zip(holdings) {
        if let Some(&i) = index.get(&k) {
            let prev = &mut out[i].1;
            if prev.status == Status::Former && h.status == Status::Current {
                prev.status = Status::Current;
            }
            if prev.term.is_none() {
                prev.term = h.term;
            }
            continue;
        }
        index.insert(k, out.len());
        out.push((k, h));
    }
    // A body written without words the same person's same title has elsewhere gives way.
    let body = |k: &Key| k.2.map(|b| keys[b as usize].as_str());
    let keep: Vec<bool> = out
        .iter()
        .map(|(k, h)| {
            !out.iter().any(|(o, oh)| {
                o.0 == k.0
                    && oh.title == h.title
                    && oh.status == h.status
                    && less_specific(body(k), body(o))
                    && !proper_name_extends(h.body.as_deref(), oh.body.as_deref())
            })
        })
        .collect();
    out.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|((_, h), _)| h)
        .collect()
}

/// Comparison keys of the strings of one document, numbered: equal keys, equal numbers.
#[derive(Default)]
struct KeyTable<'a> {
    by_text: rustc_hash::FxHashMap<&'a str, u32>,
    by_key: rustc_hash::FxHashMap<String, u32>,
    keys: Vec<String>,
}

impl<'a> KeyTable<'a> {
    fn id(&mut self, text: &'a str) -> u32 {
        if let Some(&i) = self.by_text.get(text) {
            return i;
        }
        let k = key(text);
        let i = match self.by_key.get(&k) {
            Some(&i) => i,
            None => {
                let i = self.keys.len() as u32;
                self.by_key.insert(k.clone(), i);
                self.keys.push(k);
                i
            }
        };
        self.by_text.insert(text, i);
        i
    }
}

/// The Party organisation whose congress elects a post of `body`: "Tỉnh ủy X", "Ban Thường vụ
/// Tỉnh ủy X" and "Ủy ban Kiểm tra Tỉnh ủy X" are elected by "Đảng bộ tỉnh X" (the level word
/// the gazetteer gives a committee named after its level), "Đảng ủy X" by "Đảng bộ X". `None`
/// for a body outside the Party.
fn organisation_of(g: &Gazetteer, body: &str) -> Option<String> {
    let mut rest = body;
    for organ in ["Ban Thường vụ ", "Ủy ban Kiểm tra ", "Ban Chấp hành "] {
        rest = rest.strip_prefix(organ).unwrap_or(rest);
    }
    if rest.starts_with("Đảng bộ ") || rest.starts_with("Chi bộ ") {
        return Some(rest.to_string());
    }
    if let Some(place) = rest.strip_prefix("Đảng ủy ") {
        return Some(format!("Đảng bộ {place}"));
    }
    g.bodies.iter().find_map(|d| {
        let word = d.level_word.as_deref()?;
        let place = rest.strip_prefix(d.name.as_str())?.strip_prefix(' ')?;
        // "Thành ủy Thành phố Hồ Chí Minh": the place carries its level word already.
        let written = place
            .get(..word.len())
            .is_some_and(|w| w.to_lowercase() == word);
        Some(match written {
            true => format!("Đảng bộ {place}"),
            false => format!("Đảng bộ {word} {place}"),
        })
    })
}

/// Is body key `a` the body key `b` with words left out (a prefix, or nothing at all)?
fn less_specific(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => a != b && b.starts_with(a) && b[a.len()..].starts_with(' '),
        _ => false,
    }
}

/// "phường Láng" and "phường Láng Thượng": a proper name that goes on in `b` is another name,
/// not `a` written in full.
fn proper_name_extends(a: Option<&str>, b: Option<&str>) -> bool {
    let capital = |w: Option<&str>| {
        w.and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    };
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    match b.strip_prefix(a).and_then(|r| r.strip_prefix(' ')) {
        Some(extra) => capital(a.rsplit(' ').next()) && capital(extra.split(' ').next()),
        None => false,
    }
}

fn attach_elected(
    g: &Gazetteer,
    congresses: &mut [(crate::facts::Congress, usize)],
    elected: &[(Holding, usize)],
) {
    for (h, s) in elected {
        // A post of the organisation's own committees ("Bí thư Tỉnh ủy X" → "Đảng bộ tỉnh X"):
        // the latest congress of that organisation named before it or held in the article; a
        // post of another body (a mass organisation's) belongs to no Party congress.
        // A post with no body ("được bầu giữ chức Bí thư") goes to the last congress named.
        let key = match h.body.as_deref() {
            Some(body) => match organisation_of(g, body) {
                Some(key) => Some(key),
                None => continue,
            },
            None => None,
        };
        let own = congresses
            .iter()
            .enumerate()
            .filter(|(_, (c, at))| {
                key.as_ref() == Some(&c.body) && (*at <= *s || c.dates.is_some())
            })
            .max_by_key(|(i, (c, _))| (c.ordinal, *i))
            .map(|(i, _)| i);
        let target = match own {
            Some(i) => congresses.get_mut(i),
            None => congresses
                .iter_mut()
                .filter(|(c, at)| *at <= *s && c.body != "Đảng Cộng sản Việt Nam")
                .last(),
        };
        if let Some((c, _)) = target {
            let e = Elected {
                person: h.person.clone(),
                title: h.title.clone(),
                body: h.body.clone(),
            };
            if !c.elected.contains(&e) {
                c.elected.push(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The elected go to the congress of their own organisation that the article reports, not
    /// to the last congress it names; a mass organisation's posts go to none.
    #[test]
    fn the_elected_go_to_their_own_organisations_congress() {
        let x = Extractor::new(Gazetteer::embedded());
        let text = "Ngày 14/10/2020, Đảng bộ huyện Nam Đàn tổ chức Đại hội đại biểu lần thứ \
            XXVIII, nhiệm kỳ 2020 - 2025. Đại hội đã bầu đoàn đại biểu dự Đại hội đại biểu Đảng \
            bộ tỉnh Nghệ An lần thứ XIX. Sau 5 năm thực hiện Nghị quyết Đại hội lần thứ XXVII, \
            kinh tế huyện tăng trưởng khá. Đồng chí Nguyễn Văn Đệ được bầu giữ chức Bí thư \
            Huyện ủy Nam Đàn. Bà Hồ Thị Lan được bầu giữ chức Chủ tịch Hội Nông dân huyện Nam Đàn.";
        let facts = x.extract(&Document::new("d", text));
        let elected: Vec<(Option<u32>, &str, Vec<&str>)> = facts
            .congresses
            .iter()
            .map(|c| {
                let persons = c.elected.iter().map(|e| e.person.as_str()).collect();
                (c.ordinal, c.body.as_str(), persons)
            })
            .collect();
        assert_eq!(
            elected,
            [
                (Some(28), "Đảng bộ huyện Nam Đàn", vec!["Nguyễn Văn Đệ"]),
                (Some(19), "Đảng bộ tỉnh Nghệ An", vec![]),
                (Some(27), "Đảng bộ huyện Nam Đàn", vec![]),
            ]
        );
        assert_eq!(
            organisation_of(&x.g, "Ủy ban Kiểm tra Thành ủy Vinh").as_deref(),
            Some("Đảng bộ thành phố Vinh")
        );
        assert_eq!(organisation_of(&x.g, "Hội Nông dân huyện Nam Đàn"), None);
        assert_eq!(
            organisation_of(&x.g, "Thành ủy Thành phố Hồ Chí Minh").as_deref(),
            Some("Đảng bộ Thành phố Hồ Chí Minh")
        );
    }

    /// A brand or acronym in brackets after a body's name stands for the body; a numeral, a
    /// place or a word of the gazetteer in brackets does not.
    #[test]
    fn a_short_name_in_brackets_stands_for_the_body_before_it() {
        let x = Extractor::new(Gazetteer::embedded());
        let holders = |text: &str| -> Vec<(String, String)> {
            let facts = x.extract(&Document::new("d", text));
            facts
                .holdings
                .iter()
                .map(|h| (h.title.clone(), h.body.clone().unwrap_or_default()))
                .collect()
        };
        let text = "Tổng công ty Hàng không Việt Nam (Vietnam) họp. Tổng công ty Hàng không Việt \
            Nam (VNA) họp. Ông Lê Hồng Hà giữ chức Tổng Giám đốc VNA.";
        assert_eq!(
            holders(text),
            [(
                "Tổng Giám đốc".to_string(),
                "Tổng công ty Hàng không Việt Nam".to_string()
            )]
        );
        for text in [
            "Chi bộ Trường Tiểu học Hòa Bình (II) họp. Ông Lê Hồng Hà làm Phó Bí thư II.",
            "Sở Tài chính (Nghệ An) họp. Ông Lê Hồng Hà làm Giám đốc Nghệ An.",
        ] {
            let found = holders(text);
            assert!(
                found
                    .iter()
                    .all(|(_, body)| !body.contains("Sở") && !body.contains("Chi bộ")),
                "{text}: {found:?}"
            );
        }
    }

    /// Names of the Central Highlands are written with typographic apostrophes as often as with
    /// plain ones; each name keeps the one it was written with.
    #[test]
    fn a_name_keeps_the_apostrophe_it_was_written_with() {
        let x = Extractor::new(Gazetteer::embedded());
        for (name, written) in [
            ("H’Nga Ktla", "H’Nga Ktla"),
            ("Y'Thanh Hà Niê Kdăm", "Y'Thanh Hà Niê Kdăm"),
            ("Y\u{02BC}Biêr Niê", "Y\u{02BC}Biêr Niê"),
        ] {
            let text = format!("Đồng chí {name}, Phó Bí thư Tỉnh ủy Đắk Lắk dự hội nghị.");
            let facts = x.extract(&Document::new("d", text));
            let persons: Vec<&str> = facts.holdings.iter().map(|h| h.person.as_str()).collect();
            assert_eq!(persons, [written], "{name}");
        }
    }
}
