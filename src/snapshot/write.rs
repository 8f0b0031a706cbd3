//! A fast writer for snapshots: byte for byte what `ron`'s pretty printer writes with the
//! snapshot settings (two-space indent, no struct names), for the subset of serde's data model
//! that snapshots use (structs, lists, options, unit variants, strings, integers, booleans).
//! `ron` escapes strings one character at a time through the writer; this copies unescaped runs
//! whole. Tests compare both writers' output on generated snapshots.

use std::io::Write;

use serde::ser::{self, Serialize};

use super::{outside, Fault};

type Result<T = ()> = std::result::Result<T, Fault>;

/// Write `value` as pretty RON to `out`.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> Result {
    let mut w = Writer { out, indent: 0 };
    value.serialize(&mut w)
}

struct Writer<W> {
    out: W,
    indent: usize,
}

impl<W: Write> Writer<W> {
    fn indent(&mut self, levels: usize) -> Result {
        for _ in 0..levels {
            self.out.write_all(b"  ")?;
        }
        Ok(())
    }

    /// A string as `char::escape_debug` escapes each of its characters. Printable ASCII and
    /// the Latin letters Vietnamese is written in (U+00C0–U+024F, U+1E00–U+1EFF) never need it.
    fn string(&mut self, s: &str) -> Result {
        self.out.write_all(b"\"")?;
        let bytes = s.as_bytes();
        let (mut run, mut i) = (0, 0);
        while i < bytes.len() {
            let b = bytes[i];
            let plain = match b {
                b'"' | b'\\' | b'\'' => 0,
                b' '..=b'~' => 1,
                0xC3..=0xC9 => 2,
                0xE1 if matches!(bytes.get(i + 1), Some(0xB8..=0xBB)) => 3,
                _ => 0,
            };
            if plain > 0 {
                i += plain;
                continue;
            }
            let c = s[i..].chars().next().unwrap_or(' ');
            let escaped = c.escape_debug();
            if escaped.len() > 1 {
                self.out.write_all(&bytes[run..i])?;
                write!(self.out, "{escaped}")?;
                run = i + c.len_utf8();
            }
            i += c.len_utf8();
        }
        self.out.write_all(&bytes[run..])?;
        self.out.write_all(b"\"")?;
        Ok(())
    }

    /// Open a list or struct of `len` members.
    fn open(&mut self, bracket: &[u8], len: usize) -> Result<Members<'_, W>> {
        self.out.write_all(bracket)?;
        self.indent += 1;
        if len > 0 {
            self.out.write_all(b"\n")?;
        }
        Ok(Members {
            w: self,
            first: true,
            empty: len == 0,
        })
    }
}

/// The members of an open list or struct.
struct Members<'a, W> {
    w: &'a mut Writer<W>,
    first: bool,
    empty: bool,
}

impl<W: Write> Members<'_, W> {
    fn next(&mut self) -> Result {
        if !std::mem::take(&mut self.first) {
            self.w.out.write_all(b",\n")?;
        }
        let levels = self.w.indent;
        self.w.indent(levels)
    }

    fn close(self, bracket: &[u8]) -> Result {
        if !self.first {
            self.w.out.write_all(b",\n")?;
        }
        if !self.empty {
            let levels = self.w.indent - 1;
            self.w.indent(levels)?;
        }
        self.w.indent -= 1;
        self.w.out.write_all(bracket)?;
        Ok(())
    }
}

impl<W: Write> ser::SerializeSeq for Members<'_, W> {
    type Ok = ();
    type Error = Fault;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.next()?;
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeStruct for Members<'_, W> {
    type Ok = ();
    type Error = Fault;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.next()?;
        self.w.out.write_all(key.as_bytes())?;
        self.w.out.write_all(b": ")?;
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result {
        self.close(b")")
    }
}

macro_rules! integers {
    ($($method:ident $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result {
            write!(self.out, "{v}")?;
            Ok(())
        }
    )*};
}

impl<'a, W: Write> ser::Serializer for &'a mut Writer<W> {
    type Ok = ();
    type Error = Fault;
    type SerializeSeq = Members<'a, W>;
    type SerializeTuple = ser::Impossible<(), Fault>;
    type SerializeTupleStruct = ser::Impossible<(), Fault>;
    type SerializeTupleVariant = ser::Impossible<(), Fault>;
    type SerializeMap = ser::Impossible<(), Fault>;
    type SerializeStruct = Members<'a, W>;
    type SerializeStructVariant = ser::Impossible<(), Fault>;

    integers!(serialize_u8 u8, serialize_u16 u16, serialize_u32 u32, serialize_u64 u64,
        serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64);

    fn serialize_bool(self, v: bool) -> Result {
        self.out.write_all(if v { b"true" } else { b"false" })?;
        Ok(())
    }

    fn serialize_f32(self, _: f32) -> Result {
        Err(outside("a float"))
    }

    fn serialize_f64(self, _: f64) -> Result {
        Err(outside("a float"))
    }

    fn serialize_char(self, _: char) -> Result {
        Err(outside("a char"))
    }

    fn serialize_str(self, v: &str) -> Result {
        self.string(v)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(outside("bytes"))
    }

    fn serialize_none(self) -> Result {
        self.out.write_all(b"None")?;
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        self.out.write_all(b"Some(")?;
        value.serialize(&mut *self)?;
        self.out.write_all(b")")?;
        Ok(())
    }

    fn serialize_unit(self) -> Result {
        Err(outside("a unit"))
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Err(outside("a unit struct"))
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.out.write_all(variant.as_bytes())?;
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result {
        Err(outside("a newtype struct"))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(outside("a newtype variant"))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        let len = len.ok_or_else(|| outside("a list of unknown length"))?;
        self.open(b"[", len)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(outside("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(outside("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(outside("a tuple variant"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(outside("a map"))
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        self.open(b"(", len)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(outside("a struct variant"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    enum Kind {
        Alpha,
    }

    #[derive(Serialize)]
    struct Inner {
        name: String,
        list: Vec<u32>,
    }

    #[derive(Serialize)]
    struct Row {
        text: String,
        kind: Kind,
        n: u64,
        d: i32,
        flag: bool,
        maybe: Option<String>,
        none: Option<u32>,
        empty: Vec<Inner>,
        inner: Vec<Inner>,
    }

    fn row() -> Row {
        Row {
            text: "Nguyễn \"A\" 'b' \\ \n\t\r e\u{301} \u{0} \u{200B} Ủy ban".into(),
            kind: Kind::Alpha,
            n: u64::MAX,
            d: -7,
            flag: true,
            maybe: Some("x".into()),
            none: None,
            empty: vec![],
            inner: vec![
                Inner {
                    name: String::new(),
                    list: vec![],
                },
                Inner {
                    name: "b".into(),
                    list: vec![1, 2],
                },
            ],
        }
    }

    #[test]
    fn writes_what_ron_writes() {
        let rows = vec![row(), row()];
        let mut ours = Vec::new();
        to_writer(&mut ours, &rows).unwrap();
        let config = ron::ser::PrettyConfig::new()
            .indentor("  ".to_string())
            .struct_names(false);
        let theirs = ron::ser::to_string_pretty(&rows, config).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), theirs);
    }
}
