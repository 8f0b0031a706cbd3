//! A fast reader for the subset of RON that snapshots are written in: structs without names,
//! lists, `Some(..)`/`None`, unit enum variants, strings (with the escapes `char::escape_debug`
//! writes), unsigned and signed integers and booleans. Strings without escapes are borrowed from
//! the input, so a snapshot costs one allocation per owned string and no more.
//!
//! It is strict: anything else (comments, named structs, floats, maps …) is an error, and the
//! caller then reads the text with the `ron` crate, which accepts all of RON and reports the
//! line and column of real mistakes. The fast path only ever has to be right on valid input.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::Fault;

type Result<T> = std::result::Result<T, Fault>;

/// How deep skipped values may nest (as deep as `ron` reads).
const MAX_DEPTH: usize = 128;

/// Read a value from RON text in the snapshot subset.
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T> {
    let mut r = Reader { text, pos: 0 };
    let value = T::deserialize(&mut r)?;
    r.ws();
    if r.pos != text.len() {
        return Err(r.fail("text after the value"));
    }
    Ok(value)
}

/// The members of a list written without its brackets (`(..),\n(..),`), a piece of a list,
/// pushed onto `out`.
pub fn items<'de, T: de::Deserialize<'de>>(text: &'de str, out: &mut Vec<T>) -> Result<()> {
    let mut r = Reader { text, pos: 0 };
    loop {
        r.ws();
        if r.pos == text.len() {
            return Ok(());
        }
        out.push(T::deserialize(&mut r)?);
        r.comma();
    }
}

/// The first field of the top-level struct when it is an integer named `name`
/// (`(\n  schema: 1, …`), without reading further.
pub fn leading_number(text: &str, name: &str) -> Option<u64> {
    let mut r = Reader { text, pos: 0 };
    r.ws();
    r.eat(b'(').ok()?;
    r.ws();
    if r.ident().ok()? != name {
        return None;
    }
    r.ws();
    r.eat(b':').ok()?;
    r.ws();
    r.unsigned().ok()
}

/// The bytes an identifier is made of: ASCII letters, digits and `_`.
const IDENT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

struct Reader<'de> {
    text: &'de str,
    pos: usize,
}

impl<'de> Reader<'de> {
    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    fn fail(&self, what: &str) -> Fault {
        Fault(format!("{what} at byte {}", self.pos))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        let bytes = self.bytes();
        let mut at = self.pos;
        loop {
            // Indentation is most of the white space: eight spaces at a time.
            if bytes.get(at..at + 8) == Some(b"        ") {
                at += 8;
                continue;
            }
            match bytes.get(at) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => at += 1,
                _ => break,
            }
        }
        self.pos = at;
    }

    fn eat(&mut self, b: u8) -> Result<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.fail(&format!("expected '{}'", b as char)))
        }
    }

    /// After a value inside a list or struct: an optional comma.
    fn comma(&mut self) {
        self.ws();
        if self.peek() == Some(b',') {
            self.pos += 1;
        }
    }

    fn ident(&mut self) -> Result<&'de str> {
        let start = self.pos;
        let rest = &self.bytes()[start..];
        if rest.first().is_none_or(u8::is_ascii_digit) {
            return Err(self.fail("expected an identifier"));
        }
        let len = rest
            .iter()
            .position(|&b| !IDENT[usize::from(b)])
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(self.fail("expected an identifier"));
        }
        self.pos = start + len;
        Ok(&self.text[start..start + len])
    }

    /// A keyword (`None`, `Some`, `true` …) standing as a whole identifier here.
    fn keyword(&mut self, word: &str) -> bool {
        let rest = &self.bytes()[self.pos..];
        let whole = rest.starts_with(word.as_bytes())
            && rest
                .get(word.len())
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if whole {
            self.pos += word.len();
        }
        whole
    }

    fn unsigned(&mut self) -> Result<u64> {
        let start = self.pos;
        let mut n: u64 = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(b - b'0')))
                .ok_or_else(|| self.fail("number too large"))?;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.fail("expected a number"));
        }
        Ok(n)
    }

    fn signed(&mut self) -> Result<i64> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let n = i64::try_from(self.unsigned()?).map_err(|_| self.fail("number too large"))?;
        Ok(if negative { -n } else { n })
    }

    /// A string: borrowed when it holds no escape.
    fn string(&mut self) -> Result<std::borrow::Cow<'de, str>> {
        self.ws();
        self.eat(b'"')?;
        let start = self.pos;
        let bytes = self.bytes();
        let Some(stop) = memchr::memchr2(b'"', b'\\', &bytes[start..]).map(|i| start + i) else {
            return Err(self.fail("unterminated string"));
        };
        if bytes[stop] == b'"' {
            self.pos = stop + 1;
            return Ok(std::borrow::Cow::Borrowed(&self.text[start..stop]));
        }
        let mut out = String::from(&self.text[start..stop]);
        self.pos = stop;
        loop {
            match self.peek() {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(std::borrow::Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => {
                    let from = self.pos;
                    let len =
                        memchr::memchr2(b'"', b'\\', &bytes[from..]).unwrap_or(bytes.len() - from);
                    out.push_str(&self.text[from..from + len]);
                    self.pos = from + len;
                }
            }
        }
    }

    /// The character of an escape, the backslash already read.
    fn escape(&mut self) -> Result<char> {
        let b = self
            .peek()
            .ok_or_else(|| self.fail("unterminated escape"))?;
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\'' => '\'',
            b'\\' => '\\',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'0' => '\0',
            b'u' => {
                self.eat(b'{')?;
                let start = self.pos;
                while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                    self.pos += 1;
                }
                let hex = &self.text[start..self.pos];
                self.eat(b'}')?;
                u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.fail("bad unicode escape"))?
            }
            _ => return Err(self.fail("unknown escape")),
        })
    }

    /// Open a list, tuple or struct: its members follow.
    fn members(&mut self, open: u8, close: u8) -> Result<Fields<'_, 'de>> {
        self.ws();
        self.eat(open)?;
        Ok(Fields {
            r: self,
            close,
            names: &[],
            next: 0,
        })
    }

    /// Skip one value of any shape, nested at most [`MAX_DEPTH`] deep.
    fn skip(&mut self) -> Result<()> {
        self.skip_at(0)
    }

    fn skip_at(&mut self, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nested too deep"));
        }
        self.ws();
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'(' | b'[') => {
                let close = if self.peek() == Some(b'(') {
                    b')'
                } else {
                    b']'
                };
                self.pos += 1;
                loop {
                    self.ws();
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        return Ok(());
                    }
                    // A field name inside a struct.
                    let save = self.pos;
                    if close == b')' && self.ident().is_ok() {
                        self.ws();
                        if self.peek() == Some(b':') {
                            self.pos += 1;
                        } else {
                            self.pos = save;
                        }
                    }
                    self.skip_at(depth + 1)?;
                    self.comma();
                }
            }
            Some(b'-' | b'0'..=b'9') => self.signed().map(drop),
            Some(_) => {
                self.ident()?;
                self.ws();
                if self.peek() == Some(b'(') {
                    self.skip_at(depth + 1)?;
                }
                Ok(())
            }
            None => Err(self.fail("expected a value")),
        }
    }
}

