//! Elliptical bodies made whole: "Tỉnh ủy" gets the province of its sentence or article,
//! "Ban Thường vụ" the committee beside it, a bare "Đảng ủy" the organisation the paragraph is
//! about, "Đảng bộ Khối" the full name the article gives elsewhere. When nothing makes it clear,
//! the body stays as written.

use std::collections::HashMap;

use super::parse::{render, BodyPhrase};
use super::scan::{Item, ItemKind};
use crate::gazetteer::{BodyKind, Cue, Gazetteer, Level, PlaceKind, Tail, TitleDef};

/// A place named in the document.
#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub level: Level,
    pub name: String,
    pub sentence: usize,
    pub token: usize,
}

/// A body named in the document (nested parents included).
#[derive(Debug, Clone)]
pub struct BodyMention {
    pub body: BodyPhrase,
    pub sentence: usize,
    pub paragraph: usize,
    /// The title it was written after (not nested, not on its own).
    pub title: Option<u16>,
}

/// What the whole document says about places and bodies.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    pub places: Vec<PlaceMention>,
    pub bodies: Vec<BodyMention>,
    pub province: Option<String>,
    pub district: Option<String>,
    /// The city of a province the document names most ("thành phố Bảo Lộc"), for a bare
    /// "Thành ủy" when the province is no city.
    pub city: Option<String>,
    pub commune: Option<String>,
    /// Token spans of past posts: a "nguyên" and the title list after it.
    pub past: Vec<(usize, usize)>,
    /// Provinces the document names that were merged away before it was published.
    pub merged_away: Vec<String>,
}

impl DocContext {
    /// Gather places and bodies from every sentence's items.
    pub fn build(
        g: &Gazetteer,
        items: &[Vec<Item>],
        words: &[&str],
        paragraphs: &[usize],
        published: Option<&str>,
    ) -> Self {
        let mut ctx = DocContext::default();
        for (s, list) in items.iter().enumerate() {
            ctx.past_posts(list, words);
            for it in list {
                match &it.kind {
                    ItemKind::Place { level, name } => ctx.add_place(*level, name, s, it.first),
                    ItemKind::Body(b) => ctx.add_body(g, b, s, paragraphs[s], None),
                    ItemKind::Title(t) => {
                        if let Some(b) = &t.body {
                            ctx.add_body(g, b, s, paragraphs[s], Some(t.title));
                        }
                    }
                    _ => {}
                }
            }
        }
        // A centrally-run city ("Thành ủy TP.HCM", "thành phố Hà Nội") stands at the level of a
        // province; a city of a province ("thành phố Vinh") does not.
        let province_level = |p: &PlaceMention| {
            p.level == Level::Province
                || (p.level == Level::City
                    && g.provinces
                        .iter()
                        .any(|d| d.kind == crate::gazetteer::PlaceKind::City && d.name == p.name))
        };
        ctx.province = most_named(&ctx.places, province_level);
        ctx.district = most_named(&ctx.places, |p| p.level == Level::District);
        ctx.commune = most_named(&ctx.places, |p| p.level == Level::Commune);
        ctx.city = most_named(&ctx.places, |p| {
            p.level == Level::City
                && g.districts
                    .iter()
                    .any(|d| d.kind == crate::gazetteer::PlaceKind::City && d.name == p.name)
        });
        if ctx.province.is_none() {
            let from_district = ctx
                .places
                .iter()
                .filter(|p| p.level == Level::District)
                .find_map(|p| g.province_of_district(&p.name));
            ctx.province = from_district.map(str::to_string);
        }
        // "Bệnh viện Hữu nghị Đa khoa Nghệ An": with no place of its own, the article is about
        // the province its bodies' names end with.
        if ctx.province.is_none() {
            let mut named: Vec<&str> = Vec::new();
            for m in &ctx.bodies {
                // Not a national body ("Đại học Quốc gia Hà Nội").
                for q in m.body.qualifier.iter().filter(|q| !q.contains("Quốc gia")) {
                    // After a lower-case word: "Đa khoa Nghệ An", not "Thái Bình Dương".
                    let ends = |p: &&crate::gazetteer::ProvinceDef| {
                        q.strip_suffix(p.name.as_str()).is_some_and(|head| {
                            head.is_empty()
                                || head.strip_suffix(' ').is_some_and(|h| {
                                    h.rsplit(' ')
                                        .next()
                                        .and_then(|w| w.chars().next())
                                        .is_some_and(char::is_lowercase)
                                })
                        })
                    };
                    if let Some(p) = g.provinces.iter().find(ends) {
                        named.push(&p.name);
                    }
                }
            }
            named.sort_unstable();
            // One province named most, not a tie.
            let mut counts: Vec<&[&str]> = named.chunk_by(|a, b| a == b).collect();
            counts.sort_by_key(|c| std::cmp::Reverse(c.len()));
            let unique = counts.len() < 2 || counts[0].len() > counts[1].len();
            ctx.province = counts.first().filter(|_| unique).map(|c| c[0].to_string());
        }
        // An article published after a province was merged away speaks of its successor.
        let successor = |p: &str| {
            let def = g.provinces.iter().find(|d| d.name == p)?;
            let date = published?;
            def.valid_to
                .as_deref()
                .filter(|to| *to < date)
                .and(def.successor.clone())
        };
        if let Some(succ) = ctx.province.as_deref().and_then(successor) {
            ctx.province = Some(succ);
        }
        let mut merged: Vec<String> = ctx
            .places
            .iter()
            .filter(|p| p.level == Level::Province && successor(&p.name).is_some())
            .map(|p| p.name.clone())
            .collect();
        merged.sort();
        merged.dedup();
        ctx.merged_away = merged;
        ctx
    }

