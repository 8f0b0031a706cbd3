//! Reading a copy as a [`View`]: the file mapped into memory, each block's checksum checked,
//! the members of persons, bodies, holdings and congresses read field by field in the model's
//! order, every string kept borrowed from the mapping, and what a diff does not read (evidence,
//! aliases, terms …) stepped over. Documents, places and meetings are not read at all.
//!
//! Nothing is allocated per member but the view's own rows, and the mapped pages are the page
//! cache's own: no fresh memory is zeroed for them.

use std::path::Path;

use serde::de::IntoDeserializer;
use serde::Deserialize;

use super::{open, Cursor, ListAt, Result, SLOTS};
use crate::facts::Status;
use crate::model::{HoldingView, NodeView, View};
use crate::snapshot::Fault;

/// The copy of a snapshot, mapped: see [`map`].
pub struct Mapped {
    map: memmap2::Mmap,
    at: [ListAt; super::LISTS],
}

/// The copy of the snapshot at `ron`, mapped, when it was made from the RON's bytes as they are
/// now (hashed unless the file's stamp shows it unchanged); an error otherwise.
pub fn map(ron: &Path) -> Result<Mapped> {
    let opened = open(ron)?;
    if !opened.unchanged && super::identity_of(ron)? != opened.made_from {
        return Err(Fault("the copy was made from another text".into()));
    }
    // SAFETY: the map is read-only, and cadregraph never writes a copy in place: a new copy is
    // written to a temporary file and renamed over the old one, so the mapped file keeps its
    // bytes. Only another program truncating the copy while it is read could take pages away.
    let map = unsafe { memmap2::Mmap::map(&opened.file)? };
    Ok(Mapped { map, at: opened.at })
}

impl Mapped {
    /// The view of the mapped copy: persons and congresses on one thread, bodies and holdings
    /// on another. An error when a block is damaged or does not read as the model's fields.
    pub fn view(&self) -> Result<View<'_>> {
        let bytes: &[u8] = &self.map;
        let (left, right) = rayon::join(
            || -> Result<_> {
                let persons = list(bytes, self.at[1], person)?;
                Ok((persons, list(bytes, self.at[5], congress)?))
            },
            || -> Result<_> {
                let bodies = list(bytes, self.at[2], body)?;
                Ok((bodies, list(bytes, self.at[4], holding)?))
            },
        );
        let ((persons, congresses), (bodies, holdings)) = (left?, right?);
        Ok(View {
            persons,
            bodies,
            holdings,
            congresses,
        })
    }
}

/// The members of one list, block by block, each read by `member`.
fn list<'a, T>(
    bytes: &'a [u8],
    at: ListAt,
    member: fn(&mut Walk<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let early = || Fault("the copy ends early".into());
    let mut pos = usize::try_from(at.start).map_err(|_| early())?;
    let mut out = Vec::new();
    out.try_reserve_exact(usize::try_from(at.count.min(bytes.len() as u64)).unwrap_or(0))
        .map_err(|e| Fault(e.to_string()))?;
    let mut walk = Walk {
        cur: Cursor { bytes: &[], pos: 0 },
        table: vec![None; SLOTS],
        texts: vec![None; SLOTS],
    };
    loop {
        let mut head = Cursor { bytes, pos };
        let (len, count) = (head.varint()?, head.varint()?);
        if len == 0 && count == 0 {
            break;
        }
        let sum = head.take(8)?;
        let sum = u64::from_le_bytes(sum.try_into().map_err(|_| early())?);
        let len = usize::try_from(len).map_err(|_| early())?;
        let block = head.take(len)?;
        pos = head.pos;
        if super::checksum(block) != sum {
            return Err(Fault("a damaged block".into()));
        }
        walk.bytes = block;
        walk.pos = 0;
        walk.table.fill(None);
        walk.texts.fill(None);
        for _ in 0..count {
            out.push(member(&mut walk)?);
        }
        if walk.pos != block.len() {
            return Err(Fault("a block holds more than its members".into()));
        }
    }
    if out.len() as u64 != at.count {
        return Err(Fault("a list holds other than its count".into()));
    }
    Ok(out)
}

/// A reader over one block's bytes, with the block's table of recent strings.
struct Walk<'a> {
    cur: Cursor<'a>,
    table: Vec<Option<&'a [u8]>>,
    /// The slots' strings once checked as UTF-8: a string read again is not checked again.
    texts: Vec<Option<&'a str>>,
}

impl<'a> std::ops::Deref for Walk<'a> {
    type Target = Cursor<'a>;

    fn deref(&self) -> &Cursor<'a> {
        &self.cur
    }
}

impl std::ops::DerefMut for Walk<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.cur
    }
}

