//! Text normalisation with a map back to the source bytes.
//!
//! Every later stage works on the normalised text: NFC (skipped when the input is already NFC),
//! one tone placement ("Uỷ" → "Ủy", "khoá" → "khóa", "hoà" → "hòa"), the look-alike "Ð" read as
//! "Đ", typographic dashes, quotes and spaces folded, hard line breaks inside a sentence joined,
//! and abbreviations (UBND, HĐND, T.Ư …) expanded. [`Normalized::source_span`] turns a span of
//! the normalised text back into byte offsets of the input, so evidence always points at the
//! bytes the user gave us.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use unicode_normalization::{char::canonical_combining_class, is_nfc_quick, IsNormalized};

use crate::gazetteer::Abbreviation;

/// Normalised text, its lower-case twin (same byte layout) and the offset map.
#[derive(Debug, Clone)]
pub struct Normalized {
    text: String,
    lower: String,
    /// `origin[i]` is the source byte offset of normalised byte `i`; one extra entry for the end.
    origin: Vec<u32>,
}

impl Normalized {
    /// The normalised text, case preserved.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The normalised text in lower case, byte for byte aligned with [`Normalized::text`].
    pub fn lower(&self) -> &str {
        &self.lower
    }

    /// Source byte span of the normalised byte span `start..end`.
    pub fn source_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.origin[start.min(self.text.len())] as usize;
        let e = if end == 0 {
            s
        } else {
            // The end of a span is the end of its last byte's source character.
            let last = self.origin[(end - 1).min(self.text.len())] as usize;
            (self.origin[end.min(self.text.len())] as usize).max(last + 1)
        };
        (s, e.max(s))
    }
}

/// Compiled normaliser: the abbreviation table of the gazetteer.
#[derive(Debug, Clone)]
pub struct Normalizer {
    abbreviations: Vec<Abbreviation>,
    matcher: AhoCorasick,
    /// Place names a spaced level abbreviation may stand before ("TP. Vinh"); empty: any
    /// capitalised word.
    places: Vec<String>,
}

impl Normalizer {
    /// Compile the abbreviation table.
    pub fn new(abbreviations: &[Abbreviation]) -> Self {
        // A DFA: the automatic choice falls back to a slower NFA past 100 patterns, and a
        // table of short abbreviations stays small as a DFA.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(abbreviations.iter().map(|a| a.from.as_str()))
            .expect("abbreviation patterns are plain strings");
        Normalizer {
            abbreviations: abbreviations.to_vec(),
            matcher,
            places: Vec::new(),
        }
    }

    /// Compile the abbreviation table with the place names a dotted level abbreviation
    /// followed by a space must stand before: "UBND TP. Ông X …" ends a sentence, and "Ông" is
    /// no city.
    pub fn with_places(abbreviations: &[Abbreviation], places: Vec<String>) -> Self {
        Normalizer {
            places,
            ..Normalizer::new(abbreviations)
        }
    }

    /// Normalise `source`.
    pub fn normalize(&self, source: &str) -> Normalized {
        let (mut text, origin) = fold_characters(source);
        canonical_tones(&mut text);
        let (text, origin) = self.expand_abbreviations(text, origin);
        let lower = lower_aligned(&text);
        Normalized {
            text,
            lower,
            origin,
        }
    }