struct Fields<'a, 'de> {
    r: &'a mut Reader<'de>,
    close: u8,
    /// A struct's field names, in the order it declares (and the writer writes) them.
    names: &'static [&'static str],
    /// The field expected next: the one after the last read.
    next: usize,
}

impl<'de> de::MapAccess<'de> for Fields<'_, 'de> {
    type Error = Fault;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        self.r.ws();
        if self.r.peek() == Some(self.close) {
            self.r.pos += 1;
            return Ok(None);
        }
        // The field expected next, named by its number: no name to scan and match.
        if let Some(name) = self.names.get(self.next) {
            let rest = &self.r.bytes()[self.r.pos..];
            let whole = rest.starts_with(name.as_bytes())
                && rest
                    .get(name.len())
                    .is_some_and(|&b| !IDENT[usize::from(b)]);
            if whole {
                self.r.pos += name.len();
                self.r.ws();
                self.r.eat(b':')?;
                let field = self.next as u64;
                self.next += 1;
                return seed.deserialize(field.into_deserializer()).map(Some);
            }
        }
        let name = self.r.ident()?;
        self.r.ws();
        self.r.eat(b':')?;
        if let Some(i) = self.names.iter().position(|n| *n == name) {
            self.next = i + 1;
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = seed.deserialize(&mut *self.r)?;
        self.r.comma();
        Ok(value)
    }
}

impl<'de> de::SeqAccess<'de> for Fields<'_, 'de> {
    type Error = Fault;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.r.ws();
        if self.r.peek() == Some(self.close) {
            self.r.pos += 1;
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.r)?;
        self.r.comma();
        Ok(Some(value))
    }

    /// A lower bound: none when the list closes next, else one. Most lists of a snapshot hold
    /// one member (a node's evidence, a person's alias), and a list told nothing starts with
    /// room for four: a loaded snapshot was a third larger for it.
    fn size_hint(&self) -> Option<usize> {
        let rest = &self.r.bytes()[self.r.pos..];
        let next = rest
            .iter()
            .find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'));
        Some(usize::from(next.is_some_and(|&b| b != self.close)))
    }
}

macro_rules! unsigned {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.ws();
            let n = self.unsigned()?;
            visitor.$visit(<$t>::try_from(n).map_err(|_| self.fail("number out of range"))?)
        }
    )*};
}

