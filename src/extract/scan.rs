//! Mentions: one sentence's tokens read left to right into items — titles with their bodies,
//! bodies, places, person names, cue words, terms, punctuation and other words.

use super::parse::{BodyPhrase, NamePhrase, Parser, TitlePhrase};
use crate::gazetteer::{Cue, Entry, Level};
use crate::segment::TokenKind;

/// What an item is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Person(NamePhrase),
    // Boxed: an item is made for every token, and most are words.
    Title(Box<TitlePhrase>),
    Body(Box<BodyPhrase>),
    Place {
        level: Level,
        name: String,
    },
    PersonCue,
    Rank,
    Cue(Cue),
    /// "nhiệm kỳ 2020 - 2025".
    Term(String),
    /// "khóa XIII": an ordinal.
    Khoa(u32),
    Punct(char),
    Word,
}

/// An item and its token range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub first: usize,
    pub end: usize,
}

impl Item {
    pub fn is_punct(&self, c: char) -> bool {
        matches!(self.kind, ItemKind::Punct(p) if p == c)
    }
    pub fn title(&self) -> Option<&TitlePhrase> {
        match &self.kind {
            ItemKind::Title(t) => Some(t),
            _ => None,
        }
    }
    pub fn person(&self) -> Option<&NamePhrase> {
        match &self.kind {
            ItemKind::Person(p) => Some(p),
            _ => None,
        }
    }
}

/// Read tokens `first..end` into items.
pub fn scan(p: &Parser, first: usize, end: usize) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::with_capacity(end.saturating_sub(first));
    let mut i = first;
    let mut credit = false;
    while i < end {
        let item = if credit {
            None
        } else {
            next_item(p, i, &items)
        };
        let item = item.unwrap_or_else(|| {
            let t = &p.tokens[i];
            let kind = match t.kind {
                TokenKind::Punct(c) => ItemKind::Punct(c),
                _ => ItemKind::Word,
            };
            Item {
                kind,
                first: i,
                end: i + 1,
            }
        });
        if let ItemKind::Cue(Cue::Credit) = item.kind {
            credit = true;
        }
        i = item.end.max(i + 1);
        items.push(item);
    }
    items
}

fn next_item(p: &Parser, i: usize, items: &[Item]) -> Option<Item> {
    // Most words start nothing: no gazetteer phrase, no capital, no "nhiệm kỳ" or "khóa".
    if p.matches.at(i).is_empty()
        && !p.token(i).is_some_and(|t| t.capital)
        && !matches!(p.word(i), "nhiệm" | "khóa" | "(")
    {
        return None;
    }
    let prev = items.last();
    let item = |kind, end| {
        Some(Item {
            kind,
            first: i,
            end,
        })
    };
    if let Some(t) = p.title_at(i) {
        let end = t.end;
        return item(ItemKind::Title(Box::new(t)), end);
    }
    if let Some(b) = p.body_at(i, 0) {
        let end = b.end;
        return item(ItemKind::Body(Box::new(b)), end);
    }
    if let Some((len, level)) = p.longest(i, |e| match e {
        Entry::Level(l) => Some(*l),
        _ => None,
    }) {
        if let Some((name, n, _)) = p.place_name_at(i + len, Some(level)) {
            return item(ItemKind::Place { level, name }, i + len + n);
        }
    }
    if let Some((name, n, level)) = p.known_place_at(i) {
        let next_capital = p.token(i + n).is_some_and(|t| t.is_word() && t.capital);
        let cued = matches!(
            prev.map(|x| &x.kind),
            Some(ItemKind::PersonCue | ItemKind::Rank)
        );
        // "tư tưởng Hồ Chí Minh": a place name that is also a person's is a place only after a
        // level word.
        let personal = p.g.is_not_person(&p.words[i..i + n].join(" "));
        if !next_capital && !cued && !personal {
            return item(ItemKind::Place { level, name }, i + n);
        }
    }
    if let Some(term) = term_at(p, i) {
        return item(ItemKind::Term(term.0), term.1);
    }
    if let Some((ordinal, end)) = khoa_at(p, i) {
        return item(ItemKind::Khoa(ordinal), end);
    }
    // After a cue, or in a list of names that a cue opened ("Các ông A, B và C").
    let in_list = items.len() >= 2
        && (prev.is_some_and(|x| x.is_punct(',')) || p.word(i.wrapping_sub(1)) == "và")
        && items[items.len() - 2].person().is_some();
    let cued = in_list
        || matches!(
            prev.map(|x| &x.kind),
            Some(ItemKind::PersonCue | ItemKind::Rank)
        )
        || prev.and_then(Item::title).is_some_and(|t| t.foreign);
    if let Some(n) = p.name_at(i, cued) {
        let end = n.end;
        return item(ItemKind::Person(n), end);
    }
    let cue = |e: &Entry| match e {
        Entry::Rank | Entry::PersonCue | Entry::Cue(_) => Some(*e),
        _ => None,
    };
    let (mut len, mut entry) = p.longest(i, cue)?;
    // "giữ chức Vụ trưởng": a cue gives way to a title that begins on its last word.
    while len > 1 && p.title_at(i + len - 1).is_some_and(|t| t.end > i + len) {
        match p.longest_below(i, len, cue) {
            Some(shorter) => (len, entry) = shorter,
            None => break,
        }
    }
    // "được bổ nhiệm giữ chức vụ Trưởng phòng": "vụ" after "chức" goes with the cue when a
    // capitalised title follows it, and is no "Vụ trưởng" ("giữ chức vụ trưởng Vụ …" is).
    if p.word(i + len - 1) == "chức"
        && p.word(i + len) == "vụ"
        && p.token(i + len).is_some_and(|t| !t.capital)
        && p.token(i + len + 1).is_some_and(|t| t.capital)
        && p.title_at(i + len + 1).is_some()
    {
        len += 1;
    }
    let kind = match entry {
        Entry::Rank => ItemKind::Rank,
        Entry::PersonCue => ItemKind::PersonCue,
        // "Ảnh: X", "Tin, ảnh: X": a credit only when a colon follows.
        Entry::Cue(Cue::Credit) if p.word(i + len) == ":" => ItemKind::Cue(Cue::Credit),
        Entry::Cue(Cue::Credit) => return None,
        Entry::Cue(c) => ItemKind::Cue(c),
        _ => return None,
    };
    item(kind, i + len)
}