    fn expand_abbreviations(&self, text: String, origin: Vec<u32>) -> (String, Vec<u32>) {
        let found: Vec<(usize, usize, usize)> = self
            .matcher
            .find_iter(&text)
            .filter_map(|m| {
                let (k, start, end) = (m.pattern().as_usize(), m.start(), m.end());
                if abbreviation_fits(&text, start, end, &self.abbreviations[k], &self.places) {
                    return Some((k, start, end));
                }
                // "UBND TP. Ông X …": the dot ends the sentence; the dotless form may fit.
                let dotless = self.abbreviations[k].from.strip_suffix('.')?;
                let d = self.abbreviations.iter().position(|a| a.from == dotless)?;
                abbreviation_fits(&text, start, end - 1, &self.abbreviations[d], &self.places)
                    .then_some((d, start, end - 1))
            })
            .collect();
        // Most texts have none: they are kept as they are.
        if found.is_empty() {
            return (text, origin);
        }
        let city = is_city_article(&text);
        let mut out = String::with_capacity(text.len() + 64);
        let mut map = Vec::with_capacity(origin.len() + 64);
        let mut last = 0;
        for (k, start, end) in found {
            let abbr = &self.abbreviations[k];
            out.push_str(&text[last..start]);
            map.extend_from_slice(&origin[last..start]);
            let to = match (&abbr.city_to, city) {
                (Some(city_form), true) => city_form.as_str(),
                _ => abbr.to.as_str(),
            };
            out.push_str(to);
            map.extend(std::iter::repeat_n(origin[start], to.len()));
            let next = text[end..].chars().next();
            if abbr.before_name && next.is_some_and(|c| c.is_alphanumeric()) {
                out.push(' ');
                map.push(origin[end]);
            }
            last = end;
        }
        out.push_str(&text[last..]);
        map.extend_from_slice(&origin[last..]);
        (out, map)
    }
}

/// Does the abbreviation match at `start..end` stand as a word of its own?
fn abbreviation_fits(
    text: &str,
    start: usize,
    end: usize,
    abbr: &Abbreviation,
    places: &[String],
) -> bool {
    let before = text[..start].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || c == '.') {
        return false;
    }
    let rest = &text[end..];
    let next = rest.chars().next();
    if abbr.before_name {
        let name = rest.trim_start_matches(' ');
        let first = name.chars().next();
        // "UBND TP, …", "Chủ tịch UBND TP.": the level alone, its place the article's.
        if abbr.alone && first.is_none_or(|c| matches!(c, ',' | ';' | '.' | ')')) {
            return !abbr.from.ends_with('.') || first.is_none_or(|c| c != '.');
        }
        if abbr.from.ends_with('.') && name.len() < rest.len() && !places.is_empty() {
            let known = places.iter().any(|p| {
                name.strip_prefix(p.as_str())
                    .is_some_and(|after| after.chars().next().is_none_or(|c| !is_letter(c)))
            });
            return known || first.is_some_and(|c| c.is_ascii_digit());
        }
        return first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    }
    match next {
        Some(c) if c.is_alphanumeric() => false,
        // "TP.HCM": a dotted form may be glued to what follows only when it ends in a dot.
        Some('.') if !abbr.from.ends_with('.') => {
            !rest[1..].starts_with(|c: char| c.is_alphanumeric())
        }
        _ => true,
    }
}

/// Whether the upper level of the article is a centrally-run city, so "TUV" reads "Thành ủy viên".
fn is_city_article(text: &str) -> bool {
    const CITY: [&str; 4] = ["Thành ủy", "thành phố", "Thành phố", "TP."];
    const PROVINCE: [&str; 3] = ["Tỉnh ủy", "tỉnh", "Tỉnh"];
    CITY.iter().any(|m| text.contains(m)) && !PROVINCE.iter().any(|m| text.contains(m))
}

