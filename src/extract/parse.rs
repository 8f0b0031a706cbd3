//! Phrase grammar over tokens: titles, bodies (with their places and parents), places and
//! person names. Everything here reads forward from one token and says how far it got.

use super::scan::roman;
use crate::gazetteer::{BodyKind, Cue, Entry, Gazetteer, Level, Tail};
use crate::segment::{Token, TokenKind};

/// A body as written: head, qualifier words, parent body, level and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyPhrase {
    pub head: u16,
    /// Words between the head and the place: "Khối các cơ quan", "Tài chính", "II".
    pub qualifier: Vec<String>,
    pub parent: Option<Box<BodyPhrase>>,
    /// The level written ("huyện") or implied by the head ("Huyện ủy").
    pub level: Option<Level>,
    /// The level word as it will be written ("huyện", "thị xã").
    pub level_word: Option<String>,
    pub place: Option<String>,
    /// "các cấp", "cơ sở": not one body but a kind of body.
    pub generic: bool,
    /// An organ of a meeting ("Đoàn Chủ tịch"): titles in it are no holdings.
    pub void: bool,
    /// "khu vực 2 - Lâm Đồng": a regional body, its place written in its name.
    pub regional: bool,
    pub first: usize,
    pub end: usize,
}

impl BodyPhrase {
    /// A head with one qualifier and nothing else: a mission abroad ("Đại sứ quán" with "X tại
    /// Y"), an army department ("Cục" with "Chính trị").
    fn named(head: u16, qualifier: String, first: usize, end: usize) -> Self {
        BodyPhrase {
            head,
            qualifier: vec![qualifier],
            parent: None,
            level: None,
            level_word: None,
            place: None,
            generic: false,
            void: false,
            regional: false,
            first,
            end,
        }
    }

    /// A bare head with nothing after it.
    pub fn is_bare(&self) -> bool {
        self.qualifier.is_empty()
            && self.parent.is_none()
            && self.place.is_none()
            && self.level_word.is_none()
    }
}

/// A title, the body that follows it and what qualifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitlePhrase {
    pub title: u16,
    pub body: Option<BodyPhrase>,
    pub first: usize,
    pub end: usize,
    /// A foreign state's post ("Đại sứ Nhật Bản", "Thứ trưởng Bộ Ngoại giao Hàn Quốc"): the
    /// capitalised words after it are a foreign name.
    pub foreign: bool,
}

/// A person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePhrase {
    pub name: String,
    pub first: usize,
    pub end: usize,
}

/// The grammar over one token list.
#[derive(Clone, Copy)]
pub struct Parser<'a> {
    pub g: &'a Gazetteer,
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub words: &'a [&'a str],
    /// Gazetteer phrases at each token ([`Gazetteer::matches`]).
    pub matches: &'a crate::gazetteer::Matches,
    /// Tokens from here on belong to another sentence.
    pub limit: usize,
    /// Short names the document gave its bodies ("Ngân hàng TMCP Công Thương Việt Nam
    /// (VietinBank)"), see [`aliases`].
    pub aliases: &'a [Alias],
}

/// A short name a document defined in brackets after a body's full name.
#[derive(Debug, Clone)]
pub struct Alias {
    /// The short name as written.
    pub name: String,
    pub body: BodyPhrase,
}

/// The short names a document defines: "Tập đoàn Điện lực Việt Nam (EVN)", a body's name then
/// one capitalised word in brackets, a brand or an acronym, that is no gazetteer phrase, place
/// or roman numeral. Each
/// later stands for the body ("Tổng Giám đốc EVN"). `p` spans the whole document; the body is
/// read within the sentence of the bracket.
pub fn aliases(p: &Parser, sentence_of: impl Fn(usize) -> (usize, usize)) -> Vec<Alias> {
    let mut out: Vec<Alias> = Vec::new();
    let toks = p.tokens;
    for k in 1..toks.len().saturating_sub(2) {
        if toks[k].kind != TokenKind::Punct('(') || toks[k + 2].kind != TokenKind::Punct(')') {
            continue;
        }
        let t = &toks[k + 1];
        let name = t.text(p.text);
        let short = t.is_word()
            && t.capital
            && name.chars().count() >= 2
            // "VietinBank", "EVN", "Vinafood1"; "Agribank": a brand in plain letters.
            && (name.chars().skip(1).any(|c| c.is_uppercase() || c.is_ascii_digit())
                || name.is_ascii())
            && roman(name).is_none();
        if !short || out.iter().any(|a| a.name == name) {
            continue;
        }
        let (first, end) = sentence_of(k);
        let q = Parser { limit: end, ..*p };
        if q.starts_phrase(k + 1) || q.known_place_at(k + 1).is_some() {
            continue;
        }
        // The longest body that ends at the bracket; of "Hội đồng quản trị Ngân hàng X (Y)",
        // the bank (but of "Ủy ban Kiểm tra Tỉnh ủy X (Y)", the commission).
        let mut body = (first.max(k.saturating_sub(16))..k)
            .filter_map(|s| q.body_at(s, 0))
            .find(|b| {
                b.end == k && (!b.is_bare() || p.g.bodies[b.head as usize].tail == Tail::None)
            });
        while let Some(inner) = body
            .as_ref()
            .filter(|b| p.g.bodies[b.head as usize].of_kind == Some(BodyKind::Enterprise))
            .and_then(|b| b.parent.as_deref())
        {
            body = Some(inner.clone());
        }
        if let Some(body) = body {
            out.push(Alias {
                name: name.to_string(),
                body,
            });
        }
    }
    out
}

const MAX_DEPTH: u8 = 4;

