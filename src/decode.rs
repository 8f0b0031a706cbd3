//! Decoding input bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, and the legacy
//! Vietnamese encodings Windows-1258, TCVN3 (TCVN 5712:1993) and VNI-Windows — detected, or
//! forced with `--encoding`. Every decoded byte keeps the offset of the input byte it came from,
//! so evidence points into the file as read. Undecodable bytes become U+FFFD and are reported.

use std::str::FromStr;

/// An input encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
    Vni,
}

impl FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(
            match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
                "utf8" => Encoding::Utf8,
                "utf16le" => Encoding::Utf16Le,
                "utf16be" => Encoding::Utf16Be,
                "windows1258" | "cp1258" => Encoding::Windows1258,
                "tcvn3" | "tcvn" | "tcvn5712" | "abc" => Encoding::Tcvn3,
                "vni" | "vniwindows" => Encoding::Vni,
                _ => {
                    return Err(format!(
                    "unknown encoding {s:?} (utf-8, utf-16le, utf-16be, windows-1258, tcvn3, vni)"
                ))
                }
            },
        )
    }
}

/// Decoded text and where each of its bytes came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// `origin[i]`: input offset of text byte `i`, one extra entry for the end; `None` when the
    /// text is the input itself.
    pub origin: Option<Vec<u32>>,
    pub encoding: Encoding,
    /// Input offsets of bytes that could not be decoded.
    pub undecodable: Vec<usize>,
}

impl Decoded {
    /// The input offset of text offset `at`.
    pub fn input_offset(&self, at: usize) -> usize {
        match &self.origin {
            Some(o) => o[at.min(o.len() - 1)] as usize,
            None => at,
        }
    }
}

/// TCVN 5712:1993 (TCVN3), byte by byte, as glibc's iconv `TCVN5712-1` decodes it.
const TCVN3: [char; 256] = [
    '\u{0000}', '\u{00DA}', '\u{1EE4}', '\u{0003}', '\u{1EEA}', '\u{1EEC}', '\u{1EEE}', '\u{0007}',
    '\u{0008}', '\u{0009}', '\u{000A}', '\u{000B}', '\u{000C}', '\u{000D}', '\u{000E}', '\u{000F}',
    '\u{0010}', '\u{1EE8}', '\u{1EF0}', '\u{1EF2}', '\u{1EF6}', '\u{1EF8}', '\u{00DD}', '\u{1EF4}',
    '\u{0018}', '\u{0019}', '\u{001A}', '\u{001B}', '\u{001C}', '\u{001D}', '\u{001E}', '\u{001F}',
    '\u{0020}', '\u{0021}', '\u{0022}', '\u{0023}', '\u{0024}', '\u{0025}', '\u{0026}', '\u{0027}',
    '\u{0028}', '\u{0029}', '\u{002A}', '\u{002B}', '\u{002C}', '\u{002D}', '\u{002E}', '\u{002F}',
    '\u{0030}', '\u{0031}', '\u{0032}', '\u{0033}', '\u{0034}', '\u{0035}', '\u{0036}', '\u{0037}',
    '\u{0038}', '\u{0039}', '\u{003A}', '\u{003B}', '\u{003C}', '\u{003D}', '\u{003E}', '\u{003F}',
    '\u{0040}', '\u{0041}', '\u{0042}', '\u{0043}', '\u{0044}', '\u{0045}', '\u{0046}', '\u{0047}',
    '\u{0048}', '\u{0049}', '\u{004A}', '\u{004B}', '\u{004C}', '\u{004D}', '\u{004E}', '\u{004F}',
    '\u{0050}', '\u{0051}', '\u{0052}', '\u{0053}', '\u{0054}', '\u{0055}', '\u{0056}', '\u{0057}',
    '\u{0058}', '\u{0059}', '\u{005A}', '\u{005B}', '\u{005C}', '\u{005D}', '\u{005E}', '\u{005F}',
    '\u{0060}', '\u{0061}', '\u{0062}', '\u{0063}', '\u{0064}', '\u{0065}', '\u{0066}', '\u{0067}',
    '\u{0068}', '\u{0069}', '\u{006A}', '\u{006B}', '\u{006C}', '\u{006D}', '\u{006E}', '\u{006F}',
    '\u{0070}', '\u{0071}', '\u{0072}', '\u{0073}', '\u{0074}', '\u{0075}', '\u{0076}', '\u{0077}',
    '\u{0078}', '\u{0079}', '\u{007A}', '\u{007B}', '\u{007C}', '\u{007D}', '\u{007E}', '\u{007F}',
    '\u{00C0}', '\u{1EA2}', '\u{00C3}', '\u{00C1}', '\u{1EA0}', '\u{1EB6}', '\u{1EAC}', '\u{00C8}',
    '\u{1EBA}', '\u{1EBC}', '\u{00C9}', '\u{1EB8}', '\u{1EC6}', '\u{00CC}', '\u{1EC8}', '\u{0128}',
    '\u{00CD}', '\u{1ECA}', '\u{00D2}', '\u{1ECE}', '\u{00D5}', '\u{00D3}', '\u{1ECC}', '\u{1ED8}',
    '\u{1EDC}', '\u{1EDE}', '\u{1EE0}', '\u{1EDA}', '\u{1EE2}', '\u{00D9}', '\u{1EE6}', '\u{0168}',
    '\u{00A0}', '\u{0102}', '\u{00C2}', '\u{00CA}', '\u{00D4}', '\u{01A0}', '\u{01AF}', '\u{0110}',
    '\u{0103}', '\u{00E2}', '\u{00EA}', '\u{00F4}', '\u{01A1}', '\u{01B0}', '\u{0111}', '\u{1EB0}',
    '\u{0300}', '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}', '\u{00E0}', '\u{1EA3}', '\u{00E3}',
    '\u{00E1}', '\u{1EA1}', '\u{1EB2}', '\u{1EB1}', '\u{1EB3}', '\u{1EB5}', '\u{1EAF}', '\u{1EB4}',
    '\u{1EAE}', '\u{1EA6}', '\u{1EA8}', '\u{1EAA}', '\u{1EA4}', '\u{1EC0}', '\u{1EB7}', '\u{1EA7}',
    '\u{1EA9}', '\u{1EAB}', '\u{1EA5}', '\u{1EAD}', '\u{00E8}', '\u{1EC2}', '\u{1EBB}', '\u{1EBD}',
    '\u{00E9}', '\u{1EB9}', '\u{1EC1}', '\u{1EC3}', '\u{1EC5}', '\u{1EBF}', '\u{1EC7}', '\u{00EC}',
    '\u{1EC9}', '\u{1EC4}', '\u{1EBE}', '\u{1ED2}', '\u{0129}', '\u{00ED}', '\u{1ECB}', '\u{00F2}',
    '\u{1ED4}', '\u{1ECF}', '\u{00F5}', '\u{00F3}', '\u{1ECD}', '\u{1ED3}', '\u{1ED5}', '\u{1ED7}',
    '\u{1ED1}', '\u{1ED9}', '\u{1EDD}', '\u{1EDF}', '\u{1EE1}', '\u{1EDB}', '\u{1EE3}', '\u{00F9}',
    '\u{1ED6}', '\u{1EE7}', '\u{0169}', '\u{00FA}', '\u{1EE5}', '\u{1EEB}', '\u{1EED}', '\u{1EEF}',
    '\u{1EE9}', '\u{1EF1}', '\u{1EF3}', '\u{1EF7}', '\u{1EF9}', '\u{00FD}', '\u{1EF5}', '\u{1ED0}',
];