/// One pass over the characters: NFC, look-alikes, dashes, quotes, spaces and line breaks.
/// Runs of characters that stay as they are (most of a text) are copied whole.
fn fold_characters(source: &str) -> (String, Vec<u32>) {
    let nfc = likely_nfc(source);
    let hard_wrapped = is_hard_wrapped(source);
    let mut text = String::with_capacity(source.len());
    let mut origin: Vec<u32> = Vec::with_capacity(source.len() + 1);
    let mut pending_space: Option<u32> = None;
    let mut newlines = 0usize;
    let mut newline_at = 0u32;
    let mut cluster = String::new();
    let mut at = 0;
    let char_at = |i: usize| source[i..].chars().next();
    while let Some(c) = char_at(at) {
        if nfc && newlines == 0 && pending_space.is_none() {
            let end = plain_run(source, at, !text.is_empty());
            if end > at {
                text.push_str(&source[at..end]);
                origin.extend(at as u32..end as u32);
                at = end;
                continue;
            }
        }
        let at32 = at as u32;
        at += c.len_utf8();
        if c == '\n' || c == '\r' {
            if c == '\r' && char_at(at) == Some('\n') {
                continue;
            }
            if newlines == 0 {
                newline_at = at32;
            }
            newlines += 1;
            pending_space = None;
            continue;
        }
        let c = match fold_char(c) {
            Some(c) => c,
            None => continue,
        };
        if c == ' ' {
            if pending_space.is_none() {
                pending_space = Some(at32);
            }
            continue;
        }
        if newlines > 0 {
            if !text.is_empty() {
                let sep = line_break(
                    &text,
                    c,
                    newlines,
                    hard_wrapped,
                    list_item(c, &source[at..]),
                );
                for b in sep.bytes() {
                    text.push(b as char);
                    origin.push(newline_at);
                }
            }
            newlines = 0;
            pending_space = None;
        } else if let Some(space_at) = pending_space.take() {
            if !text.is_empty() {
                text.push(' ');
                origin.push(space_at);
            }
        }
        let marks_follow = || char_at(at).is_some_and(|n| canonical_combining_class(n) != 0);
        if nfc || (c.is_ascii() && !marks_follow()) {
            push_char(&mut text, &mut origin, c, at32);
            continue;
        }
        // Compose the character with the combining marks that follow it.
        cluster.clear();
        cluster.push(c);
        while let Some(n) = char_at(at) {
            if canonical_combining_class(n) == 0 {
                break;
            }
            cluster.push(n);
            at += n.len_utf8();
        }
        for composed in unicode_normalization::UnicodeNormalization::nfc(cluster.as_str()) {
            let composed = fold_char(composed).unwrap_or(composed);
            push_char(&mut text, &mut origin, composed, at32);
        }
    }
    origin.push(source.len() as u32);
    (text, origin)
}

/// End of the run from `start` of characters the fold keeps as they are, with single spaces
/// between them (a space only when something was written before it).
fn plain_run(source: &str, start: usize, written: bool) -> usize {
    let bytes = source.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b' ' {
            let follows_text = i > start || written;
            let next_plain = match bytes.get(i + 1) {
                Some(&n) if n < 0x80 => plain_ascii(n),
                Some(_) => source[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| fold_char(n) == Some(n) && !n.is_whitespace()),
                None => false,
            };
            if !(follows_text && next_plain) {
                break;
            }
            i += 1;
            continue;
        }
        if b < 0x80 {
            if !plain_ascii(b) {
                break;
            }
            i += 1;
            continue;
        }
        // Vietnamese letters and combining marks (U+0100–U+037F, U+1000–U+1FFF) are kept; only
        // Ð ð (U+00D0, U+00F0), Ɖ (U+0189), ʼ (U+02BC) and the Ogham space (U+1680) are not.
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        let kept = match b {
            0xC3 => next != 0x90 && next != 0xB0,
            0xC4 | 0xC5 | 0xC7..=0xC9 | 0xCB..=0xCD => true,
            0xC6 => next != 0x89,
            0xCA => next != 0xBC,
            0xE1 => next != 0x9A,
            _ => false,
        };
        if kept {
            i += if b == 0xE1 { 3 } else { 2 };
            continue;
        }
        let Some(c) = source[i..].chars().next() else {
            break;
        };
        if fold_char(c) != Some(c) || c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// An ASCII byte the fold keeps: printable, not a space.
fn plain_ascii(b: u8) -> bool {
    (0x21..=0x7E).contains(&b)
}

fn push_char(text: &mut String, origin: &mut Vec<u32>, c: char, at: u32) {
    text.push(c);
    origin.extend(std::iter::repeat_n(at, c.len_utf8()));
}

/// Is the text wrapped at a fixed width? Most line breaks that follow no punctuation are then
/// followed by a lower-case word.
fn is_hard_wrapped(source: &str) -> bool {
    let (mut open, mut lower) = (0usize, 0usize);
    let mut lines = source.split('\n').peekable();
    while let Some(line) = lines.next() {
        let Some(next) = lines.peek() else { break };
        let last = line.trim_end().chars().next_back();
        let first = next.trim_start().chars().next();
        if next.trim().is_empty() || line.trim().is_empty() {
            continue;
        }
        if last.is_some_and(|c| c.is_alphanumeric()) {
            open += 1;
            lower += usize::from(first.is_some_and(char::is_lowercase));
        }
    }
    lower >= 1 && lower * 2 >= open
}

/// Does a line that begins with `first` (then `rest`) open a list row: "2. ", "3) ", "- ", "• "?
fn list_item(first: char, rest: &str) -> bool {
    if first.is_ascii_digit() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let after = &rest.as_bytes()[digits..];
        return digits < 3 && matches!(after, [b'.' | b')', b' ', ..]);
    }
    matches!(first, '-' | '+' | '•' | '*') && rest.starts_with(' ')
}