    /// Record the spans of past posts in one sentence's items: from a "nguyên" through the
    /// titles joined to it by ",". ("từng là …" tells a career, whose later posts may be in
    /// the same place: "từng là Trưởng ban Dân vận Tỉnh ủy A, trước khi được bầu làm Phó Bí
    /// thư Tỉnh ủy".)
    fn past_posts(&mut self, list: &[Item], words: &[&str]) {
        let mut open: Option<(usize, usize)> = None;
        for it in list {
            let nguyen = words.get(it.first) == Some(&"nguyên") && it.end == it.first + 1;
            match (&it.kind, open.as_mut()) {
                (ItemKind::Cue(Cue::Former), _) if nguyen => {
                    if let Some(span) = open.take() {
                        self.past.push(span);
                    }
                    open = Some((it.first, it.end));
                }
                (ItemKind::Title(_), Some(span)) => span.1 = it.end,
                (ItemKind::Punct(','), Some(_)) => {}
                _ => {
                    if let Some(span) = open.take() {
                        self.past.push(span);
                    }
                }
            }
        }
        if let Some(span) = open {
            self.past.push(span);
        }
    }

    /// Is token `k` inside a past post?
    pub fn in_past_post(&self, k: usize) -> bool {
        self.past.iter().any(|&(a, b)| a <= k && k < b)
    }

    fn add_place(&mut self, level: Level, name: &str, sentence: usize, token: usize) {
        self.places.push(PlaceMention {
            level,
            name: name.to_string(),
            sentence,
            token,
        });
    }

    fn add_body(
        &mut self,
        g: &Gazetteer,
        b: &BodyPhrase,
        sentence: usize,
        paragraph: usize,
        title: Option<u16>,
    ) {
        if let (Some(place), Some(level)) = (&b.place, effective_level(g, b)) {
            self.add_place(level, place, sentence, b.first);
        }
        self.bodies.push(BodyMention {
            body: b.clone(),
            sentence,
            paragraph,
            title,
        });
        if let Some(p) = &b.parent {
            self.add_body(g, p, sentence, paragraph, None);
        }
    }
}

fn most_named(places: &[PlaceMention], fits: impl Fn(&PlaceMention) -> bool) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (k, p) in places.iter().enumerate() {
        if fits(p) {
            let e = counts.entry(p.name.as_str()).or_insert((0, k));
            e.0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(n, _)| n.to_string())
}

/// The level a body stands at: written, or implied by its head.
pub fn effective_level(g: &Gazetteer, b: &BodyPhrase) -> Option<Level> {
    b.level.or(g.bodies[b.head as usize].level)
}

fn head_named(g: &Gazetteer, name: &str) -> u16 {
    g.body_named(name).unwrap_or(0)
}

/// Same organisation family for ellipsis: Đảng ủy and Đảng bộ name one organisation; "Sở" is
/// any "Sở …".
fn family(g: &Gazetteer, head: u16) -> &str {
    match g.bodies[head as usize].name.as_str() {
        "Đảng ủy" | "Đảng bộ" => "party",
        other => other.split(' ').next().unwrap_or(other),
    }
}

/// The Party committee of a place of `level` written with `word` ("quận", "thị xã", "xã"):
/// its head and the level word it keeps; none at the centre.
fn committee_head(level: Level, word: Option<&str>) -> Option<(&'static str, Option<String>)> {
    Some(match (level, word) {
        (Level::Province, _) => ("Tỉnh ủy", None),
        (Level::City, _) => ("Thành ủy", None),
        (Level::District, Some("quận")) => ("Quận ủy", None),
        (Level::District, Some("thị xã")) => ("Thị ủy", None),
        (Level::District, Some("thành phố")) => ("Thành ủy", None),
        (Level::District, _) => ("Huyện ủy", None),
        (Level::Commune, w) => ("Đảng ủy", Some(w.unwrap_or("xã").to_string())),
        (Level::Central, _) => return None,
    })
}

/// The deepest chain of parent bodies a completed body may have.
const MAX_PARENTS: u8 = 6;

/// Resolves ellipses against a document's context.
pub struct Resolver<'a> {
    pub g: &'a Gazetteer,
    pub ctx: &'a DocContext,
}