/// Decode `bytes`, detecting the encoding unless one is forced.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Decoded {
    let encoding = forced.unwrap_or_else(|| detect(bytes));
    match encoding {
        Encoding::Utf8 => utf8(bytes),
        Encoding::Utf16Le | Encoding::Utf16Be => utf16(bytes, encoding),
        Encoding::Windows1258 => single_byte(bytes, encoding, |b| {
            let one = [b];
            let (text, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(&one);
            text.chars().next().unwrap_or('\u{FFFD}')
        }),
        Encoding::Tcvn3 => single_byte(bytes, encoding, |b| TCVN3[b as usize]),
        Encoding::Vni => vni(bytes),
    }
}

/// The encoding of `bytes`: a byte-order mark, valid UTF-8, else the legacy encoding whose
/// reading has the most common Vietnamese words.
pub fn detect(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16Le;
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16Be;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Encoding::Utf8;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let candidates = [
        Encoding::Utf8,
        Encoding::Windows1258,
        Encoding::Tcvn3,
        Encoding::Vni,
    ];
    candidates
        .into_iter()
        .max_by_key(|e| {
            let text = decode(sample, Some(*e)).text;
            let text: String =
                unicode_normalization::UnicodeNormalization::nfc(text.as_str()).collect();
            let text = text.to_lowercase();
            // UTF-8 wins ties: a few bad bytes in a UTF-8 file.
            (vietnamese_score(&text), matches!(e, Encoding::Utf8))
        })
        .unwrap_or(Encoding::Utf8)
}

/// How Vietnamese a text reads: occurrences of very common words.
fn vietnamese_score(text: &str) -> usize {
    const WORDS: [&str; 16] = [
        "của", "và", "các", "được", "là", "có", "người", "đồng", "tỉnh", "những", "việt", "trong",
        "năm", "này", "với", "cho",
    ];
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| WORDS.contains(w))
        .count()
}