/// How a run of line breaks reads: a paragraph, a sentence break, or a hard wrap inside a phrase.
fn line_break(
    text: &str,
    next: char,
    newlines: usize,
    hard_wrapped: bool,
    list_item: bool,
) -> &'static str {
    if newlines >= 2 {
        return "\n\n";
    }
    let prev = text.chars().next_back().unwrap_or('.');
    // "…;\n2. Đại tá B, …": the next row of a list after a row that ends in ";".
    if list_item && prev == ';' {
        return "\n";
    }
    // In a text wrapped at a fixed width, a line cut without punctuation continues even before
    // a capital ("Lò Thị\nHằng"); elsewhere such a line is a headline or a caption.
    let wrapped = hard_wrapped && prev.is_alphanumeric();
    if next.is_lowercase() || wrapped || matches!(prev, ',' | ';' | '-' | '(' | '&') {
        " "
    } else {
        "\n"
    }
}

/// Map one character to its folded form; `None` drops it.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{00D0}' | '\u{0189}' => 'Đ',
        '\u{00F0}' => 'đ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' => '\'',
        '\t' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}' => return None,
        c if c.is_control() => ' ',
        c => c,
    })
}

/// Move the tone of open "oa", "oe", "uy" syllables to the first vowel, as official texts write
/// them: "hoà" → "hòa", "khoá" → "khóa", "Uỷ" → "Ủy". Byte lengths are unchanged.
fn canonical_tones(text: &mut String) {
    if text.is_ascii() {
        return;
    }
    // Only a toned a, e or y that ends a word can be misplaced: look there first. Their UTF-8
    // starts with C3 (Latin-1) or E1 (Latin Extended Additional).
    let mut fixes: Vec<(usize, usize, String)> = Vec::new();
    let bytes = text.as_bytes();
    for i in misplaced_tone_candidates(bytes) {
        let Some(c) = text[i..].chars().next().filter(|&c| toned_aey(c)) else {
            continue;
        };
        let end = i + c.len_utf8();
        let ends_word = text[end..].chars().next().is_none_or(|n| !is_letter(n));
        let start = word_start(text, i);
        if ends_word && start < i {
            if let Some(fixed) = retone(&text[start..end]) {
                fixes.push((start, end, fixed));
            }
        }
    }
    for (start, end, fixed) in fixes.into_iter().rev() {
        text.replace_range(start..end, &fixed);
    }
}

/// Where a misplaced tone may be: a byte that starts a toned a, e or y (C3 or E1) right after
/// the o or u of "oa", "oe", "uy". Blocks of 32 bytes are tested at once (the compiler makes
/// that one vector test) and skipped when none qualifies, as most are.
fn misplaced_tone_candidates(bytes: &[u8]) -> Vec<usize> {
    const BLOCK: usize = 32;
    let hit = |b: u8, prev: u8| {
        let prev = prev | 0x20;
        ((b == 0xC3) | (b == 0xE1)) & ((prev == b'o') | (prev == b'u'))
    };
    let mut out = Vec::new();
    if bytes.len() < 2 {
        return out;
    }
    let (cur, prev) = (&bytes[1..], &bytes[..bytes.len() - 1]);
    let blocks = cur.chunks_exact(BLOCK).zip(prev.chunks_exact(BLOCK));
    for (k, (c, p)) in blocks.enumerate() {
        let mut any = false;
        for j in 0..BLOCK {
            any |= hit(c[j], p[j]);
        }
        if any {
            let base = 1 + k * BLOCK;
            out.extend((0..BLOCK).filter(|&j| hit(c[j], p[j])).map(|j| base + j));
        }
    }
    let tail = 1 + cur.len() / BLOCK * BLOCK;
    out.extend((tail..bytes.len()).filter(|&i| hit(bytes[i], bytes[i - 1])));
    out
}