impl Resolver<'_> {
    /// Complete the bodies of one title list. `bodies[k]` is the body written after title `k`.
    pub fn complete_list(
        &self,
        bodies: &mut [Option<BodyPhrase>],
        titles: &[&TitleDef],
        sentence: usize,
        paragraph: usize,
        at: usize,
    ) {
        let snapshot: Vec<Option<BodyPhrase>> = bodies.to_vec();
        for k in 0..bodies.len() {
            let siblings = order_siblings(&snapshot, k);
            match &mut bodies[k] {
                None if titles[k].party => {
                    bodies[k] = self
                        .committee_from_siblings(&siblings)
                        .or_else(|| self.title_body_before(titles[k], sentence, at));
                }
                None if titles[k].overlap > 0 => {
                    // "nhận công tác tại Ban Tổ chức Tỉnh ủy và giữ chức Phó Trưởng ban".
                    bodies[k] = self.named_before(titles[k], sentence, at);
                }
                None if titles[k].heads.is_some() => {
                    // "nhận công tác tại Cục Cảnh sát giao thông và giữ chức Phó Cục trưởng".
                    // "Bí thư Chi bộ, Hiệu trưởng nhà trường": else the institution of its kind
                    // the article names.
                    bodies[k] = self
                        .named_before(titles[k], sentence, at)
                        .or_else(|| self.title_body_before(titles[k], sentence, at))
                        .or_else(|| {
                            titles[k]
                                .context_kind
                                .and_then(|_| self.of_kind(titles[k].context_kind, at))
                        });
                }
                None if titles[k].context_kind.is_some() => {
                    // "bà X, Phó Tổng Giám đốc, giữ quyền Tổng Giám đốc Agribank": else the body
                    // the sentence goes on to give the same stem.
                    bodies[k] = self
                        .of_kind(titles[k].context_kind, at)
                        .or_else(|| self.same_stem_body(titles[k], sentence, at, true));
                }
                None if titles[k].default_body.is_none() => {
                    // "Phó Chỉ huy trưởng, Tham mưu trưởng Bộ CHQS tỉnh X", "Đại sứ, Trưởng
                    // Phái đoàn … tại Geneva", "Phó Chủ tịch - Tổng Thư ký Ủy ban Trung ương
                    // MTTQ Việt Nam": the institution or organisation the list goes on to name; else
                    // "A giữ chức Chủ tịch Ủy ban MTTQ tỉnh; B, C giữ chức Phó Chủ tịch": a post
                    // of the same stem before, then later, in the sentence.
                    let shared = || {
                        let (j, b) = snapshot
                            .iter()
                            .enumerate()
                            .skip(k + 1)
                            .find_map(|(j, b)| Some((j, b.as_ref()?)))?;
                        // Not a trade union named after its institution ("Phó Giám đốc, Chủ
                        // tịch Công đoàn Bệnh viện"), nor an organisation's higher post
                        // ("Phó Chủ tịch kiêm Chủ tịch Hội Nông dân tỉnh", "… kiêm Bí thư Tỉnh
                        // đoàn": the deputy of another body).
                        let def = &self.g.bodies[b.head as usize];
                        let lower_post = titles[j].rank <= titles[k].rank;
                        let organisation =
                            def.kind == BodyKind::Front && def.tail != Tail::Name && lower_post;
                        (self.is_institution(b) || self.is_force(b) || organisation)
                            .then(|| b.clone())
                    };
                    // A post of the same stem not of the list itself: "Phó Chủ tịch kiêm Chủ
                    // tịch Hội Nông dân".
                    let in_list =
                        |b: &BodyPhrase| snapshot.iter().flatten().any(|s| s.first == b.first);
                    bodies[k] = shared().or_else(|| {
                        self.same_stem_body(titles[k], sentence, at, false)
                            .or_else(|| self.same_stem_body(titles[k], sentence, at, true))
                            .filter(|b| !in_list(b))
                    });
                }
                // "Ủy viên Ban Thường vụ Đảng ủy, Chủ tịch UBND xã": the bare committee of an
                // organ is the one of the level its list names.
                Some(b)
                    if b.parent
                        .as_deref()
                        .is_some_and(|p| p.is_bare() && self.is_org(p)) =>
                {
                    let committee = siblings
                        .iter()
                        .all(|s| !self.is_institution(s))
                        .then(|| self.committee_from_siblings(&siblings))
                        .flatten();
                    if let Some(c) = committee {
                        b.parent = Some(Box::new(c));
                    }
                }
                // "Bí thư Đảng ủy, Giám đốc Công an tỉnh": the Party committee of the institution.
                Some(b) if b.is_bare() && self.is_org(b) => {
                    // Or the institution a sibling's board is of: "Phó Bí thư Đảng ủy, Thành
                    // viên HĐTV Tập đoàn X".
                    // Else a bare group the list names ("Tổng giám đốc Tập đoàn"), made whole
                    // later with the Party committee it becomes the parent of.
                    if let Some(inst) = self.institution_of(&siblings) {
                        b.parent = Some(Box::new(inst.clone()));
                    } else if let Some(s) = self.committee_from_siblings(&siblings) {
                        *b = s;
                    }
                }
                Some(b) if self.needs_parent(b) => {
                    let def = &self.g.bodies[b.head as usize];
                    let of_kind = def.of_kind;
                    // The organ itself, or for a board of one ("Ban Tổ chức Tổng LĐLĐ Việt
                    // Nam"), the organ it is of.
                    let next_organ = || {
                        let n = snapshot.get(k + 1)?.as_ref()?;
                        let board = self.g.bodies[n.head as usize].kind == BodyKind::Other;
                        let organ = match (&n.parent, board) {
                            (Some(p), true) => &**p,
                            _ => n,
                        };
                        Some(organ).filter(|o| !self.is_party_organ(o))
                    };
                    if let Some(organ) = def.of_next.then(next_organ).flatten() {
                        b.parent = Some(Box::new(organ.clone()));
                    } else if let Some(parent) =
                        of_kind.and_then(|k| self.kind_in_sentence(k, sentence, at))
                    {
                        b.parent = Some(Box::new(parent));
                    } else if let Some(parent) = siblings.iter().find_map(|s| self.parent_of(s)) {
                        b.parent = Some(Box::new(parent));
                    } else if let Some(parent) = self.committee_before(sentence, at) {
                        b.parent = Some(Box::new(parent));
                    } else if let Some(parent) = self.parent_named_before(b.head, paragraph, at) {
                        b.parent = Some(Box::new(parent));
                    } else if let Some(parent) =
                        self.kind_in_sentence(BodyKind::Front, sentence, at)
                    {
                        b.parent = Some(Box::new(parent));
                    } else if let Some(parent) =
                        of_kind.and_then(|k| self.kind_in_paragraph(k, paragraph, at))
                    {
                        // "… Ủy ban MTTQ tỉnh khóa XII. Ông X được cử làm Ủy viên Ban Thường
                        // trực.": the organisation of that kind the paragraph has named.
                        b.parent = Some(Box::new(parent));
                    } else if let Some(parent) = of_kind
                        .is_none()
                        .then(|| self.organ_of_article(b, at))
                        .flatten()
                    {
                        b.parent = Some(Box::new(parent));
                    } else if let Some(parent) = of_kind
                        .filter(|&k| matches!(k, BodyKind::Enterprise | BodyKind::School))
                        .and_then(|k| self.of_kind(Some(k), at))
                    {
                        // "HĐTV Tổng công ty X gồm: … 3. Ông A - Thành viên HĐTV.", "Chủ tịch
                        // Hội đồng trường": a board written bare is of the company or school
                        // named last before it.
                        b.parent = Some(Box::new(parent));
                    }
                }
                _ => {}
            }
        }
        let mut snapshot: Vec<Option<BodyPhrase>> = bodies.to_vec();
        // "Bí thư Đảng ủy, Phó Hiệu trưởng": a bare Party committee still unplaced takes the
        // institution a sibling was given above.
        let bare_org = |b: &BodyPhrase| b.is_bare() && self.is_org(b);
        if bodies.iter().flatten().any(bare_org) {
            for (k, body) in bodies.iter_mut().enumerate() {
                if let Some(b) = body.as_mut().filter(|b| bare_org(b)) {
                    let siblings = order_siblings(&snapshot, k);
                    if let Some(inst) = self.institution_of(&siblings) {
                        b.parent = Some(Box::new(inst.clone()));
                    }
                }
            }
            snapshot = bodies.to_vec();
        }
        for (k, body) in bodies.iter_mut().enumerate() {
            let siblings = order_siblings(&snapshot, k);
            if let Some(b) = body {
                self.complete(b, &siblings, sentence, paragraph, at);
            }
        }
    }

    /// The institution a list's sibling bodies are or belong to ("Thành viên HĐTV Tập đoàn
    /// X"), else a bare group the list names ("Tổng giám đốc Tập đoàn").
    fn institution_of<'b>(&self, siblings: &[&'b BodyPhrase]) -> Option<&'b BodyPhrase> {
        siblings
            .iter()
            .find_map(|s| {
                let of = s.parent.as_deref().filter(|p| self.is_institution(p));
                Some(*s).filter(|s| self.is_institution(s)).or(of)
            })
            .or_else(|| {
                // "Tổng giám đốc Tập đoàn", "Chủ tịch HĐTV Tập đoàn".
                let group = |b: &&'b BodyPhrase| {
                    b.is_bare() && self.g.bodies[b.head as usize].kind == BodyKind::Enterprise
                };
                siblings
                    .iter()
                    .copied()
                    .find_map(|s| Some(s).filter(group).or(s.parent.as_deref().filter(group)))
            })
    }

    /// Complete one body: ellipsis to a fuller mention, then missing places.
    pub fn complete(
        &self,
        b: &mut BodyPhrase,
        siblings: &[&BodyPhrase],
        sentence: usize,
        paragraph: usize,
        at: usize,
    ) {
        self.complete_at(b, siblings, (sentence, paragraph, at), 0);
    }

    /// [`Resolver::complete`] at a depth of parents: mentions that name each other as parents
    /// must not make the chain grow without end.
    fn complete_at(
        &self,
        b: &mut BodyPhrase,
        siblings: &[&BodyPhrase],
        (sentence, paragraph, at): (usize, usize, usize),
        depth: u8,
    ) {
        for _ in 0..3 {
            if !self.expand(b, paragraph, at) {
                break;
            }
        }
        // "Phó Giám đốc Công an tỉnh gồm: Đại tá A, Trưởng phòng An ninh kinh tế": a department
        // of the police or army unit the sentence has named before it.
        if b.parent.is_none() && b.place.is_none() && b.level_word.is_none() {
            let def = &self.g.bodies[b.head as usize];
            let force_unit = b
                .qualifier
                .first()
                .is_some_and(|q| self.g.force_departments.iter().any(|d| q.starts_with(d)));
            if def.name == "Phòng" && force_unit {
                b.parent = self.force_near(sentence, paragraph, at).map(Box::new);
            }
        }
        if let Some(p) = &mut b.parent {
            if depth < MAX_PARENTS {
                self.complete_at(p, siblings, (sentence, paragraph, at), depth + 1);
            } else {
                b.parent = None;
            }
            self.organisation_of_committee(b);
            return;
        }
        self.fill_place(b, siblings, sentence, at);
    }

    /// "Ban Chấp hành" of "Tỉnh ủy X" is the executive committee of "Đảng bộ tỉnh X".
    fn organisation_of_committee(&self, b: &mut BodyPhrase) {
        if self.g.bodies[b.head as usize].name != "Ban Chấp hành" {
            return;
        }
        let Some(p) = &mut b.parent else { return };
        let def = &self.g.bodies[p.head as usize];
        if let (Some(word), Tail::Place) = (&def.level_word, def.tail) {
            p.head = head_named(self.g, "Đảng bộ");
            p.level = def.level;
            p.level_word = Some(word.clone());
        } else if def.name == "Đảng ủy" && !p.is_bare() {
            // "Ban Chấp hành Đảng ủy phường X" is that of "Đảng bộ phường X", "Ban Chấp hành
            // Đảng ủy Bộ Ngoại giao" that of "Đảng bộ Bộ Ngoại giao".
            p.head = head_named(self.g, "Đảng bộ");
        }
    }

    /// A board or office named without its organisation ("Ban Tuyên giáo", "Văn phòng Hội") in
    /// a line of a list of `organ`'s committee: `organ`'s.
    pub fn within(&self, b: &mut BodyPhrase, organ: &BodyPhrase) {
        let organ_name = &self.g.bodies[organ.head as usize].name;
        let board = matches!(
            self.g.bodies[b.head as usize].kind,
            BodyKind::Other | BodyKind::PartyBoard | BodyKind::Office
        );
        // A mass organisation's boards; a Party committee's are named as its ("Ban Tổ chức").
        let front = self.g.bodies[organ.head as usize].kind == BodyKind::Front;
        let unplaced = b.parent.is_none() && b.place.is_none() && b.level_word.is_none();
        if self.needs_parent(b) {
            b.parent = Some(Box::new(organ.clone()));
        } else if board && unplaced && front {
            // "Ban Gia đình - Xã hội"; "Văn phòng Hội": the organisation named by its first word.
            let first = organ_name.split(' ').next().unwrap_or_default();
            if b.qualifier.last().is_some_and(|q| q == first) {
                b.qualifier.pop();
            }
            b.parent = Some(Box::new(organ.clone()));
        } else if let Some(p) = b.parent.as_deref_mut().filter(|p| {
            p.is_bare()
                && p.head != organ.head
                && organ_name.starts_with(&format!("{} ", self.g.bodies[p.head as usize].name))
        }) {
            *p = organ.clone();
        }
    }

    fn is_org(&self, b: &BodyPhrase) -> bool {
        self.g.bodies[b.head as usize].tail == Tail::Org
    }

    fn is_institution(&self, b: &BodyPhrase) -> bool {
        matches!(
            self.g.bodies[b.head as usize].kind,
            BodyKind::School
                | BodyKind::Enterprise
                | BodyKind::Police
                | BodyKind::Army
                | BodyKind::Department
                | BodyKind::Ministry
                | BodyKind::Agency
                | BodyKind::Court
                | BodyKind::Procuracy
        ) && b.level.is_none_or(|l| l != Level::Commune)
            && !(b.is_bare() && self.g.bodies[b.head as usize].tail != Tail::None)
    }

    /// A force named without its place: "Bộ đội Biên phòng" alone is the national one.
    fn is_force(&self, b: &BodyPhrase) -> bool {
        b.is_bare() && self.g.bodies[b.head as usize].kind == BodyKind::Army
    }

    /// A Party committee, organisation, cell or one of their organs.
    fn is_party_organ(&self, b: &BodyPhrase) -> bool {
        matches!(
            self.g.bodies[b.head as usize].kind,
            BodyKind::PartyCommittee
                | BodyKind::PartyOrganisation
                | BodyKind::PartyCell
                | BodyKind::PartyBoard
                | BodyKind::StandingCommittee
                | BodyKind::ExecutiveCommittee
                | BodyKind::InspectionCommittee
                | BodyKind::Office
        )
    }

    /// A board named without its organisation ("Ban Tổ chức", "Ban Tổ chức - Kiểm tra").
    fn needs_parent(&self, b: &BodyPhrase) -> bool {
        self.g.bodies[b.head as usize].tail == Tail::Parent
            && b.parent.is_none()
            && b.place.is_none()
            && b.level_word.is_none()
            && b.qualifier.iter().all(|q| q.starts_with("- "))
    }

    /// The Party committee a sibling body belongs to or is.
    fn parent_of(&self, s: &BodyPhrase) -> Option<BodyPhrase> {
        let def = &self.g.bodies[s.head as usize];
        let committee = matches!(
            def.kind,
            BodyKind::PartyCommittee | BodyKind::PartyOrganisation
        );
        // "Đảng ủy Bộ Công Thương" is the committee itself, not its ministry.
        if committee && (def.tail != Tail::Org || !s.is_bare()) {
            return Some(s.clone());
        }
        s.parent.as_deref().cloned()
    }

    /// The most recent body earlier in the sentence whose name starts with the words the title
    /// shares with it ("Trưởng ban" → a "Ban …") or names as the body it heads ("Cục trưởng" →
    /// a "Cục …").
    fn named_before(&self, title: &TitleDef, sentence: usize, at: usize) -> Option<BodyPhrase> {
        let words = match &title.heads {
            Some(h) => h.to_lowercase(),
            None => title.forms.first()?.split(' ').next_back()?.to_string(),
        };
        let begins = |name: &str| {
            name.strip_prefix(words.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        };
        self.ctx
            .bodies
            .iter()
            .filter(|m| m.sentence == sentence && m.body.end <= at)
            .rfind(|m| {
                let name = self.g.bodies[m.body.head as usize].name.to_lowercase();
                begins(&name) && !m.body.is_bare()
            })
            .map(|m| m.body.clone())
    }

    /// The body of the nearest earlier title of the same stem in the sentence ("Chủ tịch Ủy ban
    /// MTTQ tỉnh; … Phó Chủ tịch" → the same Ủy ban).
    fn title_body_before(
        &self,
        title: &TitleDef,
        sentence: usize,
        at: usize,
    ) -> Option<BodyPhrase> {
        let stem = title_stem;
        let want = stem(&title.name);
        let same_stem = |m: &&BodyMention| {
            m.sentence == sentence
                && !m.body.void
                && m.title
                    .is_some_and(|t| stem(&self.g.titles[t as usize].name) == want)
        };
        let mentions = self.ctx.bodies.iter().filter(same_stem);
        // "B giữ chức Phó Chủ tịch Thường trực; C và D giữ chức Phó Chủ tịch Ủy ban MTTQ tỉnh":
        // with none before, the body the sentence goes on to give the same stem.
        mentions
            .clone()
            .rfind(|m| m.body.end <= at)
            .or_else(|| mentions.clone().find(|m| m.body.first >= at))
            .map(|m| m.body.clone())
    }

    /// [`Resolver::title_body_before`] on one side of `at`: the nearest before, or the first
    /// after.
    fn same_stem_body(
        &self,
        title: &TitleDef,
        sentence: usize,
        at: usize,
        after: bool,
    ) -> Option<BodyPhrase> {
        let found = self.title_body_before(title, sentence, at)?;
        let is_after = found.first >= at;
        (is_after == after).then_some(found)
    }

    /// The nearest body of a kind in the document ("Thứ trưởng" → the ministry the article names).
    fn of_kind(&self, kind: Option<BodyKind>, at: usize) -> Option<BodyPhrase> {
        // A body named in full: a fixed name ("Bộ Tài chính"), or a head with its name.
        let of = self.ctx.bodies.iter().filter(|m| {
            let def = &self.g.bodies[m.body.head as usize];
            Some(def.kind) == kind && (!m.body.is_bare() || def.tail == Tail::None)
        });
        // A company named only after the title is another's ("Phó Tổng giám đốc …, và ông B,
        // Giám đốc Công ty X"); a ministry is the article's.
        let ahead = kind != Some(BodyKind::Enterprise);
        of.clone()
            .rfind(|m| m.body.end <= at)
            .or_else(|| of.clone().find(|m| ahead && m.body.first >= at))
            .map(|m| m.body.clone())
    }

    /// "… bầu Ủy ban Kiểm tra Tỉnh ủy … Các đồng chí A, B được bầu làm Phó Chủ nhiệm Ủy ban
    /// Kiểm tra": the body a bare head stands for is the one last named in full earlier in the
    /// paragraph; its parent.
    fn parent_named_before(&self, head: u16, paragraph: usize, at: usize) -> Option<BodyPhrase> {
        self.ctx
            .bodies
            .iter()
            .filter(|m| m.paragraph == paragraph && m.body.end <= at && m.body.head == head)
            .rev()
            .find_map(|m| m.body.parent.as_deref().cloned())
    }

    /// The body of a kind the paragraph is about, named in full before `at`: of the heads of
    /// that kind, the one named most often (a "Phó Chủ tịch Hội Nông dân tỉnh" in passing does
    /// not outweigh the Front's committee the paragraph reports on), its nearest mention.
    fn kind_in_paragraph(&self, kind: BodyKind, paragraph: usize, at: usize) -> Option<BodyPhrase> {
        let of_kind: Vec<&BodyMention> = self
            .ctx
            .bodies
            .iter()
            .filter(|m| {
                let def = &self.g.bodies[m.body.head as usize];
                m.paragraph == paragraph
                    && m.body.end <= at
                    && def.kind == kind
                    && (!m.body.is_bare() || def.tail == Tail::None)
            })
            .collect();
        let count = |head: u16| of_kind.iter().filter(|m| m.body.head == head).count();
        let most = of_kind.iter().map(|m| count(m.body.head)).max()?;
        of_kind
            .iter()
            .rfind(|m| count(m.body.head) == most)
            .map(|m| m.body.clone())
    }

    /// "tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Chủ tịch Liên đoàn Lao động tỉnh": the
    /// body of a kind (a mass organisation) the sentence names, first after `at` (the one the
    /// posts go on to name), else nearest before.
    fn kind_in_sentence(&self, kind: BodyKind, sentence: usize, at: usize) -> Option<BodyPhrase> {
        // Named in full: a head with its name or place, or a fixed name ("TKV").
        // Not one of a past post ("X, nguyên Phó Tổng giám đốc EVN, làm Chủ tịch HĐTV").
        let of_kind = self.ctx.bodies.iter().filter(|m| {
            let def = &self.g.bodies[m.body.head as usize];
            m.sentence == sentence
                && def.kind == kind
                && (!m.body.is_bare() || def.tail == Tail::None)
                && !self.ctx.in_past_post(m.body.first)
        });
        of_kind
            .clone()
            .find(|m| m.body.first >= at)
            .or_else(|| of_kind.clone().rfind(|m| m.body.end <= at))
            .map(|m| m.body.clone())
    }

    /// The police or army unit the sentence names last before `at`, else first after it
    /// ("Trưởng phòng Cảnh sát hình sự, giữ chức Phó Giám đốc Công an tỉnh").
    fn force_near(&self, sentence: usize, paragraph: usize, at: usize) -> Option<BodyPhrase> {
        let forces = self.ctx.bodies.iter().filter(|m| {
            m.paragraph == paragraph
                && !m.body.is_bare()
                && matches!(
                    self.g.bodies[m.body.head as usize].kind,
                    BodyKind::Police | BodyKind::Army
                )
        });
        // Named before it in the paragraph ("Công an tỉnh Nghệ An tổ chức …. Trưởng phòng Cảnh
        // sát hình sự cho biết đã phối hợp với Công an tỉnh Hà Tĩnh"), else later in its sentence.
        forces
            .clone()
            .rfind(|m| m.body.end <= at)
            .or_else(|| {
                forces
                    .clone()
                    .find(|m| m.sentence == sentence && m.body.first >= at)
            })
            .map(|m| m.body.clone())
    }

    /// The Party committee the sentence names: the nearest before `at`, else the first after.
    fn committee_before(&self, sentence: usize, at: usize) -> Option<BodyPhrase> {
        let committees = self.ctx.bodies.iter().filter(|m| {
            let def = &self.g.bodies[m.body.head as usize];
            m.sentence == sentence
                && def.kind == BodyKind::PartyCommittee
                && (def.tail == Tail::Place || !m.body.is_bare())
        });
        committees
            .clone()
            .rfind(|m| m.body.end <= at)
            .or_else(|| committees.clone().find(|m| m.body.first >= at))
            .map(|m| m.body.clone())
    }

    /// "Đại hội đã bầu Ban Chấp hành khóa XX … Danh sách Ban Chấp hành gồm …", "Hội nghị … đã
    /// bầu Ban Thường vụ gồm …": a committee named bare, with no organisation in its sentence or
    /// paragraph, is that of the organisation the article names most before it (a Party
    /// organisation or committee, or a mass organisation), its committee for a standing or
    /// inspection committee ("Đảng bộ tỉnh X" → "Tỉnh ủy X").
    fn organ_of_article(&self, b: &BodyPhrase, at: usize) -> Option<BodyPhrase> {
        let kind = self.g.bodies[b.head as usize].kind;
        if !matches!(
            kind,
            BodyKind::ExecutiveCommittee
                | BodyKind::StandingCommittee
                | BodyKind::InspectionCommittee
        ) {
            return None;
        }
        let organ = |m: &BodyPhrase| -> Option<BodyPhrase> {
            let def = &self.g.bodies[m.head as usize];
            let whole = !m.is_bare() || def.tail == Tail::None;
            match def.kind {
                BodyKind::PartyOrganisation | BodyKind::PartyCommittee | BodyKind::Front
                    if whole && def.level != Some(Level::Central) =>
                {
                    Some(m.clone())
                }
                BodyKind::ExecutiveCommittee => m.parent.as_deref().cloned(),
                _ => None,
            }
        };
        let before: Vec<BodyPhrase> = self
            .ctx
            .bodies
            .iter()
            .filter(|m| m.body.end <= at && !self.ctx.in_past_post(m.body.first))
            .filter_map(|m| organ(&m.body))
            .collect();
        // Counted by the organisation it is: "Tỉnh ủy X" and "Đảng bộ tỉnh X" are one.
        let key = |o: &BodyPhrase| {
            (
                family(self.g, o.head).to_string(),
                o.place.clone(),
                o.qualifier.clone(),
            )
        };
        let count = |o: &BodyPhrase| before.iter().filter(|x| key(x) == key(o)).count();
        let most = before.iter().map(count).max()?;
        let mut organ = before.iter().rev().find(|o| count(o) == most)?.clone();
        if kind != BodyKind::ExecutiveCommittee
            && self.g.bodies[organ.head as usize].name == "Đảng bộ"
        {
            // "Đảng bộ tỉnh X" → "Tỉnh ủy X"; "Đảng bộ Khối …", "Đảng bộ xã Y" → "Đảng ủy …".
            let placed = effective_level(self.g, &organ)
                .filter(|_| organ.level_word.is_some())
                .and_then(|level| committee_head(level, organ.level_word.as_deref()));
            match placed {
                Some((head, level_word)) => {
                    organ.head = head_named(self.g, head);
                    organ.level_word = level_word;
                }
                None => organ.head = head_named(self.g, "Đảng ủy"),
            }
        }
        Some(organ)
    }

    /// "Phó Bí thư, Chủ tịch UBND huyện X": the Party committee of the sibling's place.
    fn committee_from_siblings(&self, siblings: &[&BodyPhrase]) -> Option<BodyPhrase> {
        let s = siblings.iter().find(|s| {
            !self.is_org(s)
                && !self.is_institution(s)
                && matches!(
                    effective_level(self.g, s),
                    Some(Level::Province | Level::City | Level::District | Level::Commune)
                )
                && s.parent.is_none()
        })?;
        let level = effective_level(self.g, s)?;
        let (head, level_word) = committee_head(level, s.level_word.as_deref())?;
        Some(BodyPhrase {
            head: head_named(self.g, head),
            qualifier: Vec::new(),
            parent: None,
            level: Some(level),
            level_word,
            place: s.place.clone(),
            generic: false,
            void: false,
            regional: false,
            first: s.first,
            end: s.end,
        })
    }

    /// Replace an elliptical Party organisation by a fuller mention of it. True if changed.
    fn expand(&self, b: &mut BodyPhrase, paragraph: usize, at: usize) -> bool {
        let tail = self.g.bodies[b.head as usize].tail;
        let named = tail == Tail::Name && b.is_bare();
        if !(self.is_org(b) || named)
            || b.place.is_some()
            || b.parent.is_some()
            || b.level_word.is_some()
        {
            return false;
        }
        let fam = family(self.g, b.head);
        let bare = b.qualifier.is_empty();
        // A bare name ("Bộ", "Quân khu") is made whole by itself written in full ("Quân khu 3")
        // or by a name that goes on from it ("Bộ Tài chính"), not by any of its family
        // ("Quân khu" is neither "Quân ủy Trung ương" nor "Quân sự tỉnh").
        let short = format!("{} ", self.g.bodies[b.head as usize].name);
        // "Bộ" is made whole by a ministry, not by "Bộ Chính trị".
        let names_more = |m: &BodyPhrase| {
            self.g.bodies[m.head as usize].name.starts_with(&short)
                && (self.is_party_organ(m) == self.is_party_organ(b))
        };
        let extends = |m: &BodyPhrase| {
            family(self.g, m.head) == fam
                && !m.generic
                && m.qualifier.len() >= b.qualifier.len()
                && m.qualifier[..b.qualifier.len()] == b.qualifier[..]
                && match named && m.head != b.head {
                    true => names_more(m),
                    false => {
                        m.qualifier.len() > b.qualifier.len()
                            || m.parent.is_some()
                            || m.place.is_some()
                            || m.level_word.is_some()
                    }
                }
        };
        // A bare "Đảng ủy" or "Sở" reaches only as far as its paragraph: the organisation
        // just named. A partial name ("Đảng ủy Khối") is the one the article names most.
        let near = |m: &&BodyMention| !bare || named || fam == "Chi" || m.paragraph == paragraph;
        let candidates: Vec<&BodyMention> = self
            .ctx
            .bodies
            .iter()
            .filter(near)
            .filter(|m| extends(&m.body))
            .collect();
        let nearest = |list: &[&BodyMention]| -> Option<BodyPhrase> {
            list.iter()
                .rev()
                .find(|m| m.body.end <= at)
                .or_else(|| list.iter().find(|m| m.body.first >= at))
                .map(|m| m.body.clone())
        };
        // A bare "Sở" or "Bộ" is the one its paragraph names, else the one the article names
        // most, like a partial name.
        let in_paragraph: Vec<&BodyMention> = match bare && named {
            true => candidates
                .iter()
                .copied()
                .filter(|m| m.paragraph == paragraph)
                .collect(),
            false => Vec::new(),
        };
        let found = if bare && (!named || !in_paragraph.is_empty()) {
            nearest(if named { &in_paragraph } else { &candidates })
        } else {
            let names: Vec<String> = candidates
                .iter()
                .map(|m| {
                    let head = &self.g.bodies[m.body.head as usize].name;
                    format!("{head} {}", m.body.qualifier.join(" "))
                })
                .collect();
            let count = |n: &String| names.iter().filter(|x| *x == n).count();
            let best = names.iter().map(count).max().unwrap_or(0);
            let top: Vec<&BodyMention> = candidates
                .iter()
                .zip(&names)
                .filter(|(_, n)| count(n) == best)
                .map(|(m, _)| *m)
                .collect();
            nearest(&top)
        };
        let Some(full) = found else { return false };
        let head = b.head;
        let (first, end) = (b.first, b.end);
        *b = full;
        // "Đảng ủy" made whole stays "Đảng ủy" (not the "Đảng bộ" it was found as); a bare
        // "Bộ" takes the name it stands for ("Bộ Tài chính").
        if !named {
            b.head = head;
        }
        b.first = first;
        b.end = end;
        true
    }

    fn fill_place(&self, b: &mut BodyPhrase, siblings: &[&BodyPhrase], sentence: usize, at: usize) {
        if b.place.is_some() || b.parent.is_some() || b.regional {
            return;
        }
        if effective_level(self.g, b).is_none()
            && self.g.bodies[b.head as usize].tail == Tail::LevelPlace
        {
            // "Chỉ huy trưởng Quân sự và … Trưởng Công an xã": the level of a like body nearby.
            let like = |x: &BodyPhrase| {
                self.g.bodies[x.head as usize].tail == Tail::LevelPlace && x.level_word.is_some()
            };
            let near = siblings.iter().copied().find(|s| like(s)).or_else(|| {
                let same: Vec<&BodyMention> = self
                    .ctx
                    .bodies
                    .iter()
                    .filter(|m| m.sentence == sentence && like(&m.body))
                    .collect();
                same.iter()
                    .find(|m| m.body.first >= at)
                    .or(same.last())
                    .map(|m| &m.body)
            });
            if let Some(n) = near {
                b.level = n.level;
                b.level_word = n.level_word.clone();
            }
        }
        let Some(level) = effective_level(self.g, b) else {
            return;
        };
        if level == Level::Central {
            return;
        }
        let want = |l: Level| match level {
            Level::City => matches!(l, Level::City | Level::Province),
            other => l == other,
        };
        let from_sibling = siblings
            .iter()
            .find(|s| s.place.is_some() && effective_level(self.g, s).is_some_and(want));
        if let Some(s) = from_sibling {
            b.place = s.place.clone();
            return;
        }
        // "X, nguyên Phó Bí thư Tỉnh ủy A, được chỉ định giữ chức Phó Bí thư Tỉnh ủy": the place
        // of a past post is not that of a post outside it.
        let past = self.ctx.in_past_post(at);
        let in_sentence: Vec<&PlaceMention> = self
            .ctx
            .places
            .iter()
            .filter(|p| p.sentence == sentence && want(p.level))
            .filter(|p| past || !self.ctx.in_past_post(p.token))
            // "… của tỉnh (địa bàn tỉnh Phú Yên cũ)" after the merger: not the body's place.
            .filter(|p| !self.ctx.merged_away.contains(&p.name))
            // "Thành ủy" is not of "Tỉnh ủy Quảng Ngãi" named beside it: a province's name is a
            // city's only when the province is a centrally-run city.
            .filter(|p| match (level, p.level) {
                (Level::City, Level::Province) => self.is_central_city(&p.name),
                (Level::City, _) => self.is_city(&p.name),
                _ => true,
            })
            .collect();
        let near = in_sentence
            .iter()
            .rfind(|p| p.token <= at)
            .or_else(|| in_sentence.first());
        if let Some(p) = near {
            b.place = Some(p.name.clone());
            return;
        }
        b.place = match level {
            Level::Province => self.ctx.province.clone(),
            Level::District => self.ctx.district.clone(),
            Level::City => self
                .ctx
                .province
                .clone()
                .filter(|p| self.is_city(p))
                .or_else(|| self.ctx.city.clone())
                .or_else(|| self.ctx.district.clone().filter(|d| self.is_city(d))),
            Level::Commune => self.recent_commune(sentence, at),
            Level::Central => None,
        };
    }

    fn is_central_city(&self, name: &str) -> bool {
        self.g
            .provinces
            .iter()
            .any(|p| p.name == name && p.kind == PlaceKind::City)
    }

    fn is_city(&self, name: &str) -> bool {
        self.is_central_city(name)
            || self
                .g
                .districts
                .iter()
                .any(|d| d.name == name && d.kind == PlaceKind::City)
    }

    /// The commune the article names most, the nearest before among equals.
    fn recent_commune(&self, sentence: usize, at: usize) -> Option<String> {
        let all: Vec<&PlaceMention> = self
            .ctx
            .places
            .iter()
            .filter(|p| p.level == Level::Commune)
            .collect();
        let count = |n: &str| all.iter().filter(|p| p.name == n).count();
        let best = all.iter().map(|p| count(&p.name)).max()?;
        let communes = all.iter().copied().filter(|p| count(&p.name) == best);
        let before = communes
            .clone()
            .rfind(|p| p.sentence < sentence || (p.sentence == sentence && p.token <= at));
        before
            .or_else(|| communes.clone().next())
            .map(|p| p.name.clone())
    }

    /// The canonical name of a body held with `title`, rewrites applied.
    pub fn name(&self, title: &str, b: &BodyPhrase) -> String {
        let rendered = render(self.g, b);
        rewrite(self.g, title, &rendered)
    }
}