/// "nhiệm kỳ 2020 - 2025", "nhiệm kỳ (2015-2020)": the term and the end token.
pub fn term_at(p: &Parser, i: usize) -> Option<(String, usize)> {
    if !(p.word(i) == "nhiệm" && p.word(i + 1) == "kỳ") {
        return None;
    }
    let mut j = i + 2;
    while matches!(p.word(j), "(" | "đầu" | "tiên" | "mới" | "tới" | "này") {
        j += 1;
    }
    let (term, end) = years_at(p, j)?;
    let end = if p.word(end) == ")" { end + 1 } else { end };
    Some((term, end))
}

/// "2020 - 2025" at `j`, with a three-digit typo in the first year repaired.
pub fn years_at(p: &Parser, j: usize) -> Option<(String, usize)> {
    let a = p.token(j).filter(|t| t.kind == TokenKind::Number)?;
    let dash = p.word(j + 1);
    if dash != "-" && dash != "/" {
        return None;
    }
    let b = p.token(j + 2).filter(|t| t.kind == TokenKind::Number)?;
    let (a, b) = (a.text(p.text), b.text(p.text));
    let end: u32 = b.parse().ok().filter(|y| (1930..=2100).contains(y))?;
    let start = match a.len() {
        4 => a.parse().ok()?,
        3 => repair_year(a, end)?,
        _ => return None,
    };
    if !(start < end && end - start <= 6) {
        return None;
    }
    Some((format!("{start}-{end}"), j + 3))
}

/// "202-2025" → 2020, "020-2023" → 2020: the usual term length whose digits fit the typo.
fn repair_year(typo: &str, end: u32) -> Option<u32> {
    [5u32, 3, 2, 4].iter().map(|len| end - len).find(|y| {
        let s = y.to_string();
        s.starts_with(typo) || s.ends_with(typo)
    })
}

/// "khóa XIII", "(khóa X)": the ordinal and the end token.
pub fn khoa_at(p: &Parser, i: usize) -> Option<(u32, usize)> {
    let (start, open) = if p.word(i) == "(" {
        (i + 1, true)
    } else {
        (i, false)
    };
    if p.word(start) != "khóa" {
        return None;
    }
    let (n, mut end) = ordinal_at(p, start + 1)?;
    if open {
        if p.word(end) != ")" {
            return None;
        }
        end += 1;
    }
    Some((n, end))
}

/// A Roman numeral or a number at `i`.
pub fn ordinal_at(p: &Parser, i: usize) -> Option<(u32, usize)> {
    let t = p.token(i)?;
    let text = t.text(p.text);
    if t.kind == TokenKind::Number {
        return text
            .parse()
            .ok()
            .filter(|n| (1..200).contains(n))
            .map(|n| (n, i + 1));
    }
    match p.word(i) {
        "nhất" => return Some((1, i + 1)),
        "hai" => return Some((2, i + 1)),
        "ba" => return Some((3, i + 1)),
        _ => {}
    }
    roman(text).map(|n| (n, i + 1))
}

/// The value of an upper-case Roman numeral.
pub fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 || !s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C')) {
        return None;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        _ => 100,
    };
    let chars: Vec<u32> = s.chars().map(value).collect();
    let mut total = 0;
    for (k, v) in chars.iter().enumerate() {
        if chars.get(k + 1).is_some_and(|n| n > v) {
            total -= *v as i32;
        } else {
            total += *v as i32;
        }
    }
    u32::try_from(total).ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        for (s, n) in [
            ("I", 1),
            ("IV", 4),
            ("IX", 9),
            ("XIII", 13),
            ("XIX", 19),
            ("XXV", 25),
        ] {
            assert_eq!(roman(s), Some(n), "{s}");
        }
        assert_eq!(roman("Ông"), None);
    }

    #[test]
    fn year_typos() {
        assert_eq!(repair_year("202", 2025), Some(2020));
        assert_eq!(repair_year("020", 2023), Some(2020));
    }
}