/// A, e or y with a tone mark, either case: the only letters whose tone can be misplaced.
fn toned_aey(c: char) -> bool {
    matches!(
        c,
        'à' | 'á'
            | 'ả'
            | 'ã'
            | 'ạ'
            | 'À'
            | 'Á'
            | 'Ả'
            | 'Ã'
            | 'Ạ'
            | 'è'
            | 'é'
            | 'ẻ'
            | 'ẽ'
            | 'ẹ'
            | 'È'
            | 'É'
            | 'Ẻ'
            | 'Ẽ'
            | 'Ẹ'
            | 'ỳ'
            | 'ý'
            | 'ỷ'
            | 'ỹ'
            | 'ỵ'
            | 'Ỳ'
            | 'Ý'
            | 'Ỷ'
            | 'Ỹ'
            | 'Ỵ'
    )
}

/// Byte offset where the word containing byte `at` starts.
fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_letter(*c))
        .last()
        .map_or(at, |(i, _)| i)
}

const TONED: [(char, [char; 5]); 6] = [
    ('a', ['à', 'á', 'ả', 'ã', 'ạ']),
    ('e', ['è', 'é', 'ẻ', 'ẽ', 'ẹ']),
    ('y', ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ']),
    ('o', ['ò', 'ó', 'ỏ', 'õ', 'ọ']),
    ('u', ['ù', 'ú', 'ủ', 'ũ', 'ụ']),
    ('i', ['ì', 'í', 'ỉ', 'ĩ', 'ị']),
];

fn tone_of(c: char) -> Option<(char, usize)> {
    // Toned vowels are in Latin-1 (à…ý) and Latin Extended Additional (ạ…ỹ), or ĩ, ũ.
    if !matches!(c as u32, 0xC0..=0xFD | 0x128..=0x129 | 0x168..=0x169 | 0x1EA0..=0x1EF9) {
        return None;
    }
    let lower = c.to_lowercase().next()?;
    TONED
        .iter()
        .find_map(|(base, toned)| toned.iter().position(|&t| t == lower).map(|p| (*base, p)))
}

fn with_tone(base: char, tone: usize, upper: bool) -> char {
    let toned = TONED
        .iter()
        .find(|(b, _)| *b == base)
        .map(|(_, t)| t[tone])
        .unwrap_or(base);
    if upper {
        toned.to_uppercase().next().unwrap_or(toned)
    } else {
        toned
    }
}

fn retone(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 2 {
        return None;
    }
    let (first, last) = (chars[n - 2], chars[n - 1]);
    let (base, tone) = tone_of(last)?;
    let first_lower = first.to_lowercase().next()?;
    let pair_ok = matches!((first_lower, base), ('o', 'a') | ('o', 'e') | ('u', 'y'));
    if !pair_ok {
        return None;
    }
    // "quý", "quỳnh": the u of "qu" is part of the consonant; the tone stays on y.
    if first_lower == 'u' && n >= 3 && matches!(chars[n - 3], 'q' | 'Q') {
        return None;
    }
    // The syllable must be open: the vowel before "oa/uy" would make it a longer nucleus.
    if n >= 3 && tone_of(chars[n - 3]).is_some() {
        return None;
    }
    let mut out: Vec<char> = chars[..n - 2].to_vec();
    out.push(with_tone(first_lower, tone, first.is_uppercase()));
    out.push(if last.is_uppercase() {
        base.to_ascii_uppercase()
    } else {
        base
    });
    Some(out.into_iter().collect())
}

/// Lower case that keeps byte offsets: characters whose lower case has another length stay.
fn lower_aligned(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII runs at once.
        let ascii = rest.bytes().position(|b| b >= 0x80).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        out.push_str(run);
        let from = out.len() - run.len();
        out[from..].make_ascii_lowercase();
        let Some(c) = tail.chars().next() else { break };
        out.push(lower_char(c));
        rest = &tail[c.len_utf8()..];
    }
    out
}