impl<'a> Parser<'a> {
    /// The grammar over a whole token list, with no short names defined.
    pub fn whole(
        g: &'a Gazetteer,
        text: &'a str,
        tokens: &'a [Token],
        words: &'a [&'a str],
        matches: &'a crate::gazetteer::Matches,
    ) -> Self {
        Parser {
            g,
            text,
            tokens,
            words,
            matches,
            limit: tokens.len(),
            aliases: &[],
        }
    }

    /// The longest gazetteer phrase at `i` whose entry `pick` accepts: (length, picked value).
    pub fn longest<T>(&self, i: usize, pick: impl Fn(&Entry) -> Option<T>) -> Option<(usize, T)> {
        self.longest_below(i, usize::MAX, pick)
    }

    /// [`Parser::longest`] among the phrases shorter than `max` words.
    pub fn longest_below<T>(
        &self,
        i: usize,
        max: usize,
        pick: impl Fn(&Entry) -> Option<T>,
    ) -> Option<(usize, T)> {
        if i >= self.limit {
            return None;
        }
        self.matches
            .at(i)
            .iter()
            .rev()
            .filter(|(len, _)| i + *len as usize <= self.limit && (*len as usize) < max)
            .find_map(|&(len, node)| {
                self.g
                    .entries(node)
                    .iter()
                    .find_map(&pick)
                    .map(|v| (len as usize, v))
            })
    }

    pub fn word(&self, i: usize) -> &str {
        if i < self.limit {
            self.words[i]
        } else {
            ""
        }
    }

    pub fn token(&self, i: usize) -> Option<&Token> {
        (i < self.limit).then(|| &self.tokens[i])
    }

    /// The original-case text of tokens `first..end`, joined by single spaces.
    pub fn phrase(&self, first: usize, end: usize) -> String {
        let mut out = String::new();
        for t in &self.tokens[first..end] {
            if !out.is_empty() && !matches!(t.kind, TokenKind::Punct(',' | ')')) {
                let prev_open = out.ends_with('(');
                if !prev_open {
                    out.push(' ');
                }
            }
            out.push_str(t.text(self.text));
        }
        out
    }

    fn is_capital_word(&self, i: usize) -> bool {
        self.token(i)
            .is_some_and(|t| t.is_word() && t.capital && (i == 0 || !t.line_start))
    }

    /// Does a title, body, level or cue start at `i`?
    /// Does a title, body, level or cue phrase start at `i` (see [`Parser::phrase_len`])?
    pub fn starts_phrase(&self, i: usize) -> bool {
        self.phrase_len(i) > 0
    }

    /// Length of the longest title, body, level or cue phrase at `i` (0 if none).
    /// A body head that opens a body only when capitalised ("Chính trị", "Báo") is no phrase
    /// in lower case.
    fn phrase_len(&self, i: usize) -> usize {
        let lower = self.token(i).is_some_and(|t| !t.capital);
        // A credit ("Tin, ảnh:") opens a line; inside one, "Tin" is a word ("Vụ Thông tin").
        let credit = self.token(i).is_some_and(|t| t.line_start);
        self.longest(i, |e| match e {
            Entry::Cue(Cue::Credit) => credit.then_some(()),
            Entry::Title(_) | Entry::Level(_) | Entry::Cue(_) | Entry::Rank => Some(()),
            Entry::Body(b) if !(lower && self.g.bodies[*b as usize].capital) => Some(()),
            _ => None,
        })
        .map_or(0, |(l, _)| l)
    }

    /// A one-word generic head ("Bộ", "Sở", "Vụ") written in lower case at `i`, of a kind not
    /// also written so as a name (schools and companies are: "trường THPT …").
    fn lower_generic(&self, i: usize, head: u16, len: usize) -> bool {
        let def = &self.g.bodies[head as usize];
        let lower_ok = matches!(def.kind, BodyKind::School | BodyKind::Enterprise);
        def.tail == Tail::Name && len == 1 && !lower_ok && !self.tokens[i].capital
    }

    /// A lower-case one-word generic head and nothing else ("bộ" of "cán bộ"): inside a
    /// name it is a word of the name, as [`Parser::body_at`] reads it inside a body. So is a
    /// school's or a company's head with no capitalised name after it ("Quản lý thị trường").
    fn lower_generic_head(&self, i: usize) -> bool {
        let other = self.longest(i, |e| match e {
            Entry::Title(_) | Entry::Level(_) | Entry::Cue(_) | Entry::Rank => Some(()),
            _ => None,
        });
        let head = self.longest(i, |e| match e {
            Entry::Body(b) => Some(*b),
            _ => None,
        });
        other.is_none()
            && head.is_some_and(|(len, b)| {
                self.lower_generic(i, b, len)
                    || (len == 1
                        && !self.tokens[i].capital
                        && self.g.bodies[b as usize].tail == Tail::Name
                        && !self.is_capital_word(i + 1))
            })
    }

    /// A title at `i`, with its body.
    pub fn title_at(&self, i: usize) -> Option<TitlePhrase> {
        let (len, t) = self.longest(i, |e| match e {
            Entry::Title(t) => Some(*t),
            _ => None,
        })?;
        // "ủy quyền Bộ trưởng": "quyền" is of "ủy quyền", not an acting title.
        if self.words[i] == "quyền" && i > 0 && self.word(i - 1) == "ủy" {
            return None;
        }
        let def = &self.g.titles[t as usize];
        let mut end = i + len;
        let mut body = None;
        if def.overlap > 0 && def.overlap < len {
            body = self.body_at(i + len - def.overlap, 0);
        }
        // "Tổng giám đốc (TGĐ) Tập đoàn": the title's short form in brackets, then its body.
        let echo = self.title_echo(i + len, t);
        let len = len + echo;
        end += echo;
        if body.is_none() {
            let mut j = i + len;
            // "Phó Trưởng Đoàn chuyên trách Đoàn ĐBQH tỉnh": a full-time post of the body;
            // "Phó Viện trưởng phụ trách Viện X": a deputy in charge of it.
            // An institution the title heads, not a board or office inside one ("Phó Tổng Giám
            // đốc phụ trách Ban Kiểm toán nội bộ").
            let heads = |b: BodyPhrase| {
                let body = &self.g.bodies[b.head as usize];
                def.heads
                    .as_deref()
                    .is_some_and(|h| body.name.starts_with(h))
                    || matches!(
                        body.kind,
                        BodyKind::Court
                            | BodyKind::Procuracy
                            | BodyKind::Agency
                            | BodyKind::School
                            | BodyKind::Police
                    ) && b.parent.is_none()
                    // "Phó Giám đốc phụ trách Sở Tài chính", not "… phụ trách Phòng Kế hoạch", nor
                    // "Phó Chủ tịch (UBND) phụ trách Sở": a Sở is headed by its Giám đốc.
                    || body.kind == BodyKind::Department
                        && body.level == Some(Level::Province)
                        && def.name.ends_with("Giám đốc")
            };
            let in_charge = self.word(j) == "phụ" && self.body_at(j + 2, 0).is_some_and(heads);
            if (self.word(j) == "chuyên" || in_charge) && self.word(j + 1) == "trách" {
                j += 2;
            }
            if self.word(j) == "của" {
                j += 1;
            }
            body = self.body_at(j, 0);
        }
        // "Chủ nhiệm Chính trị Quân khu 9": a department of an army unit named without "Cục".
        if body.is_none() {
            body = self.army_department(i + len);
        }
        // "Thứ trưởng Tài chính X": the ministry named without "Bộ".
        if body.is_none() && def.context_kind == Some(BodyKind::Ministry) {
            body = self.ministry_short(i + len);
        }
        // "Đại sứ Đặc mệnh toàn quyền Việt Nam tại Cộng hòa Pháp": the mission it heads.
        if body.is_none() {
            if let Some(head) = def.mission.as_deref().and_then(|m| self.g.body_named(m)) {
                body = self.abroad(head, i + len, i);
            }
        }
        if body.is_none() {
            if let Some(implied) = &def.implied_body {
                body = self.implied(implied, i, i + len);
            }
        }
        // "Đại sứ Cộng hòa Liên bang Đức Klaus Reinhardt", "Thứ trưởng Bộ Ngoại giao Hàn Quốc
        // Kim Jin-woo": a foreign state's post.
        let mut foreign = false;
        let mission = def.mission.as_deref().and_then(|m| self.g.body_named(m));
        match (&mut body, mission) {
            (None, Some(head)) => {
                let n = self.country_len(i + len);
                if n > 0 {
                    let state = self.phrase(i + len, i + len + n);
                    let qualifier = format!("{state} tại Việt Nam");
                    body = Some(BodyPhrase::named(head, qualifier, i + len, i + len + n));
                    foreign = true;
                }
            }
            // "Đại sứ Nhật Bản tại Việt Nam Ito Naoki".
            (Some(b), Some(head)) if b.head == head => {
                foreign = b
                    .qualifier
                    .first()
                    .is_some_and(|q| !q.starts_with("Việt Nam tại"));
            }
            (Some(b), _) if self.g.bodies[b.head as usize].kind == BodyKind::Ministry => {
                let n = self.country_len(b.end);
                if n > 0 {
                    b.qualifier.push(self.phrase(b.end, b.end + n));
                    b.end += n;
                    foreign = true;
                }
            }
            _ => {}
        }
        if let Some(b) = &body {
            end = end.max(b.end);
        }
        // "bổ nhiệm Thẩm phán đối với …: ông A (TAND tỉnh) …": a post given, its body later.
        let appointed = i >= 2
            && (self.word(i - 2) == "bổ" && self.word(i - 1) == "nhiệm"
                || i >= 3 && self.word(i - 3) == "bổ" && self.word(i - 1) == "lại");
        if def.needs_body && body.is_none() && !appointed {
            return None;
        }
        // "Thường trực Ban Bí thư" is a Party post; "Thường trực HĐND tỉnh" is a council's
        // standing body, no one's title.
        if def.party && def.needs_body {
            let kind = body.as_ref().map(|b| self.g.bodies[b.head as usize].kind);
            if kind == Some(BodyKind::PeoplesCouncil) {
                return None;
            }
        }
        // "Phó Chủ tịch Trung ương Hội CCB Việt Nam": a leader of the organisation; only its
        // members ("Ủy viên") are of its central committee, and so is what the text calls one
        // ("Phó Chủ tịch BCH T.Ư Hội Nông dân Việt Nam").
        let central_of_org = |b: &BodyPhrase| {
            self.word(b.first) == "trung"
                && b.qualifier.len() == 1
                && b.qualifier[0] == "Trung ương"
                && b.parent.is_some()
                && self.g.bodies[b.head as usize].kind == BodyKind::ExecutiveCommittee
        };
        if def.name != "Ủy viên" && body.as_ref().is_some_and(central_of_org) {
            body = body.and_then(|b| b.parent).map(|p| *p);
        }
        // "Ủy viên Đoàn Chủ tịch, Phó Chủ tịch Tổng LĐLĐ Việt Nam": a meeting's presidium has no
        // members by title, so this is the organisation's, named later in the list.
        if let Some(b) = body.as_mut().filter(|b| b.void && b.is_bare()) {
            b.void = !(def.name == "Ủy viên" && self.g.bodies[b.head as usize].of_next);
        }
        Some(TitlePhrase {
            title: t,
            body,
            first: i,
            end,
            foreign,
        })
    }

    /// "Chính trị Quân khu 9" at `j`: the unit's "Cục Chính trị".
    fn army_department(&self, j: usize) -> Option<BodyPhrase> {
        if !self.is_capital_word(j) {
            return None;
        }
        let end = (j + 6).min(self.limit).max(j);
        let n = self.g.army_department_len(&self.words[j..end]);
        if n == 0 {
            return None;
        }
        let unit = self
            .body_at(j + n, 1)
            .filter(|u| self.g.bodies[u.head as usize].kind == BodyKind::Army)?;
        let head = self.g.body_named("Cục")?;
        let mut b = BodyPhrase::named(head, self.phrase(j, j + n), j, unit.end);
        b.parent = Some(Box::new(unit));
        Some(b)
    }

    /// How many words from `j` name a foreign state, capitalised (0 if none).
    fn country_len(&self, j: usize) -> usize {
        if !self.is_capital_word(j) {
            return 0;
        }
        let end = (j + 8).min(self.limit).max(j);
        let n = self.g.country_len(&self.words[j..end]);
        // "Lào Cai", "Nga Sơn": a longer place of Việt Nam is no state.
        match self.known_place_at(j) {
            Some((_, len, _)) if len > n => 0,
            _ => n,
        }
    }

    /// The length of a title in brackets at `j` ("(TGĐ)", "(Phó TGĐ)"), 0 if none.
    fn title_echo(&self, j: usize, title: u16) -> usize {
        if self.word(j) != "(" {
            return 0;
        }
        self.longest(j + 1, |e| match e {
            Entry::Title(t) if *t == title => Some(()),
            _ => None,
        })
        .filter(|&(l, _)| self.word(j + 1 + l) == ")")
        .map_or(0, |(l, _)| l + 2)
    }

    /// A head of a ministry, agency, police, army unit, department, school or enterprise.
    fn is_institution_head(&self, head: u16) -> bool {
        matches!(
            self.g.bodies[head as usize].kind,
            BodyKind::Ministry
                | BodyKind::Agency
                | BodyKind::Police
                | BodyKind::Army
                | BodyKind::Department
                | BodyKind::School
                | BodyKind::Enterprise
                | BodyKind::Court
                | BodyKind::Procuracy
        )
    }

    /// The body a title word implies ("Tỉnh ủy viên"), parsed from the gazetteer's text.
    fn implied(&self, text: &str, first: usize, end: usize) -> Option<BodyPhrase> {
        let tokens = crate::segment::tokenize(text);
        let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        let matches = self.g.matches(&words);
        let p = Parser::whole(self.g, text, &tokens, &words, &matches);
        let mut b = p.body_at(0, 0)?;
        relocate(&mut b, first, end);
        Some(b)
    }

    /// A mission of kind `head` abroad, its sending state and place read from `j`: "(nước
    /// Cộng hòa xã hội chủ nghĩa) Việt Nam tại Vương quốc Thái Lan", "tại Geneva".
    fn abroad(&self, head: u16, j: usize, first: usize) -> Option<BodyPhrase> {
        let start = j + usize::from(self.word(j) == "nước");
        let from = self.state_name(start);
        let k = start + from;
        if self.word(k) != "tại" {
            return None;
        }
        let sender = match from {
            0 => "Việt Nam".to_string(),
            n if n >= 2 && self.word(k - 2) == "việt" && self.word(k - 1) == "nam" => {
                "Việt Nam".to_string()
            }
            _ => self.phrase(start, k),
        };
        // "… tại Thành phố Hồ Chí Minh": a place of Việt Nam, read whole; "… tại Việt Nam Ito
        // Naoki": a state the gazetteer knows ends where its name does.
        let place = self.known_place_at(k + 1).map_or(0, |(_, n, _)| n);
        let home = usize::from(self.word(k + 1) == "việt" && self.word(k + 2) == "nam") * 2;
        let to = match home.max(self.country_len(k + 1)) {
            0 => self.state_name(k + 1).max(place),
            n => n,
        };
        if to == 0 {
            return None;
        }
        let qualifier = format!("{sender} tại {}", self.phrase(k + 1, k + 1 + to));
        Some(BodyPhrase::named(head, qualifier, first, k + 1 + to))
    }

    /// How many words from `i` name a state or city: capitalised words, with the lower-case
    /// words of state names between them ("Cộng hòa xã hội chủ nghĩa Việt Nam", "Vương quốc
    /// Thái Lan"). The name ends on a capitalised word.
    fn state_name(&self, i: usize) -> usize {
        const INNER: [&str; 8] = ["hòa", "quốc", "bang", "xã", "hội", "chủ", "nghĩa", "dân"];
        let mut end = i;
        let mut k = i;
        while k < self.limit && k < i + 12 {
            let t = &self.tokens[k];
            if k > i && t.line_start {
                break;
            }
            // "Đại sứ Việt Nam tại Pháp Đinh Toàn Thắng": a full name after it is its holder's.
            let holder = || k > i && self.name_at(k, false).is_some_and(|n| n.end - n.first >= 3);
            if t.is_word() && t.capital && !holder() {
                k += 1;
                end = k;
            } else if k > i && t.is_word() && INNER.contains(&self.word(k)) {
                k += 1;
            } else {
                break;
            }
        }
        end - i
    }

    /// A body at `i`.
    pub fn body_at(&self, i: usize, depth: u8) -> Option<BodyPhrase> {
        if depth > MAX_DEPTH {
            return None;
        }
        let Some((len, head)) = self.longest(i, |e| match e {
            Entry::Body(b) => Some(*b),
            _ => None,
        }) else {
            return self.alias_at(i);
        };
        let not_body = self.longest(i, |e| matches!(e, Entry::NotBody).then_some(()));
        let def = &self.g.bodies[head as usize];
        if def.capital && !self.tokens[i].capital {
            return None;
        }
        // A one-word generic head in lower case names an organ neither inside another body
        // ("đảng bộ bộ phận" is no Đảng bộ of a ministry) nor before a person's name ("cán bộ
        // Nguyễn Thanh Hà").
        if self.lower_generic(i, head, len) && (depth > 0 || self.name_at(i + len, false).is_some())
        {
            return None;
        }
        let mut b = BodyPhrase {
            head,
            qualifier: Vec::new(),
            parent: None,
            level: def.level,
            level_word: None,
            place: None,
            generic: false,
            void: not_body.is_some_and(|(l, _)| l >= len),
            regional: false,
            first: i,
            end: i + len,
        };
        let j = i + len;
        // "Ban Chấp hành Trung ương Hội Nông dân Việt Nam": the central committee of a mass
        // organisation, not of the Party.
        if def.kind == BodyKind::ExecutiveCommittee
            && def.tail == Tail::None
            && self.word(j - 1) == "ương"
        {
            // Also one named for all its levels, written without a place: "Trung ương Hội
            // Sinh viên Việt Nam".
            if let Some(mut org) = self.body_at(j, depth + 1).filter(|o| {
                let d = &self.g.bodies[o.head as usize];
                d.kind == BodyKind::Front
                    && (d.level == Some(Level::Central)
                        || o.level.is_none() && o.place.is_none() && o.parent.is_none())
            }) {
                org.level = Some(Level::Central);
                b.head = self.g.body_named("Ban Chấp hành")?;
                b.qualifier.push("Trung ương".into());
                b.end = org.end;
                b.parent = Some(Box::new(org));
                return Some(b);
            }
            // "Ban Chấp hành Trung ương Đoàn": an organisation whose central body is named
            // with "Trung ương" ("Trung ương Đoàn").
            if let Some(org) = j
                .checked_sub(2)
                .and_then(|t| self.body_at(t, depth + 1))
                .filter(|o| {
                    let d = &self.g.bodies[o.head as usize];
                    d.kind == BodyKind::Front && d.level == Some(Level::Central) && o.end > j
                })
            {
                b.head = self.g.body_named("Ban Chấp hành")?;
                b.end = org.end;
                b.parent = Some(Box::new(org));
                return Some(b);
            }
        }
        // "Ngân hàng Chính sách xã hội chi nhánh tỉnh X": a branch of a national company or
        // bank in a place.
        let branch = |b: &mut BodyPhrase| {
            let at = b.end;
            let company = matches!(def.kind, BodyKind::Enterprise | BodyKind::Ministry);
            if company && self.word(at) == "chi" && self.word(at + 1) == "nhánh" {
                b.qualifier.push("chi nhánh".into());
                b.end = at + 2;
                b.level = None;
                self.level_place(b, at + 2);
            }
        };
        match def.tail {
            Tail::None => branch(&mut b),
            Tail::Place => {
                if let Some((name, l, _)) = self.place_name_at(j, def.level) {
                    b.place = Some(name);
                    b.end = j + l;
                }
            }
            Tail::LevelPlace => {
                self.level_place(&mut b, j);
                // "Đoàn Thanh niên Công an tỉnh X": an organisation of an institution.
                if b.level.is_none() && b.place.is_none() {
                    if let Some(p) = self
                        .body_at(j, depth + 1)
                        .filter(|p| self.is_institution_head(p.head))
                    {
                        b.end = p.end;
                        b.parent = Some(Box::new(p));
                    }
                }
            }
            Tail::Parent => {
                let j = self.dash_compound(&mut b, j);
                if let Some(p) = self.body_at(j, depth + 1) {
                    b.end = p.end;
                    // "Đoàn Chủ tịch Tổng LĐLĐ Việt Nam": an organisation's, not a meeting's.
                    b.void &= p.void;
                    // "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Văn phòng HĐND và UBND huyện": one
                    // office of two bodies of the place named last.
                    let council = |h: u16| {
                        matches!(
                            self.g.bodies[h as usize].kind,
                            BodyKind::Delegation
                                | BodyKind::PeoplesCouncil
                                | BodyKind::PeoplesCommittee
                        )
                    };
                    let second = (def.kind == BodyKind::Office
                        && p.place.is_none()
                        && council(p.head)
                        && self.word(p.end) == "và")
                        .then(|| self.body_at(p.end + 1, depth + 1))
                        .flatten()
                        .filter(|q| council(q.head) && q.head != p.head);
                    match second {
                        Some(q) => {
                            b.qualifier.push(format!("{} và", render(self.g, &p)));
                            b.end = q.end;
                            b.parent = Some(Box::new(q));
                        }
                        None => b.parent = Some(Box::new(p)),
                    }
                } else {
                    // "Văn phòng Điều phối nông thôn mới tỉnh X": a named organ of its own;
                    // not the holder after it ("Chủ tịch HĐQT Nguyễn Hải Đăng").
                    let k = match self.name_at(j, false) {
                        Some(_) => j,
                        None => self.name_words(&mut b, j),
                    };
                    if let Some(p) = self.body_at(k, depth + 1) {
                        b.end = p.end;
                        b.parent = Some(Box::new(p));
                    } else {
                        self.level_place(&mut b, k);
                    }
                }
            }
            Tail::Org => self.org_tail(&mut b, j, depth),
            Tail::Abroad => {
                if let Some(m) = self.abroad(head, j, i) {
                    b = m;
                }
            }
            Tail::Name => {
                // "Chủ tịch Hội Nguyễn Văn An": the holder after a head that needs a name.
                let needs_name = matches!(def.name.as_str(), "Ban" | "Ủy ban" | "Hội");
                let k = match needs_name && self.name_at(j, false).is_some() {
                    true => j,
                    false => self.name_words(&mut b, j),
                };
                // A bare "Ban" is no body; a bare "Ủy ban" ends a clause only as the committee
                // the sentence names ("làm Ủy viên Ủy ban, Ủy viên Ban Thường trực và giữ chức
                // Phó Chủ tịch Ủy ban MTTQ tỉnh"), made whole later.
                let clause_ends = match self.token(k).map(|t| t.kind) {
                    None => true,
                    Some(TokenKind::Punct(c)) => matches!(c, ',' | ';' | '.'),
                    Some(_) => self.word(k) == "và",
                };
                let elliptical = def.name == "Ủy ban" && clause_ends;
                if b.qualifier.is_empty() && needs_name && !elliptical {
                    return None;
                }
                // "Cục Chính trị Quân khu 3", "Phòng Tham mưu Công an tỉnh": the body it is of;
                // "Ban Phong trào Ủy ban MTTQ tỉnh": a board of a mass organisation.
                let board = def.kind == BodyKind::Other;
                // "Ủy ban Kinh tế (của) Quốc hội": a committee of the legislature.
                let of = usize::from(board && self.word(k) == "của");
                // "Ban Xây dựng Đảng (của) Đảng ủy xã": a board of a Party committee.
                match self.body_at(k + of, depth + 1).filter(|p| {
                    let kind = self.g.bodies[p.head as usize].kind;
                    (self.is_institution_head(p.head) && of == 0)
                        || board
                            && matches!(
                                kind,
                                BodyKind::Front | BodyKind::Legislature | BodyKind::PartyCommittee
                            )
                }) {
                    // "Công đoàn Bệnh viện X", "Công đoàn Bộ Y tế": the union of an institution.
                    Some(p) if !b.qualifier.is_empty() || def.kind == BodyKind::Front => {
                        // "Ủy ban Kinh tế và Tài chính của Quốc hội", its name in full.
                        if self.g.bodies[p.head as usize].kind == BodyKind::Legislature {
                            b.qualifier.push("của".into());
                        }
                        b.end = p.end;
                        b.parent = Some(Box::new(p));
                    }
                    // "Công ty Cấp nước Hà Tĩnh": a company is named after its place, as written.
                    _ if self.is_enterprise(b.head) && !b.qualifier.is_empty() => {
                        match self.known_place_at(k).filter(|_| !self.is_level_word(k)) {
                            Some((_, n, _)) => {
                                let words = (k..k + n).map(|x| self.tokens[x].text(self.text));
                                b.qualifier.push(words.collect::<Vec<_>>().join(" "));
                                b.end = k + n;
                            }
                            None => self.level_place(&mut b, k),
                        }
                    }
                    _ => self.level_place(&mut b, k),
                }
                // "Vụ Thị trường trong nước": a lower-case head with nothing named after it
                // is a word of the name before, not a body inside it.
                let bare = b.qualifier.is_empty() && b.place.is_none() && b.level.is_none();
                if depth > 0 && len == 1 && !self.tokens[i].capital && bare {
                    return None;
                }
            }
        }
        if def.tail == Tail::Name || def.tail == Tail::Parent {
            self.topic(&mut b);
        }
        self.region(&mut b);
        // "Trưởng Ban (Tổ chức) Lễ tang đồng chí X": the person is the one the board is for, not
        // its holder; the name is read as part of the body's.
        // Most bodies are followed by no person: the name is looked for first.
        let cue = self
            .longest(b.end, |e| matches!(e, Entry::PersonCue).then_some(()))
            .map_or(0, |(l, _)| l);
        if cue > 0 || self.token(b.end).is_some_and(|t| t.capital) {
            let named = self.name_at(b.end + cue, cue > 0).map(|n| n.end);
            let for_person = || {
                self.g
                    .is_for_person(&self.phrase(b.first, b.end).to_lowercase())
            };
            if let Some(end) = named.filter(|_| for_person()) {
                b.end = end;
            }
        }
        Some(b)
    }

    /// A ministry written without "Bộ" after a minister's title ("Bộ trưởng Ngoại giao").
    fn ministry_short(&self, j: usize) -> Option<BodyPhrase> {
        // Only where a ministry's name could start: "bộ" and this word begin one of its forms.
        let could = |b: &crate::gazetteer::BodyDef| {
            b.kind == BodyKind::Ministry
                && b.forms.iter().any(|f| {
                    f.strip_prefix("bộ ")
                        .and_then(|rest| rest.strip_prefix(self.words[j]))
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
                })
        };
        if !self.is_capital_word(j) || !self.g.bodies.iter().any(could) {
            return None;
        }
        let (n, head) = (1..=6)
            .rev()
            .filter(|n| j + n <= self.limit)
            .find_map(|n| {
                let form = format!("bộ {}", self.words[j..j + n].join(" "));
                let head = self
                    .g
                    .bodies
                    .iter()
                    .position(|b| b.kind == BodyKind::Ministry && b.forms.contains(&form))?;
                Some((n, u16::try_from(head).ok()?))
            })?;
        Some(BodyPhrase {
            head,
            qualifier: Vec::new(),
            parent: None,
            level: self.g.bodies[head as usize].level,
            level_word: None,
            place: None,
            generic: false,
            void: false,
            regional: false,
            first: j,
            end: j + n,
        })
    }

    /// The body a short name the document defined stands for, at `i`.
    fn alias_at(&self, i: usize) -> Option<BodyPhrase> {
        if self.aliases.is_empty() {
            return None;
        }
        let t = self.token(i).filter(|t| t.is_word() && t.capital)?;
        let name = t.text(self.text);
        let a = self.aliases.iter().find(|a| a.name == name)?;
        let mut b = a.body.clone();
        relocate(&mut b, i, i + 1);
        Some(b)
    }

    /// "Tòa án nhân dân khu vực 2 - Lâm Đồng", "Kiểm toán Nhà nước khu vực VII": a regional
    /// body, numbered inside its organisation, with the province it sits in after a dash.
    fn region(&self, b: &mut BodyPhrase) {
        let j = b.end;
        // "Kiểm toán Nhà nước chuyên ngành Ib": numbered by field, not by region.
        let field = self.word(j) == "chuyên" && self.word(j + 1) == "ngành";
        // Not "UBND xã khu vực III", a class of communes.
        let numbered = field || self.word(j) == "khu" && self.word(j + 1) == "vực";
        if b.place.is_some() || b.level_word.is_some() || !numbered {
            return;
        }
        let Some(n) = self.token(j + 2).filter(|t| {
            let text = t.text(self.text);
            let sub = text.strip_suffix(['a', 'b', 'A', 'B']).filter(|_| field);
            t.kind == TokenKind::Number && text.len() <= 3
                || roman(text).is_some()
                || sub.and_then(roman).is_some()
        }) else {
            return;
        };
        let mut name = format!("{} {}", self.phrase(j, j + 2), n.text(self.text));
        b.end = j + 3;
        b.level = None;
        if matches!(
            self.token(j + 3).map(|t| t.kind),
            Some(TokenKind::Punct('-' | '–'))
        ) {
            if let Some((place, l, _)) = self.place_name_at(j + 4, Some(Level::Province)) {
                name.push_str(" - ");
                name.push_str(&place);
                b.end = j + 4 + l;
            }
        }
        b.qualifier.push(name);
        b.regional = true;
    }

    /// "Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, tiêu cực", "Văn phòng Quốc gia về
    /// giảm nghèo": a national body named after its task, in lower case after "về".
    fn topic(&self, b: &mut BodyPhrase) {
        let national = b
            .qualifier
            .last()
            .is_some_and(|q| q.ends_with("Trung ương") || q.ends_with("Quốc gia"))
            && b.parent.is_none()
            && b.place.is_none();
        if !national || self.word(b.end) != "về" {
            return;
        }
        let lower = |k: usize| {
            self.token(k)
                .is_some_and(|t| t.is_word() && !t.capital && !t.line_start)
                && !self
                    .g
                    .ends_name(self.word(k.wrapping_sub(1)), self.word(k), self.word(k + 1))
        };
        let mut k = b.end + 1;
        while k < self.limit && k < b.end + 12 {
            if lower(k) {
                k += 1;
            } else if self.word(k) == "," && k > b.end + 1 && lower(k + 1) {
                k += 2;
            } else {
                break;
            }
        }
        if k > b.end + 1 {
            b.qualifier.push(self.phrase(b.end, k));
            b.end = k;
        }
    }

    /// "tỉnh Nghệ An", "huyện", "Nghệ An" after a body head.
    fn level_place(&self, b: &mut BodyPhrase, j: usize) {
        if let Some((l, level)) = self.longest(j, |e| match e {
            Entry::Level(l) => Some(*l),
            _ => None,
        }) {
            b.level = Some(level);
            b.level_word = Some(self.words[j..j + l].join(" "));
            b.end = j + l;
            if let Some((name, n, _)) = self.place_name_at(j + l, Some(level)) {
                b.place = Some(name);
                b.end = j + l + n;
            }
            return;
        }
        if self.word(j) == "trung" && self.word(j + 1) == "ương" {
            b.level = Some(Level::Central);
            b.qualifier.push("Trung ương".into());
            b.end = j + 2;
            return;
        }
        // A known province or district right after the head: "Ủy ban nhân dân Nghệ An".
        if let Some((name, n, level)) = self.known_place_at(j) {
            b.level = Some(level);
            b.place = Some(name);
            b.end = j + n;
        }
    }

    /// What follows "Đảng ủy", "Đảng bộ", "Chi bộ".
    fn org_tail(&self, b: &mut BodyPhrase, j: usize, depth: u8) {
        let w = self.word(j);
        if w == "khối" {
            b.qualifier.push("Khối".into());
            let mut k = j + 1;
            if let Some((l, bloc)) = self.longest(k, |e| match e {
                Entry::Bloc(x) => Some(*x),
                _ => None,
            }) {
                b.qualifier.push(self.g.blocs[bloc as usize].clone());
                k += l;
            }
            b.end = k;
            self.level_place(b, k);
            if b.qualifier.len() == 2 && central_bloc(&b.qualifier[1]) {
                b.level = Some(Level::Central);
            }
            return;
        }
        let next = self.word(j + 1);
        if w == "cơ" && next == "sở" {
            if let Some(p) = self.body_at(j + 2, depth + 1) {
                b.qualifier.push("cơ sở".into());
                b.end = p.end;
                b.parent = Some(Box::new(p));
                return;
            }
        }
        // "Đảng ủy các cơ quan Đảng tỉnh": a bloc of three words or more named without "Khối"
        // (as Party committees of agencies are named since 2025) is one body.
        if let Some((l, bloc)) = self.longest(j, |e| match e {
            Entry::Bloc(x) => Some(*x),
            _ => None,
        }) {
            if l >= 3 {
                b.qualifier.push(self.g.blocs[bloc as usize].clone());
                b.end = j + l;
                self.level_place(b, j + l);
                if central_bloc(&self.g.blocs[bloc as usize]) {
                    b.level = Some(Level::Central);
                }
                return;
            }
        }
        // "đảng bộ các cấp", "đảng bộ cơ sở", "chi bộ trực thuộc": a kind, not one body.
        if matches!(
            (w, next),
            ("các", "cấp") | ("cơ", "sở") | ("trực", "thuộc") | ("các", _)
        ) {
            b.generic = true;
            return;
        }
        if w == "cơ" && self.word(j + 1) == "quan" {
            if let Some(p) = self.body_at(j + 2, depth + 1) {
                b.qualifier.push("Cơ quan".into());
                b.end = p.end;
                b.parent = Some(Box::new(p));
                return;
            }
        }
        if self
            .longest(j, |e| matches!(e, Entry::Level(_)).then_some(()))
            .is_some()
        {
            self.level_place(b, j);
            return;
        }
        if let Some(p) = self.body_at(j, depth + 1) {
            let kind = self.g.bodies[p.head as usize].kind;
            if !matches!(
                kind,
                BodyKind::PartyOrganisation | BodyKind::PartyCell | BodyKind::PartyCommittee
            ) || self.g.bodies[p.head as usize].tail == Tail::Place
            {
                b.end = p.end;
                b.parent = Some(Box::new(p));
                return;
            }
        }
        if let Some((name, n, level)) = self.known_place_at(j) {
            b.level = Some(level);
            b.place = Some(name);
            b.end = j + n;
            return;
        }
        // "Chi bộ II", "Chi bộ Thôn 3": a short proper name that is not a person.
        let k = self.name_words(b, j);
        if k > j && self.name_at(j, false).is_some() {
            b.qualifier.clear();
            b.end = j;
        }
    }

    /// Proper-name words after a head: capitalised words, numbers, Roman numerals; "và", "-",
    /// "," between capitalised words; and the lower-case rest of a name whose first syllable
    /// alone is capitalised ("Phòng Tham mưu", "Cục Cảnh sát hình sự"). Stops before a person's
    /// name or another phrase.
    fn name_words(&self, b: &mut BodyPhrase, j: usize) -> usize {
        let school = self.g.bodies[b.head as usize].kind == BodyKind::School;
        let mut k = j;
        let mut parts: Vec<&str> = Vec::new();
        // Capitalised words since the last joiner or lower-case run.
        let mut segment = 0;
        // Where the last lower-case run of the name ended.
        let mut lower_end = usize::MAX;
        // An abbreviation ("TNHH", "MTV") came before the written name.
        let mut after_abbreviation = false;
        // "Công ty cổ phần Gốm sứ …": lower-case words before the capitalised name.
        let lead = self.lower_name_run(j);
        if lead > 0 && self.is_capital_word(j + lead) && !self.starts_phrase(j + lead) {
            parts.extend((j..j + lead).map(|x| self.tokens[x].text(self.text)));
            k += lead;
        }
        while k < self.limit && parts.len() < 16 {
            let t = &self.tokens[k];
            if t.line_start && k > j {
                break;
            }
            if (t.is_word() && t.capital) || t.kind == TokenKind::Number {
                // A capitalised level word inside a name is a word of it ("Xã hội"). Schools are
                // named after people ("trường THPT Nguyễn Du"); elsewhere a name after the
                // body's name is its holder.
                // "Bệnh viện Trung ương Huế", "Viện Vệ sinh dịch tễ Trung ương": "Trung ương"
                // alone is a word of the name.
                // So is a place after it ("Bệnh viện Đa khoa Trung ương Thái Nguyên").
                if self.bare_central(k) {
                    let place = self.known_place_at(k + 2).map_or(0, |(_, len, _)| len);
                    parts.extend((k..k + 2 + place).map(|x| self.tokens[x].text(self.text)));
                    segment += 2 + place;
                    k += 2 + place;
                    continue;
                }
                // "Hội Nhà báo", "Hội Luật gia": a degree or profession opening the name.
                let profession = parts.is_empty()
                    && self.g.bodies[b.head as usize].name == "Hội"
                    && self
                        .longest(k, |e| matches!(e, Entry::Rank).then_some(()))
                        .is_some_and(|(len, _)| len == self.phrase_len(k));
                if profession {
                    let n = self.phrase_len(k);
                    parts.extend((k..k + n).map(|x| self.tokens[x].text(self.text)));
                    segment += n;
                    k += n;
                    continue;
                }
                let word_of_name = parts.is_empty() && self.generic_as_word(k);
                let phrase = self.starts_phrase(k)
                    && !self.is_level_word(k)
                    && !self.common_noun_at(k)
                    && !word_of_name;
                // "Cà phê Xanh Buôn Ma Thuột": a place the name has begun is no person.
                let in_place = segment > 0
                    && self
                        .known_place_at(k - 1)
                        .is_some_and(|(_, len, _)| len > 1);
                let person =
                    !parts.is_empty() && !school && !in_place && self.name_at(k, false).is_some();
                if phrase || person {
                    break;
                }
                let w = t.text(self.text);
                parts.push(w);
                // "Công ty TNHH Xây dựng …": after an abbreviation a written name begins.
                let abbreviation = t.kind != TokenKind::Number
                    && w.chars().nth(1).is_some()
                    && !w.chars().any(char::is_lowercase);
                after_abbreviation |= abbreviation;
                segment = if abbreviation { 0 } else { segment + 1 };
                k += 1;
                continue;
            }
            // The lower-case rest of a one-word capitalised name, not after a number, a Roman
            // numeral or an abbreviation ("Chi bộ II long trọng", "Công ty TNHH Minh Phát nêu").
            let written_word = self.tokens[k - 1].is_word()
                && self.tokens[k - 1]
                    .text(self.text)
                    .chars()
                    .skip(1)
                    .any(char::is_lowercase);
            // After an abbreviation the run must lead to more of the name ("Công ty TNHH Xây
            // dựng Minh Phát", not "Công ty TNHH Vissan mong muốn").
            let run = match segment == 1 && written_word {
                true => self.lower_name_run(k),
                false => 0,
            };
            let run = match after_abbreviation && !self.is_capital_word(k + run) {
                true => 0,
                false => run,
            };
            if run > 0 {
                parts.extend((k..k + run).map(|x| self.tokens[x].text(self.text)));
                segment = 0;
                k += run;
                lower_end = k;
                continue;
            }
            // "Phòng Công tác đảng và công tác chính trị", "Cục Quản lý đê điều và phòng, chống
            // thiên tai": a lower-case name goes on after "và" with a phrase that repeats one of
            // its words, or with a phrase the gazetteer lists (`name_goes_on`).
            if k == lower_end && self.word(k) == "và" {
                let next = k + 1;
                let goes_on = self.g.name_goes_on(|i| self.word(next + i));
                // Words of the name said again ("công tác"), then the rest of the phrase.
                let said = |x: usize| parts.iter().any(|p| p.to_lowercase() == self.word(x));
                let repeated = (next..next + 3).take_while(|&x| said(x)).count();
                let from = next + goes_on.max(repeated);
                let run = match from > next {
                    true => self.lower_name_run(from),
                    false => 0,
                };
                if run > 0 {
                    parts.extend((k..from + run).map(|x| self.tokens[x].text(self.text)));
                    k = from + run;
                    lower_end = k;
                    continue;
                }
            }
            // "Công ty Than Hà Lầm - TKV": a member company's name ends with its group's.
            if self.word(k) == "-" && !parts.is_empty() && self.is_enterprise(b.head) {
                if let Some(group) = self.body_at(k + 1, 1).filter(|g| {
                    self.is_enterprise(g.head) && self.g.bodies[g.head as usize].tail == Tail::None
                }) {
                    parts.extend((k..group.end).map(|x| self.tokens[x].text(self.text)));
                    k = group.end;
                    break;
                }
            }
            let joiner = matches!(self.word(k), "và" | "-" | "&" | ",");
            let joins_name = joiner
                && !parts.is_empty()
                && self.is_capital_word(k + 1)
                && (!self.starts_phrase(k + 1) || self.is_level_word(k + 1))
                && self.name_at(k + 1, false).is_none();
            if !joins_name {
                break;
            }
            parts.push(t.text(self.text));
            segment = 0;
            k += 1;
        }
        if !parts.is_empty() {
            let mut s = String::new();
            for p in &parts {
                if !s.is_empty() && *p != "," {
                    s.push(' ');
                }
                s.push_str(p);
            }
            // "Quân khu Một", "Quân đoàn Bốn": a unit's number is named in digits.
            if self.g.bodies[b.head as usize].kind == BodyKind::Army {
                if let Some(n) = numeral(&s.to_lowercase()) {
                    s = n.to_string();
                }
            }
            b.qualifier.push(s);
            b.end = k;
        }
        k
    }

    /// "Ban Tổ chức - Kiểm tra", "Ban Tuyên giáo - Nữ công": a board named by two joined
    /// names, the second a capitalised word that opens no phrase, place or person. Where the
    /// name goes on.
    fn dash_compound(&self, b: &mut BodyPhrase, j: usize) -> usize {
        let board = matches!(
            self.g.bodies[b.head as usize].kind,
            BodyKind::PartyBoard | BodyKind::Other
        );
        let k = j + 1;
        if !board
            || self.word(j) != "-"
            || !self.is_capital_word(k)
            // "Ban Kinh tế - Xã hội": a level word is a word of the name.
            || self.starts_phrase(k) && !self.is_level_word(k)
            || self.known_place_at(k).is_some()
            || self.name_at(k, false).is_some()
        {
            return j;
        }
        let end = k + 1 + self.lower_name_run(k + 1);
        let words: Vec<&str> = (k..end).map(|x| self.tokens[x].text(self.text)).collect();
        b.qualifier.push(format!("- {}", words.join(" ")));
        b.end = end;
        end
    }

    /// "Trung ương" and no longer phrase ("Trung ương Đảng") at `k`.
    fn bare_central(&self, k: usize) -> bool {
        self.longest(k, |e| match e {
            Entry::Body(b) => Some(*b),
            _ => None,
        })
        .is_some_and(|(len, b)| {
            len == 2 && self.phrase_len(k) == 2 && self.g.bodies[b as usize].name == "Trung ương"
        })
    }

    /// A one-word generic head opening a name, before a lower-case word: a word of that name
    /// ("Cục Phòng bệnh"), not a body of its own.
    fn generic_as_word(&self, k: usize) -> bool {
        self.phrase_len(k) == 1
            && self
                .longest(k, |e| match e {
                    Entry::Body(b) => Some(*b),
                    _ => None,
                })
                .is_some_and(|(len, b)| len == 1 && self.g.bodies[b as usize].tail == Tail::Name)
            && self
                .token(k + 1)
                .is_some_and(|t| t.is_word() && !t.capital && !t.line_start)
            // "Công đoàn Bộ cho biết": a verb after it is no name.
            && self.lower_name_run(k + 1) > 0
    }

    /// A head written capitalised only as a name, before a lower-case word: a common noun
    /// inside a name ("Vụ Thông tin Báo chí"), not a body of its own ("Báo Nhân Dân").
    fn common_noun_at(&self, k: usize) -> bool {
        self.longest(k, |e| match e {
            Entry::Body(b) if self.g.bodies[*b as usize].capital => Some(()),
            _ => None,
        })
        .is_some_and(|(len, _)| {
            self.token(k + len)
                .is_some_and(|t| t.is_word() && !t.capital && !t.line_start)
        })
    }

    fn is_enterprise(&self, head: u16) -> bool {
        self.g.bodies[head as usize].kind == BodyKind::Enterprise
    }

    /// A single level word ("Xã") that is not a longer phrase.
    fn is_level_word(&self, k: usize) -> bool {
        self.longest(k, |e| matches!(e, Entry::Level(_)).then_some(()))
            .is_some_and(|(l, _)| l == self.phrase_len(k))
    }

    /// Length of a run of lower-case name words at `k` (0 if none): at most ten, none of them
    /// a word that never continues a name, followed by a boundary; a run of more than six ends at
    /// punctuation or a capitalised word.
    fn lower_name_run(&self, k: usize) -> usize {
        let mut run = 0;
        while run < 10 {
            let Some(t) = self.token(k + run) else { break };
            if !t.is_word()
                || t.capital
                || t.line_start
                || self.g.ends_name(
                    self.word((k + run).wrapping_sub(1)),
                    self.word(k + run),
                    self.word(k + run + 1),
                )
            {
                break;
            }
            // "Tài nguyên", "Tổ chức cán bộ", "xã hội": a pair that goes on in a name.
            let kept = self
                .g
                .keeps_name_after(self.word((k + run).wrapping_sub(1)), self.word(k + run))
                || self.token(k + run + 1).is_some_and(|t| !t.capital)
                    && self
                        .g
                        .keeps_name_after(self.word(k + run), self.word(k + run + 1));
            // "Bệnh viện Đa khoa tỉnh X": a level word after the run ends it ("trật tự xã hội"
            // is no commune).
            if run > 0 && self.is_level_word(k + run) && !kept {
                break;
            }
            let cue = self.longest(k + run, |e| matches!(e, Entry::PersonCue).then_some(()));
            let phrase = self.phrase_len(k + run) > 0 && !self.lower_generic_head(k + run);
            // "Ban Lễ tang đồng chí X": a person's cue after the run ends it.
            if !kept && cue.is_some() && run > 0 {
                break;
            }
            if !kept && (phrase || cue.is_some()) {
                return 0;
            }
            run += 1;
        }
        if run == 0 {
            return 0;
        }
        let after = k + run;
        let boundary = match self.token(after) {
            None => true,
            Some(t) => match t.kind {
                TokenKind::Punct(c) => matches!(c, ',' | '.' | ';' | ')' | '(' | ':' | '-'),
                // "Tổng công ty Phát điện 1 (EVNGENCO1)": a number that ends the name.
                TokenKind::Number => self
                    .token(after + 1)
                    .is_none_or(|n| matches!(n.kind, TokenKind::Punct(',' | '.' | ';' | '('))),
                TokenKind::Word => {
                    t.capital
                        || self.phrase_len(after) > 0
                        || self
                            .longest(after, |e| matches!(e, Entry::PersonCue).then_some(()))
                            .is_some()
                        || self.g.ends_name(
                            self.word(after - 1),
                            self.word(after),
                            self.word(after + 1),
                        )
                }
            },
        };
        let long_ok = run <= 6
            || self
                .token(after)
                .is_none_or(|t| matches!(t.kind, TokenKind::Punct(_)) || t.capital);
        if boundary && long_ok {
            run
        } else {
            0
        }
    }

    /// A province or district from the gazetteer at `i`: (name, length, level).
    pub fn known_place_at(&self, i: usize) -> Option<(String, usize, Level)> {
        if !self.is_capital_word(i) {
            return None;
        }
        let found = self.longest(i, |e| match e {
            Entry::Province(p) => Some((true, *p)),
            Entry::District(d) => Some((false, *d)),
            _ => None,
        })?;
        let (len, (province, idx)) = found;
        if province {
            let p = &self.g.provinces[idx as usize];
            Some((p.name.clone(), len, Level::Province))
        } else {
            let d = &self.g.districts[idx as usize];
            Some((d.name.clone(), len, Level::District))
        }
    }

    /// The place name after a level word (or a committee head): (name, length, level).
    pub fn place_name_at(&self, i: usize, level: Option<Level>) -> Option<(String, usize, Level)> {
        let (name, len, found) = self.place_name_core(i, level)?;
        // "phường Văn Miếu - Quốc Tử Giám", "phường Xuân Hương - Đà Lạt": a commune named by
        // two joined names since the 2025 mergers; not "xã Tân Phú - Lê Văn Hùng".
        let dash = i + len;
        if found == Level::Commune
            && self.word(dash) == "-"
            && self.is_capital_word(dash + 1)
            && self.name_at(dash + 1, false).is_none()
        {
            let known = self.known_place_at(dash + 1).map(|(_, n, _)| n);
            let more = known.or_else(|| {
                let run = (0..3)
                    .take_while(|&r| {
                        self.is_capital_word(dash + 1 + r) && !self.starts_phrase(dash + 1 + r)
                    })
                    .count();
                (run > 0).then_some(run)
            });
            if let Some(n) = more {
                let end = dash + 1 + n;
                // Not "xã Sơn Kim - Hương Sơn - Hà Tĩnh": a district and its province after.
                let ends = self.token(end).is_none_or(|t| !t.is_word() || !t.capital)
                    || self.name_at(end, false).is_some();
                let ends = ends && !(known.is_some() && self.word(end) == "-");
                if ends {
                    return Some((self.phrase(i, end), end - i, found));
                }
            }
        }
        Some((name, len, found))
    }

    fn place_name_core(&self, i: usize, level: Option<Level>) -> Option<(String, usize, Level)> {
        let t = self.token(i)?;
        if t.kind == TokenKind::Number && matches!(level, Some(Level::District | Level::Commune)) {
            return Some((
                t.text(self.text).to_string(),
                1,
                level.unwrap_or(Level::Commune),
            ));
        }
        if !self.is_capital_word(i) {
            return None;
        }
        if let Some((name, len, found)) = self.known_place_at(i) {
            let fits = match level {
                None | Some(Level::City) => true,
                Some(Level::Province) => found == Level::Province,
                Some(Level::District) => found == Level::District,
                Some(_) => false,
            };
            if fits {
                return Some((name, len, found));
            }
        }
        let level = level.unwrap_or(Level::District);
        if matches!(level, Level::Province | Level::Central) {
            return None;
        }
        // An unknown district or commune: a short capitalised run, cut before a person's name.
        let mut run = 0;
        while run < 6 && self.is_capital_word(i + run) && (run == 0 || !self.starts_phrase(i + run))
        {
            run += 1;
        }
        if run == 0 {
            return None;
        }
        // "xã Lương An Trà": a place the document names alone elsewhere, after the same level
        // word, is that place even where a name could follow it.
        if (3..=4).contains(&run)
            && !matches!(self.word(i + 1), "văn" | "thị")
            && self.named_alone(i, run)
        {
            return Some((self.phrase(i, i + run), run, level));
        }
        let surname = |k: usize| self.g.is_surname(self.word(i + k));
        // "Chủ tịch UBND xã Nguyễn Thị Hoài Thương": a woman's name, not a commune's.
        if run >= 3 && self.word(i + 1) == "thị" {
            return None;
        }
        if run >= 4 {
            for k in [2usize, 1, 3] {
                if k < run && surname(k) && (2..=4).contains(&(run - k)) {
                    return Some((self.phrase(i, i + k), k, level));
                }
            }
        }
        if run == 3 {
            if surname(0) {
                return None;
            }
            if surname(1) {
                return Some((self.phrase(i, i + 1), 1, level));
            }
        }
        let len = run.min(3);
        Some((self.phrase(i, i + len), len, level))
    }

    /// Do the `len` words at `i`, after the word before them, stand elsewhere in the document
    /// before a punctuation mark ("đến xã Lương An Trà.")? A person is more often followed by
    /// what they do ("Chủ tịch UBND thành phố Lưu Quang Tiến chủ trì").
    fn named_alone(&self, i: usize, len: usize) -> bool {
        let Some(level) = i.checked_sub(1).map(|k| self.words[k]) else {
            return false;
        };
        let run = &self.words[i..i + len];
        (1..self.words.len().saturating_sub(len)).any(|j| {
            j != i
                && self.words[j - 1] == level
                && &self.words[j..j + len] == run
                && self
                    .tokens
                    .get(j + len)
                    .is_none_or(|t| matches!(t.kind, TokenKind::Punct(',' | '.' | ';' | ':' | ')')))
        })
    }

    /// A person's name at `i`. `cued`: "đồng chí", "ông", a rank or a title comes right before.
    pub fn name_at(&self, i: usize, cued: bool) -> Option<NamePhrase> {
        let first = self.token(i)?;
        if !(first.is_word() && first.capital) {
            return None;
        }
        // "Chi bộ thôn Đồng Con": after a lower-case village word, a place.
        let before = i.checked_sub(1).and_then(|k| self.token(k));
        if before.is_some_and(|t| t.is_word() && !t.capital)
            && self.g.ends_settlement(self.word(i - 1))
        {
            // "Sở Nông nghiệp và Phát triển nông thôn Trần Văn Tuấn": a word that only ends
            // in a village word.
            let compound = || i >= 2 && self.g.is_not_settlement(&self.words[i - 2..i].join(" "));
            let village = |n: usize| {
                i >= n
                    && self.g.is_settlement(&self.words[i - n..i].join(" "))
                    && !(n == 1 && compound())
            };
            // "Trưởng thôn Nguyễn Văn Tư": unless the word ends a title.
            let title = |j: usize| {
                self.longest(j, |e| matches!(e, Entry::Title(_)).then_some(()))
                    .is_some_and(|(len, _)| j + len == i)
            };
            if (1..=4).any(village) && !(i.saturating_sub(4)..i).any(title) {
                return None;
            }
        }
        // "Ông Lê Văn Hùng", "ông Lực": the title of address is not part of the name.
        if self
            .longest(i, |e| matches!(e, Entry::PersonCue).then_some(()))
            .is_some()
        {
            return None;
        }
        let mut run = 0;
        while run < 6 {
            let k = i + run;
            let Some(t) = self.token(k) else { break };
            if !(t.is_word() && t.capital) || (run > 0 && t.line_start) {
                break;
            }
            // A phrase of two or more words ends the name; one word ("Trường", "Sơn") may be
            // a given name.
            if run > 0 && self.phrase_len(k) >= 2 {
                break;
            }
            run += 1;
        }
        // "ông K'Brơi", "bà H'Hen": a one-word name of the Central Highlands, joined by an
        // apostrophe, after a title of address.
        let highland = || {
            let w = self.tokens[i].text(self.text);
            w.split_once('\'')
                .is_some_and(|(_, rest)| rest.chars().next().is_some_and(char::is_uppercase))
        };
        if !((2..=5).contains(&run) || run == 1 && cued && highland()) {
            return None;
        }
        let all_caps = (i..i + run).all(|k| {
            let w = self.tokens[k].text(self.text);
            w.chars().all(|c| !c.is_lowercase())
        });
        // "Ka Thị Ngọc Bích", "Sa Văn Tuân": "Thị" or "Văn" second in a run of three or more
        // is a middle name, and the word before it a surname.
        let known = self.g.is_surname(self.word(i))
            || (run >= 3 && matches!(self.word(i + 1), "thị" | "văn"))
            || (run >= 3
                && self
                    .g
                    .is_surname(&format!("{} {}", self.word(i), self.word(i + 1))));
        if !(known && !all_caps || cued) {
            return None;
        }
        if run == 5 && !cued && !self.g.is_surname(self.word(i)) {
            return None;
        }
        let key = self.words[i..i + run].join(" ");
        if self.g.is_not_person(&key) {
            return None;
        }
        // "ông Chung Min-seok", "Kim Jin-woo": a given name joined by a hyphen.
        let last = &self.tokens[i + run - 1];
        let joined = match (self.token(i + run), self.token(i + run + 1)) {
            (Some(d), Some(w)) => {
                cued && d.kind == TokenKind::Punct('-')
                    && last.end == d.start
                    && d.end == w.start
                    && w.is_word()
                    // Not "Lê Văn Bình-Phó Chủ tịch …".
                    && !self.starts_phrase(i + run + 1)
            }
            _ => false,
        };
        let (name, end) = match joined {
            true => {
                let end = i + run + 2;
                let span = self.tokens[i].start..self.tokens[end - 1].end;
                (self.text[span].to_string(), end)
            }
            false => (self.phrase(i, i + run), i + run),
        };
        Some(NamePhrase {
            name,
            first: i,
            end,
        })
    }
}

