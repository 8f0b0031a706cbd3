//! Reading a block of a copy back through serde, each string kept once in the block's table.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::{Cursor, Result, SLOTS};
use crate::model::Text;
use crate::snapshot::{outside, Fault};

/// Reads values from one block (or the top-level bytes) of a copy.
pub(super) struct Dec<'de> {
    cur: Cursor<'de>,
    table: Vec<Option<Text>>,
}

impl<'de> std::ops::Deref for Dec<'de> {
    type Target = Cursor<'de>;

    fn deref(&self) -> &Cursor<'de> {
        &self.cur
    }
}

impl std::ops::DerefMut for Dec<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.cur
    }
}

impl<'de> Dec<'de> {
    pub(super) fn new(bytes: &'de [u8]) -> Self {
        Dec {
            cur: Cursor { bytes, pos: 0 },
            table: Vec::new(),
        }
    }

    fn text(&mut self) -> Result<Text> {
        if self.table.is_empty() {
            self.table = vec![None; SLOTS];
        }
        let tag = self.varint()?;
        let bad_slot = || Fault("a string slot out of range".into());
        if tag & 1 == 1 {
            let slot = usize::try_from(tag >> 1).map_err(|_| bad_slot())?;
            return self
                .table
                .get(slot)
                .and_then(Option::clone)
                .ok_or_else(bad_slot);
        }
        let len = usize::try_from(tag >> 1).map_err(|_| bad_slot())?;
        let slot = usize::try_from(self.varint()?).map_err(|_| bad_slot())?;
        let bytes = self.take(len)?;
        let s = std::str::from_utf8(bytes).map_err(|e| Fault(e.to_string()))?;
        let t = Text::from(s);
        *self.table.get_mut(slot).ok_or_else(bad_slot)? = Some(t.clone());
        Ok(t)
    }

    fn unsigned<T: TryFrom<u64>>(&mut self) -> Result<T> {
        T::try_from(self.varint()?).map_err(|_| Fault("a number out of range".into()))
    }

    fn signed<T: TryFrom<i64>>(&mut self) -> Result<T> {
        let v = self.varint()?;
        let v = (v >> 1) as i64 ^ -((v & 1) as i64);
        T::try_from(v).map_err(|_| Fault("a number out of range".into()))
    }
}

/// The next `left` values, as the members of a list or the fields of a struct.
struct Counted<'a, 'de> {
    dec: &'a mut Dec<'de>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Counted<'_, 'de> {
    type Error = Fault;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.dec).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Dec<'de> {
    type Error = Fault;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let index: u32 = self.unsigned()?;
        let index: de::value::U32Deserializer<Fault> = index.into_deserializer();
        let value = seed.deserialize(index)?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Dec<'de> {
    type Error = Fault;

    fn unit_variant(self) -> Result {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(outside("a tuple variant"))
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value> {
        Err(outside("a struct variant"))
    }
}

macro_rules! read_unsigned {
    ($($method:ident $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.$visit(self.unsigned()?)
        }
    )*};
}

macro_rules! read_signed {
    ($($method:ident $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.$visit(self.signed()?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Dec<'de> {
    type Error = Fault;

    read_unsigned!(deserialize_u8 visit_u8, deserialize_u16 visit_u16, deserialize_u32 visit_u32, deserialize_u64 visit_u64);
    read_signed!(deserialize_i8 visit_i8, deserialize_i16 visit_i16, deserialize_i32 visit_i32, deserialize_i64 visit_i64);

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Fault("the copy does not describe itself".into()))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.byte()? {
            0 => visitor.visit_bool(false),
            1 => visitor.visit_bool(true),
            _ => Err(Fault("a boolean out of range".into())),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(outside("a float"))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(outside("a float"))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let t = self.text()?;
        let mut chars = t.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(Fault("a character expected".into())),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let t = self.text()?;
        // A `Text` read from `t`'s string takes `t` itself: one allocation per string kept in
        // the block's table, however often it is referred to.
        crate::model::offer(t.clone());
        visitor.visit_str(&t)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(outside("a byte string"))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(outside("a byte string"))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.byte()? {
            0 => visitor.visit_none(),
            1 => visitor.visit_some(self),
            _ => Err(Fault("an option out of range".into())),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let left = self.unsigned()?;
        visitor.visit_seq(Counted { dec: self, left })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        visitor.visit_seq(Counted {
            dec: self,
            left: len,
        })
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
        Err(outside("a map"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_tuple(fields.len(), visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Fault("the copy holds no names".into()))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Fault("the copy holds no unknown fields".into()))
    }

    fn is_human_readable(&self) -> bool {
        false
    }
}