macro_rules! signed {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.ws();
            let n = self.signed()?;
            visitor.$visit(<$t>::try_from(n).map_err(|_| self.fail("number out of range"))?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Fault;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(self.fail("self-describing value"))
    }

    unsigned!(deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64);
    signed!(deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32, deserialize_i64 visit_i64 i64);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        if self.keyword("true") {
            visitor.visit_bool(true)
        } else if self.keyword("false") {
            visitor.visit_bool(false)
        } else {
            Err(self.fail("expected a boolean"))
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(self.fail("float"))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(self.fail("float"))
    }

    fn deserialize_char<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(self.fail("char"))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            std::borrow::Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            std::borrow::Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(self.fail("bytes"))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(self.fail("bytes"))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        if self.keyword("None") {
            return visitor.visit_none();
        }
        if !self.keyword("Some") {
            return Err(self.fail("expected an option"));
        }
        self.ws();
        self.eat(b'(')?;
        let value = visitor.visit_some(&mut *self)?;
        self.ws();
        self.eat(b')')?;
        Ok(value)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        self.eat(b'(')?;
        self.ws();
        self.eat(b')')?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value> {
        Err(self.fail("newtype struct"))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_seq(self.members(b'[', b']')?)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        visitor.visit_seq(self.members(b'(', b')')?)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(self.fail("map"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let mut members = self.members(b'(', b')')?;
        members.names = fields;
        visitor.visit_map(members)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.ws();
        let name = self.ident()?;
        visitor.visit_enum(name.into_deserializer())
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        let name = self.ident()?;
        visitor.visit_borrowed_str(name)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip()?;
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Kind {
        Alpha,
        BetaGamma,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        name: String,
        kind: Kind,
        n: u32,
        d: i64,
        big: usize,
        flag: bool,
        maybe: Option<String>,
        list: Vec<Option<u32>>,
        #[serde(default)]
        missing: Vec<String>,
    }

    fn pretty<T: Serialize>(v: &T) -> String {
        let config = ron::ser::PrettyConfig::new()
            .indentor("  ".to_string())
            .struct_names(false);
        ron::ser::to_string_pretty(v, config).unwrap()
    }

    #[test]
    fn reads_what_ron_writes() {
        let rows = vec![
            Row {
                name: "Nguyễn \"Văn\" A\\B\n\te\u{301}\u{0}".into(),
                kind: Kind::BetaGamma,
                n: u32::MAX,
                d: -42,
                big: usize::MAX,
                flag: true,
                maybe: Some("Ủy ban".into()),
                list: vec![Some(1), None],
                missing: vec![],
            },
            Row {
                name: String::new(),
                kind: Kind::Alpha,
                n: 0,
                d: 0,
                big: 0,
                flag: false,
                maybe: None,
                list: vec![],
                missing: vec!["x".into()],
            },
        ];
        for text in [pretty(&rows), ron::to_string(&rows).unwrap()] {
            let back: Vec<Row> = from_str(&text).unwrap();
            assert_eq!(back, rows, "{text}");
        }
    }

    #[test]
    fn unknown_fields_are_skipped_and_the_rest_refused() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Small {
            n: u32,
        }
        let text = r#"(extra: [(a: Some("x)"), b: [1, -2]), Thing(3)], n: 7)"#;
        assert_eq!(from_str::<Small>(text).unwrap(), Small { n: 7 });
        #[derive(Debug, PartialEq, Deserialize)]
        struct Pair {
            a: u32,
            #[serde(default)]
            b: u32,
            c: u32,
        }
        for (text, expected) in [
            ("(a: 1, b: 2, c: 3)", (1, 2, 3)),
            ("(c: 3, b: 2, a: 1)", (1, 2, 3)),
            ("(a: 1, c: 3)", (1, 0, 3)),
            ("(b: 2, a: 1, x: 9, c: 3)", (1, 2, 3)),
            ("(a: 1, bb: 5, b: 2, c: 3)", (1, 2, 3)),
        ] {
            let (a, b, c) = expected;
            assert_eq!(from_str::<Pair>(text).unwrap(), Pair { a, b, c }, "{text}");
        }
        assert!(from_str::<Pair>("(a: 1, a: 2, c: 3)").is_err());
        for bad in [
            "(n: 7",
            "(n: 7) x",
            "Small(n: 7)",
            "(n: 7.5)",
            "// c\n(n: 7)",
            "(n: \"7\")",
        ] {
            assert!(from_str::<Small>(bad).is_err(), "{bad}");
        }
        let deep = format!("(x: {}, n: 1)", "[".repeat(100_000));
        assert!(from_str::<Small>(&deep).is_err());
        assert_eq!(leading_number("(\n  n: 12,\n", "n"), Some(12));
        assert_eq!(leading_number("(m: 12)", "n"), None);
    }
}