/// Lower case of one character when it has the same length, else the character.
fn lower_char(c: char) -> char {
    if let Some(l) = vietnamese_lower(c) {
        return l;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Lower case of the Vietnamese letters outside ASCII, without the Unicode tables: Latin-1,
/// Ă Đ Ĩ Ũ Ơ Ư, and Latin Extended Additional (Ạ…Ỹ, upper case at even code points).
fn vietnamese_lower(c: char) -> Option<char> {
    let u = c as u32;
    let l = match u {
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        0xDF..=0xFF => u,
        0x102 | 0x110 | 0x128 | 0x168 | 0x1A0 => u + 1,
        0x103 | 0x111 | 0x129 | 0x169 | 0x1A1 | 0x1B0 => u,
        0x1AF => 0x1B0,
        0x1EA0..=0x1EF9 => u | 1,
        _ => return None,
    };
    char::from_u32(l)
}

/// A letter or digit, with a fast path for the Latin letters Vietnamese is written in.
pub fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0x24F => !matches!(c as u32, 0xD7 | 0xF7),
        0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric(),
    }
}

/// The comparison key of a phrase, as the scorer computes it: NFC, lower case, tone placement
/// folded, dashes and the spaces around them as "-", spaces folded, a leading "đồng chí" dropped.
pub fn key(text: &str) -> String {
    // The same titles, bodies and names recur from document to document: short texts are keyed
    // once per thread, in a table that is emptied when it fills.
    const MEMO_TEXT: usize = 96;
    const MEMO_SIZE: usize = 1 << 14;
    thread_local! {
        static MEMO: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Box<str>>> =
            std::cell::RefCell::default();
    }
    if text.len() > MEMO_TEXT {
        return key_unmemoised(text);
    }
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(k) = memo.get(text) {
            return k.to_string();
        }
        let k = key_unmemoised(text);
        if memo.len() >= MEMO_SIZE {
            memo.clear();
        }
        memo.insert(text.into(), k.as_str().into());
        k
    })
}

fn key_unmemoised(text: &str) -> String {
    if !likely_nfc(text) {
        let nfc: String = unicode_normalization::UnicodeNormalization::nfc(text).collect();
        return key_of_nfc(&nfc);
    }
    key_of_nfc(text)
}

/// [`key`] of a text already in NFC: words lowered and folded straight into the key in one
/// pass, then tone placement, then the leading "đồng chí".
fn key_of_nfc(text: &str) -> String {
    let mut key = Key::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            // A run of ASCII letters and digits at once.
            let end = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |n| i + n);
            key.push(b.to_ascii_lowercase() as char);
            let from = key.out.len();
            key.out.push_str(&text[i + 1..end]);
            key.out[from..].make_ascii_lowercase();
            i = end;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        match fold_char(c).unwrap_or(' ') {
            c if c.is_ascii() => key.push(c.to_ascii_lowercase()),
            c => match vietnamese_lower(c) {
                Some(l) => key.push(l),
                None => c.to_lowercase().for_each(|l| key.push(l)),
            },
        }
    }
    key.finish()
}

/// A key being written: words joined by one space, none next to a dash.
#[derive(Default)]
struct Key {
    out: String,
    /// Whitespace since the last word.
    gap: bool,
    /// Words begun so far, and where the first three begin and the first two end in `out`.
    words: usize,
    starts: [usize; 3],
    ends: [usize; 2],
}

impl Key {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            if !self.gap && self.words > 0 && self.words <= 2 {
                self.ends[self.words - 1] = self.out.len();
            }
            self.gap = true;
            return;
        }
        if self.gap || self.words == 0 {
            if self.words > 0 && !self.out.ends_with('-') && c != '-' {
                self.out.push(' ');
            }
            if self.words < 3 {
                self.starts[self.words] = self.out.len();
            }
            self.words += 1;
            self.gap = false;
        }
        self.out.push(c);
    }

    /// Tone placement, then a leading "đồng chí" dropped when a name follows.
    fn finish(mut self) -> String {
        canonical_tones(&mut self.out);
        if self.words >= 3 {
            let word = |k: usize| &self.out[self.starts[k]..self.ends[k]];
            if word(0) == "đồng" && word(1) == "chí" {
                self.out.drain(..self.starts[2]);
            }
        }
        self.out
    }
}