/// Siblings of title `k` in a list, following ones first ("Ủy viên Ban Thường vụ, Trưởng ban
/// Tổ chức Tỉnh ủy": the committee comes after), then earlier ones, nearest first.
/// A title without "Phó", "Quyền" or "Thường trực": the post it is a rank of.
fn title_stem(name: &str) -> String {
    name.trim_start_matches("Phó ")
        .trim_start_matches("Quyền ")
        .trim_end_matches(" Thường trực")
        .to_lowercase()
}

fn order_siblings(bodies: &[Option<BodyPhrase>], k: usize) -> Vec<&BodyPhrase> {
    let after = bodies[k + 1..].iter().flatten();
    let before = bodies[..k].iter().rev().flatten();
    after.chain(before).collect()
}

/// Apply the gazetteer's title-specific renamings ("Bí thư" of "Trung ương Đảng").
pub fn rewrite(g: &Gazetteer, title: &str, body: &str) -> String {
    let mut rules = g.rewrites.iter().filter(|r| r.title == title).peekable();
    if rules.peek().is_none() {
        return body.to_string();
    }
    let key = crate::normalize::key(body);
    let mut best: Option<(&str, &str)> = None;
    for r in rules {
        let from = r.body_key.as_str();
        let whole = key
            .strip_prefix(from)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
        if whole && best.is_none_or(|(f, _)| f.len() < r.body.len()) {
            best = Some((&r.body, &r.to));
        }
    }
    match best {
        Some((from, to)) => {
            let rest = body.get(from.len()..).unwrap_or("").trim();
            if rest.is_empty() || to.ends_with(rest) {
                to.to_string()
            } else {
                format!("{to} {rest}")
            }
        }
        None => body.to_string(),
    }
}
