//! Writing a copy: serde's data model by position, strings through the block's table.

use std::hash::BuildHasher;
use std::io::Write;

use serde::ser::{self, Serialize};

use super::{checksum, Identity, Result, Stamp, BLOCK, BLOCK_BYTES, MAGIC, SLOTS};
use crate::snapshot::{outside, Fault};

/// Write the copy of a snapshot (`value` serialises as a [`Snapshot`] does) whose RON text has
/// identity `ron`, in a file stamped `stamp`, to `out`.
pub fn to_writer<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    ron: Identity,
    stamp: Stamp,
    value: &T,
) -> Result {
    out.write_all(MAGIC)?;
    for word in [ron.len, ron.hash, stamp.modified, stamp.inode] {
        out.write_all(&word.to_le_bytes())?;
    }
    let mut enc = Enc {
        file: out,
        written: (MAGIC.len() + 32) as u64,
        lists: Vec::new(),
        buf: Vec::with_capacity(1 << 20),
        table: vec![(0, String::new()); SLOTS],
        generation: 1,
        depth: 0,
    };
    value.serialize(&mut enc)?;
    let mut trailer = Vec::with_capacity(16 * enc.lists.len() + 8);
    for (start, count) in &enc.lists {
        trailer.extend_from_slice(&start.to_le_bytes());
        trailer.extend_from_slice(&count.to_le_bytes());
    }
    trailer.extend_from_slice(&(enc.lists.len() as u64).to_le_bytes());
    enc.file.write_all(&trailer)?;
    Ok(())
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn slot_of(s: &str) -> usize {
    (rustc_hash::FxBuildHasher.hash_one(s) >> (64 - SLOTS.trailing_zeros())) as usize
}

struct Enc<'w> {
    file: &'w mut dyn Write,
    /// Bytes written to `file` so far.
    written: u64,
    /// Where each top-level list starts, and its members.
    lists: Vec<(u64, u64)>,
    /// The bytes of the current block (or of top-level fields outside lists).
    buf: Vec<u8>,
    /// Recent strings by slot, valid when stamped with the current generation.
    table: Vec<(u32, String)>,
    generation: u32,
    /// Structs open around the value being written: lists one deep are written in blocks.
    depth: usize,
}

impl Enc<'_> {
    fn string(&mut self, s: &str) {
        let slot = slot_of(s);
        let (generation, held) = &mut self.table[slot];
        if *generation == self.generation && held == s {
            varint(&mut self.buf, (slot as u64) << 1 | 1);
            return;
        }
        *generation = self.generation;
        held.clear();
        held.push_str(s);
        varint(&mut self.buf, (s.len() as u64) << 1);
        varint(&mut self.buf, slot as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// Write what is buffered as it is.
    fn flush_raw(&mut self) -> Result {
        self.file.write_all(&self.buf)?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Write the buffered members as a block, with the checksum of its bytes (an empty block,
    /// without, closes a list), and start afresh.
    fn flush_block(&mut self, count: usize) -> Result {
        let mut head = Vec::with_capacity(20);
        varint(&mut head, self.buf.len() as u64);
        varint(&mut head, count as u64);
        if count > 0 {
            head.extend_from_slice(&checksum(&self.buf).to_le_bytes());
        }
        self.file.write_all(&head)?;
        self.written += head.len() as u64;
        if let Some(list) = self.lists.last_mut() {
            list.1 += count as u64;
        }
        self.flush_raw()?;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.table.iter_mut().for_each(|(g, _)| *g = 0);
            self.generation = 1;
        }
        Ok(())
    }
}

/// An open list or struct; `blocked` lists count their members into blocks.
struct Compound<'a, 'w> {
    enc: &'a mut Enc<'w>,
    blocked: bool,
    count: usize,
    top: bool,
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Fault;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.enc)?;
        if self.blocked {
            self.count += 1;
            if self.count == BLOCK || self.enc.buf.len() >= BLOCK_BYTES {
                self.enc.flush_block(self.count)?;
                self.count = 0;
            }
        }
        Ok(())
    }

    fn end(self) -> Result {
        if self.blocked {
            if self.count > 0 {
                self.enc.flush_block(self.count)?;
            }
            self.enc.flush_block(0)?;
        }
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Fault;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.enc)
    }

    fn end(self) -> Result {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Fault;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.enc)
    }

    fn end(self) -> Result {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Fault;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result {
        value.serialize(&mut *self.enc)?;
        if self.top {
            self.enc.flush_raw()?;
        }
        Ok(())
    }

    fn end(self) -> Result {
        self.enc.depth -= 1;
        Ok(())
    }
}

macro_rules! unsigned {
    ($($method:ident $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result {
            varint(&mut self.buf, v as u64);
            Ok(())
        }
    )*};
}

macro_rules! signed {
    ($($method:ident $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result {
            let v = v as i64;
            varint(&mut self.buf, ((v << 1) ^ (v >> 63)) as u64);
            Ok(())
        }
    )*};
}

impl<'a, 'w> ser::Serializer for &'a mut Enc<'w> {
    type Ok = ();
    type Error = Fault;
    type SerializeSeq = Compound<'a, 'w>;
    type SerializeTuple = Compound<'a, 'w>;
    type SerializeTupleStruct = Compound<'a, 'w>;
    type SerializeTupleVariant = ser::Impossible<(), Fault>;
    type SerializeMap = ser::Impossible<(), Fault>;
    type SerializeStruct = Compound<'a, 'w>;
    type SerializeStructVariant = ser::Impossible<(), Fault>;

    unsigned!(serialize_u8 u8, serialize_u16 u16, serialize_u32 u32, serialize_u64 u64);
    signed!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64);

    fn serialize_bool(self, v: bool) -> Result {
        self.buf.push(u8::from(v));
        Ok(())
    }

    fn serialize_f32(self, _: f32) -> Result {
        Err(outside("a float"))
    }

    fn serialize_f64(self, _: f64) -> Result {
        Err(outside("a float"))
    }

    fn serialize_char(self, v: char) -> Result {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(outside("a byte string"))
    }

    fn serialize_none(self) -> Result {
        self.buf.push(0);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        self.buf.push(1);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Result {
        varint(&mut self.buf, u64::from(index));
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result {
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result {
        varint(&mut self.buf, u64::from(index));
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        // The lists of the top-level struct go in blocks; lists inside members by length.
        let blocked = self.depth == 1;
        if blocked {
            self.flush_raw()?;
            self.lists.push((self.written, 0));
        } else {
            let len = len.ok_or_else(|| outside("a list of unknown length"))?;
            varint(&mut self.buf, len as u64);
        }
        Ok(Compound {
            enc: self,
            blocked,
            count: 0,
            top: false,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Ok(Compound {
            enc: self,
            blocked: false,
            count: 0,
            top: false,
        })
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.serialize_tuple(0)
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

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        let top = self.depth == 0;
        self.depth += 1;
        Ok(Compound {
            enc: self,
            blocked: false,
            count: 0,
            top,
        })
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