/// Is the text NFC without looking it up? True when it holds no combining mark and no character
/// that NFC replaces; otherwise ask the Unicode tables.
pub fn likely_nfc(text: &str) -> bool {
    let suspicious = |c: char| {
        matches!(c as u32,
            0x0300..=0x036F | 0x0374 | 0x037E | 0x0387 | 0x0483..=0x0489 | 0x0591..=0x05C7
            | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0DFF
            | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x1F71..=0x1FFD | 0x2000..=0x2001
            | 0x20D0..=0x20FF | 0x2126 | 0x212A..=0x212B | 0x2329..=0x232A | 0x3099..=0x309A
            | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE20..=0xFE2F | 0x1D15E..=0x1D1C0
            | 0x2F800..=0x2FA1F)
    };
    // Bytes of ASCII and of the Latin letters Vietnamese is written in (U+0080–U+02FF, and
    // U+1E00–U+1EFF: E1 B8–BB) are never suspicious; only other characters are looked at.
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut plain = true;
    while i < bytes.len() {
        match bytes[i] {
            0..=0xBF => i += 1,
            0xC2..=0xCB => i += 2,
            0xE1 if matches!(bytes.get(i + 1), Some(0xB8..=0xBB)) => i += 3,
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if suspicious(c) {
                    plain = false;
                    break;
                }
                i += c.len_utf8().max(1);
            }
        }
    }
    plain || is_nfc_quick(text.chars()) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    /// The first, simple form of [`key`], kept as the oracle of the fast one.
    /// The comparison key of a phrase, as the scorer computes it: NFC, lower case, tone placement
    /// folded, dashes and the spaces around them as "-", spaces folded, a leading "đồng chí" dropped.
    fn slow_key(text: &str) -> String {
        let mut s = String::with_capacity(text.len());
        let mut push = |c: char| {
            let c = fold_char(c).unwrap_or(' ');
            if c.is_ascii() {
                s.push(c.to_ascii_lowercase());
            } else if let Some(l) = vietnamese_lower(c) {
                s.push(l);
            } else {
                s.extend(c.to_lowercase());
            }
        };
        if likely_nfc(text) {
            text.chars().for_each(&mut push);
        } else {
            unicode_normalization::UnicodeNormalization::nfc(text).for_each(&mut push);
        }
        super::canonical_tones(&mut s);
        let mut words = s.split_whitespace().peekable();
        let mut out = String::with_capacity(s.len());
        let mut first = s.split_whitespace();
        let (a, b, c) = (first.next(), first.next(), first.next());
        if (a, b) == (Some("đồng"), Some("chí")) && c.is_some() {
            words.next();
            words.next();
        }
        // Words joined by one space; a dash takes no space on either side.
        for w in words {
            let glued = out.ends_with('-') || w.starts_with('-');
            if !out.is_empty() && !glued {
                out.push(' ');
            }
            out.push_str(w);
        }
        out
    }

    use super::*;

    fn norm(text: &str) -> String {
        Normalizer::new(&crate::gazetteer::Gazetteer::embedded().abbreviations)
            .normalize(text)
            .text()
            .to_string()
    }

    #[test]
    fn folds_as_documented() {
        let rows = [
            ("tone uy", "Uỷ ban nhân dân", "Ủy ban nhân dân"),
            ("tone oa", "xã Duy Hoà khoá XIII", "xã Duy Hòa khóa XIII"),
            ("qu keeps tone", "Quý Thuỷ", "Quý Thủy"),
            ("closed syllable kept", "hoàn thành", "hoàn thành"),
            ("look-alike D", "\u{00D0}ào", "Đào"),
            ("dashes", "A \u{2013} B", "A - B"),
            ("spaces", "a  \t b", "a b"),
            ("hard wrap", "Bí thư Tỉnh\nủy", "Bí thư Tỉnh ủy"),
            (
                "line break kept",
                "Hội nghị\nTrong năm",
                "Hội nghị\nTrong năm",
            ),
            ("paragraph", "A.\n\n\nB", "A.\n\nB"),
            ("nfd input", "Nghe\u{0323}\u{0302} An", "Nghệ An"),
            (
                "abbreviation",
                "Chủ tịch UBND tỉnh",
                "Chủ tịch Ủy ban nhân dân tỉnh",
            ),
            ("abbreviation glued", "H.Tân Hưng", "huyện Tân Hưng"),
            ("not inside a word", "UBNDX", "UBNDX"),
        ];
        for (name, input, expected) in rows {
            assert_eq!(norm(input), expected, "{name}");
        }
    }

    #[test]
    fn spans_map_back_to_source() {
        let n = Normalizer::new(&crate::gazetteer::Gazetteer::embedded().abbreviations);
        let src = "Ông A, Chủ tịch UBND  tỉnh";
        let norm = n.normalize(src);
        let at = norm.text().find("Ủy ban nhân dân").unwrap();
        let (s, e) = norm.source_span(at, at + "Ủy ban nhân dân".len());
        assert_eq!(&src[s..e], "UBND");
        let t = norm.text().find("tỉnh").unwrap();
        let (s, e) = norm.source_span(t, t + "tỉnh".len());
        assert_eq!(&src[s..e], "tỉnh");
    }

    #[test]
    fn key_matches_scorer() {
        assert_eq!(key("Đồng chí Nguyễn Văn A"), "nguyễn văn a");
        assert_eq!(key("Bà Rịa – Vũng Tàu"), "bà rịa-vũng tàu");
        assert_eq!(key("Uỷ ban"), key("Ủy ban"));
        assert_eq!(key("  đồng chí  -x"), "-x");
        assert_eq!(key("đồng chí"), "đồng chí");
        assert_eq!(key("Hoà  Bình -\tLong\u{200B}An"), "hòa bình-long an");
    }

    proptest::proptest! {
        /// The one-pass key is the first, simple one: over Vietnamese letters, spaces, dashes
        /// and anything else.
        #[test]
        fn key_is_the_simple_key(text in "(đồng chí )?([ a-zA-Z0-9ÀÁẢÃẠàáảãạòóỏõọỦủÝỳỷĐđ\\-–\t\u{200B}\u{0301}İ]|\\PC){0,24}") {
            proptest::prop_assert_eq!(key(&text), slow_key(&text));
        }

        /// The byte-level test of kept letters ends a plain run where the test of each
        /// character does.
        #[test]
        fn plain_runs_end_where_characters_stop(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                ' ', 'a', 'Z', '.', '\u{7F}', '\u{85}', 'é', 'Ạ', 'ỹ', 'ă', 'Đ', 'đ', 'ơ', 'ư',
                '\u{300}', '\u{303}', '\u{37F}', '\u{D0}', '\u{F0}', '\u{189}', '\u{2BC}',
                '\u{1000}', '\u{1680}', '\u{16A0}', '\u{1FFF}', '\u{A0}', '\u{AD}', '\u{2013}',
                '\u{201C}', '\u{FEFF}', '中',
            ]), 0..40),
            written: bool,
        ) {
            let text: String = chars.into_iter().collect();
            let simple = |start: usize| {
                let mut end = start;
                for (k, c) in text[start..].char_indices() {
                    let at = start + k;
                    let plain = if c == ' ' {
                        let next = text[at + 1..].chars().next();
                        (at > start || written)
                            && next.is_some_and(|n| fold_char(n) == Some(n) && !n.is_whitespace())
                    } else {
                        fold_char(c) == Some(c) && !c.is_whitespace() && !c.is_control()
                    };
                    if !plain {
                        break;
                    }
                    end = at + c.len_utf8();
                }
                end
            };
            for (start, _) in text.char_indices() {
                proptest::prop_assert_eq!(plain_run(&text, start, written), simple(start));
            }
        }

        /// The block test finds every place the byte-by-byte test finds, in order.
        #[test]
        fn tone_candidates_are_found_block_by_block(text in "[ oOuUaàáeéyỷ\u{0300}]{0,100}") {
            let bytes = text.as_bytes();
            let simple: Vec<usize> = (1..bytes.len())
                .filter(|&i| {
                    matches!(bytes[i], 0xC3 | 0xE1) && matches!(bytes[i - 1], b'o' | b'O' | b'u' | b'U')
                })
                .collect();
            proptest::prop_assert_eq!(misplaced_tone_candidates(bytes), simple);
        }
    }
}