/// Move a body phrase and the bodies inside it to tokens `first..end`.
fn relocate(b: &mut BodyPhrase, first: usize, end: usize) {
    b.first = first;
    b.end = end;
    if let Some(p) = &mut b.parent {
        relocate(p, first, end);
    }
}

/// Render a body phrase as its canonical name.
pub fn render(g: &Gazetteer, b: &BodyPhrase) -> String {
    let def = &g.bodies[b.head as usize];
    let mut out = def.name.clone();
    for q in &b.qualifier {
        out.push(' ');
        out.push_str(q);
    }
    if let Some(p) = &b.parent {
        let parent = render(g, p);
        // "Hội đồng học viện" of "Học viện Y" is "Hội đồng Học viện Y": a school's board named
        // by the two words the school's name begins with says them once ("Hội đồng trường
        // Trường Đại học X" is written in full).
        if def.of_kind == Some(BodyKind::School) && b.qualifier.is_empty() {
            let own: Vec<String> = out.split(' ').map(str::to_lowercase).collect();
            let theirs: Vec<String> = parent.split(' ').map(str::to_lowercase).collect();
            if own.len() > 2 && theirs.len() > 2 && own[own.len() - 2..] == theirs[..2] {
                out = out
                    .split(' ')
                    .take(own.len() - 2)
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        out.push(' ');
        out.push_str(&parent);
    }
    let word = match &b.level_word {
        Some(w) => Some(w.as_str()),
        None if b.place.is_some() && def.tail != Tail::Place => level_word_for(g, b),
        None => None,
    };
    // "Thành phố Hồ Chí Minh" carries its level word in its name: it is not written twice.
    let named = |w: &str| {
        b.place.as_deref().is_some_and(|p| {
            let lower = char::to_lowercase;
            p.get(..w.len())
                .is_some_and(|head| head.chars().flat_map(lower).eq(w.chars().flat_map(lower)))
                && p[w.len()..].starts_with(' ')
        })
    };
    if let Some(w) = word.filter(|w| !named(w)) {
        out.push(' ');
        out.push_str(w);
    }
    if let Some(p) = &b.place {
        out.push(' ');
        out.push_str(p);
    }
    out
}

/// A bloc of the centre ("các cơ quan Đảng Trung ương", "Doanh nghiệp Trung ương").
fn central_bloc(bloc: &str) -> bool {
    bloc.to_lowercase().ends_with("trung ương")
}

/// The number a Vietnamese number word from one to ten names.
pub(crate) fn numeral(word: &str) -> Option<u8> {
    const WORDS: [&str; 10] = [
        "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
    ];
    let at = WORDS.iter().position(|w| *w == word)?;
    Some(at as u8 + 1)
}

/// The level word a place needs where the text wrote none: "tỉnh", "thành phố", "huyện".
fn level_word_for(g: &Gazetteer, b: &BodyPhrase) -> Option<&'static str> {
    let place = b.place.as_deref()?;
    if let Some(p) = g.provinces.iter().find(|p| p.name == place) {
        return Some(match p.kind {
            crate::gazetteer::PlaceKind::City => "thành phố",
            _ => "tỉnh",
        });
    }
    if let Some(d) = g.districts.iter().find(|d| d.name == place) {
        return Some(match d.kind {
            crate::gazetteer::PlaceKind::City => "thành phố",
            crate::gazetteer::PlaceKind::Urban => "quận",
            crate::gazetteer::PlaceKind::Town => "thị xã",
            _ => "huyện",
        });
    }
    None
}