impl<'a> Walk<'a> {
    /// A string's slot and bytes: a slot of the table, or bytes that take a slot (as
    /// `Dec::text`).
    fn slot(&mut self) -> Result<(usize, &'a [u8])> {
        let tag = self.varint()?;
        let bad_slot = || Fault("a string slot out of range".into());
        let number = |v: u64| usize::try_from(v).map_err(|_| bad_slot());
        if tag & 1 == 1 {
            let at = number(tag >> 1)?;
            let bytes = self.table.get(at).copied().flatten().ok_or_else(bad_slot)?;
            return Ok((at, bytes));
        }
        let len = number(tag >> 1)?;
        let at = number(self.varint()?)?;
        let bytes = self.take(len)?;
        *self.table.get_mut(at).ok_or_else(bad_slot)? = Some(bytes);
        self.texts[at] = None;
        Ok((at, bytes))
    }

    /// A string passed over (it still takes its slot).
    fn raw(&mut self) -> Result<&'a [u8]> {
        self.slot().map(|(_, bytes)| bytes)
    }

    fn text(&mut self) -> Result<&'a str> {
        let (at, bytes) = self.slot()?;
        if let Some(text) = self.texts[at] {
            return Ok(text);
        }
        let text = std::str::from_utf8(bytes).map_err(|e| Fault(e.to_string()))?;
        self.texts[at] = Some(text);
        Ok(text)
    }

    /// Whether an option holds a value.
    fn some(&mut self) -> Result<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Fault("an option neither none nor some".into())),
        }
    }

    fn opt_text(&mut self) -> Result<Option<&'a str>> {
        match self.some()? {
            true => self.text().map(Some),
            false => Ok(None),
        }
    }

    fn skip_opt_text(&mut self) -> Result<()> {
        if self.some()? {
            self.raw()?;
        }
        Ok(())
    }

    fn skip_opt_number(&mut self) -> Result<()> {
        if self.some()? {
            self.varint()?;
        }
        Ok(())
    }

    /// A list of strings, each still taking its slot.
    fn skip_texts(&mut self) -> Result<()> {
        for _ in 0..self.varint()? {
            self.raw()?;
        }
        Ok(())
    }

    /// An evidence list: document, start, end, publication date, rule, former.
    fn skip_evidence(&mut self) -> Result<()> {
        for _ in 0..self.varint()? {
            self.raw()?;
            self.varint()?;
            self.varint()?;
            self.skip_opt_text()?;
            self.raw()?;
            self.byte()?;
        }
        Ok(())
    }
}

/// A person: id, name, aliases, anchor, reasons, evidence.
fn person<'a>(w: &mut Walk<'a>) -> Result<NodeView<'a>> {
    let (id, name) = (w.text()?, w.text()?);
    w.skip_texts()?;
    w.raw()?;
    w.skip_texts()?;
    w.skip_evidence()?;
    Ok(NodeView { id, name })
}

/// A body: id, name, kind, level, place, parent, valid from, valid to, evidence.
fn body<'a>(w: &mut Walk<'a>) -> Result<NodeView<'a>> {
    let (id, name) = (w.text()?, w.text()?);
    w.varint()?;
    w.skip_opt_number()?;
    for _ in 0..4 {
        w.skip_opt_text()?;
    }
    w.skip_evidence()?;
    Ok(NodeView { id, name })
}

/// A holding: id, person, title, rank, body, term, start, end, status, elected at, evidence.
fn holding<'a>(w: &mut Walk<'a>) -> Result<HoldingView<'a>> {
    let (id, person, title) = (w.text()?, w.text()?, w.text()?);
    let rank = u32::try_from(w.varint()?).map_err(|_| Fault("a rank out of range".into()))?;
    let body = w.opt_text()?;
    w.skip_opt_text()?;
    let (start, end) = (w.opt_text()?, w.opt_text()?);
    let index = u32::try_from(w.varint()?).unwrap_or(u32::MAX);
    let index: serde::de::value::U32Deserializer<Fault> = index.into_deserializer();
    let status = Status::deserialize(index)?;
    w.skip_opt_text()?;
    w.skip_evidence()?;
    Ok(HoldingView {
        id,
        person,
        title,
        rank,
        body,
        start,
        end,
        status,
    })
}

/// A congress: id, body, ordinal, term, dates, delegates, elected, chairs, evidence.
fn congress<'a>(w: &mut Walk<'a>) -> Result<&'a str> {
    let id = w.text()?;
    w.raw()?;
    w.skip_opt_number()?;
    w.skip_opt_text()?;
    w.skip_opt_text()?;
    w.skip_opt_number()?;
    w.skip_texts()?;
    w.skip_texts()?;
    w.skip_evidence()?;
    Ok(id)
}