fn utf8(bytes: &[u8]) -> Decoded {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &bytes[bom..];
    if let Ok(text) = std::str::from_utf8(body) {
        let origin = (bom > 0).then(|| (0..=text.len()).map(|i| (i + bom) as u32).collect());
        return Decoded {
            text: text.to_string(),
            origin,
            encoding: Encoding::Utf8,
            undecodable: Vec::new(),
        };
    }
    let mut text = String::with_capacity(body.len());
    let mut origin = Vec::with_capacity(body.len() + 1);
    let mut undecodable = Vec::new();
    let mut at = 0;
    for chunk in body.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        origin.extend((0..valid.len()).map(|i| (bom + at + i) as u32));
        at += valid.len();
        if !chunk.invalid().is_empty() {
            undecodable.push(bom + at);
            text.push('\u{FFFD}');
            origin.extend(std::iter::repeat_n((bom + at) as u32, 3));
            at += chunk.invalid().len();
        }
    }
    origin.push((bom + at) as u32);
    Decoded {
        text,
        origin: Some(origin),
        encoding: Encoding::Utf8,
        undecodable,
    }
}

fn utf16(bytes: &[u8], encoding: Encoding) -> Decoded {
    let units = bytes[2..].chunks(2).map(|c| {
        let pair = [c[0], *c.get(1).unwrap_or(&0)];
        if encoding == Encoding::Utf16Le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::new();
    let mut origin = Vec::new();
    let mut undecodable = Vec::new();
    let mut at = 2;
    for c in char::decode_utf16(units) {
        let (c, width) = match c {
            Ok(c) => (c, c.len_utf16() * 2),
            Err(_) => {
                undecodable.push(at);
                ('\u{FFFD}', 2)
            }
        };
        text.push(c);
        origin.extend(std::iter::repeat_n(at as u32, c.len_utf8()));
        at += width;
    }
    origin.push(bytes.len() as u32);
    Decoded {
        text,
        origin: Some(origin),
        encoding,
        undecodable,
    }
}

fn single_byte(bytes: &[u8], encoding: Encoding, map: impl Fn(u8) -> char) -> Decoded {
    let mut text = String::with_capacity(bytes.len() * 2);
    let mut origin = Vec::with_capacity(bytes.len() * 2 + 1);
    let mut undecodable = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let c = map(b);
        if c == '\u{FFFD}' {
            undecodable.push(i);
        }
        text.push(c);
        origin.extend(std::iter::repeat_n(i as u32, c.len_utf8()));
    }
    origin.push(bytes.len() as u32);
    Decoded {
        text,
        origin: Some(origin),
        encoding,
        undecodable,
    }
}

/// VNI-Windows: a base letter followed by Windows-1252 bytes that stand for its marks.
/// Marks are (lower-case byte, upper-case byte, combining marks in canonical order).
const VNI_MARKS: [(char, char, &str); 17] = [
    ('ù', 'Ù', "\u{0301}"),
    ('ø', 'Ø', "\u{0300}"),
    ('û', 'Û', "\u{0309}"),
    ('õ', 'Õ', "\u{0303}"),
    ('ï', 'Ï', "\u{0323}"),
    ('â', 'Â', "\u{0302}"),
    ('ê', 'Ê', "\u{0306}"),
    ('á', 'Á', "\u{0302}\u{0301}"),
    ('à', 'À', "\u{0302}\u{0300}"),
    ('å', 'Å', "\u{0302}\u{0309}"),
    ('ã', 'Ã', "\u{0302}\u{0303}"),
    ('ä', 'Ä', "\u{0323}\u{0302}"),
    ('é', 'É', "\u{0306}\u{0301}"),
    ('è', 'È', "\u{0306}\u{0300}"),
    ('ú', 'Ú', "\u{0306}\u{0309}"),
    ('ü', 'Ü', "\u{0306}\u{0303}"),
    ('ë', 'Ë', "\u{0323}\u{0306}"),
];

/// VNI-Windows letters of one byte.
const VNI_LETTERS: [(char, char); 18] = [
    ('ô', 'ơ'),
    ('Ô', 'Ơ'),
    ('ö', 'ư'),
    ('Ö', 'Ư'),
    ('ñ', 'đ'),
    ('Ñ', 'Đ'),
    ('í', 'í'),
    ('Í', 'Í'),
    ('ì', 'ì'),
    ('Ì', 'Ì'),
    ('æ', 'ỉ'),
    ('Æ', 'Ỉ'),
    ('ó', 'ĩ'),
    ('Ó', 'Ĩ'),
    ('ò', 'ị'),
    ('Ò', 'Ị'),
    ('î', 'ỵ'),
    ('Î', 'Ỵ'),
];

fn vni(bytes: &[u8]) -> Decoded {
    let (cp1252, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    let mut text = String::with_capacity(bytes.len() * 2);
    let mut origin = Vec::with_capacity(bytes.len() * 2 + 1);
    let mut prev_vowel = false;
    for (i, c) in cp1252.chars().enumerate() {
        let mark = VNI_MARKS.iter().find(|(l, u, _)| *l == c || *u == c);
        let (out, vowel) = match mark {
            Some((_, _, marks)) if prev_vowel => (marks.to_string(), true),
            _ => {
                let letter = VNI_LETTERS
                    .iter()
                    .find(|(v, _)| *v == c)
                    .map_or(c, |(_, l)| *l);
                (
                    letter.to_string(),
                    "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY".contains(letter),
                )
            }
        };
        prev_vowel = vowel;
        origin.extend(std::iter::repeat_n(i as u32, out.len()));
        text.push_str(&out);
    }
    origin.push(bytes.len() as u32);
    Decoded {
        text,
        origin: Some(origin),
        encoding: Encoding::Vni,
        undecodable: Vec::new(),
    }
}

/// Encode text as VNI-Windows (for tests and tools): the inverse of the decoder.
pub fn encode_vni(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in text.nfc() {
        if let Some((v, _)) = VNI_LETTERS.iter().find(|(_, l)| *l == c) {
            out.push(*v);
            continue;
        }
        let decomposed: Vec<char> = std::iter::once(c).nfd().collect();
        let (base, marks): (Vec<char>, Vec<char>) = decomposed
            .iter()
            .partition(|m| unicode_normalization::char::canonical_combining_class(**m) == 0);
        let mut base: String = base.into_iter().collect();
        let mut marks: String = marks.into_iter().collect();
        // ơ, ư keep their horn as a letter of their own.
        if marks.contains('\u{031B}') {
            marks = marks.replace('\u{031B}', "");
            let horn: String = format!("{base}\u{031B}").nfc().collect();
            if let Some((v, _)) = VNI_LETTERS.iter().find(|(_, l)| l.to_string() == horn) {
                base = v.to_string();
            }
        }
        out.push_str(&base);
        if marks.is_empty() {
            continue;
        }
        let upper = c.is_uppercase();
        let mark = VNI_MARKS.iter().find(|(_, _, m)| *m == marks);
        match mark {
            Some((l, u, _)) => out.push(if upper { *u } else { *l }),
            None => out.push_str(&marks),
        }
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&out);
    bytes.into_owned()
}

/// Encode text as TCVN3 (for tests and tools).
pub fn encode_tcvn3(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    text.nfc()
        .map(|c| TCVN3.iter().position(|t| *t == c).map_or(b'?', |p| p as u8))
        .collect()
}

/// Encode text as Windows-1258 (for tests and tools): tone marks as combining bytes.
pub fn encode_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let tones = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
    let mut out = String::new();
    for c in text.nfc() {
        let d: Vec<char> = std::iter::once(c).nfd().collect();
        let tone: Vec<char> = d.iter().copied().filter(|m| tones.contains(m)).collect();
        let base: String = d
            .iter()
            .copied()
            .filter(|m| !tones.contains(m))
            .collect::<String>()
            .nfc()
            .collect();
        out.push_str(&base);
        out.extend(tone);
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1258.encode(&out);
    bytes.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Ông Nguyễn Đắc Vinh, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Nghệ An, được bầu lại. Những người trẻ của tỉnh và các xã.";

    #[test]
    fn legacy_encodings_round_trip_and_are_detected() {
        let rows: [(&str, Vec<u8>, Encoding); 3] = [
            ("windows-1258", encode_1258(SAMPLE), Encoding::Windows1258),
            ("tcvn3", encode_tcvn3(SAMPLE), Encoding::Tcvn3),
            ("vni", encode_vni(SAMPLE), Encoding::Vni),
        ];
        for (name, bytes, encoding) in rows {
            assert!(std::str::from_utf8(&bytes).is_err(), "{name} is not UTF-8");
            let d = decode(&bytes, None);
            assert_eq!(d.encoding, encoding, "{name} detected");
            let text: String =
                unicode_normalization::UnicodeNormalization::nfc(d.text.as_str()).collect();
            assert_eq!(text, SAMPLE, "{name} decoded");
            assert_eq!(
                d.origin.as_ref().unwrap().last(),
                Some(&(bytes.len() as u32))
            );
        }
    }

    #[test]
    fn utf16_and_bad_utf8() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(SAMPLE.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le, None).text, SAMPLE);
        let mut be = vec![0xFE, 0xFF];
        be.extend(SAMPLE.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be, None).text, SAMPLE);
        let mut bad = SAMPLE.as_bytes().to_vec();
        bad.insert(4, 0xFF);
        let d = decode(&bad, None);
        assert_eq!(
            (d.encoding, d.undecodable.clone()),
            (Encoding::Utf8, vec![4])
        );
        assert!(d.text.contains('\u{FFFD}'));
    }
}
