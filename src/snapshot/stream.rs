//! Snapshots in the writer's layout, read from the file piece by piece: the text is never held
//! whole, so reading costs the memory of the snapshot and a few megabytes more.
//!
//! The layout: each list opens on its own line (`  persons: [`) and closes on
//! its own (`  ],`), each member ends on its own line (`    ),`), and strings hold no raw line
//! break. A buffer is filled, the complete members in it are read, the rest is kept for the
//! next fill. Anything else in the text ends the attempt (`None`) and the caller reads the file
//! the ordinary way, which also reports mistakes with their line and column.

use std::io::Read;

use memchr::memmem;
use serde::de::DeserializeOwned;

use super::fast;
use crate::model::{interning, Snapshot, SCHEMA_VERSION};

/// Bytes read at a time.
const FILL: usize = 8 << 20;

/// Pieces of text at least this long are read in two halves side by side.
const SPLIT: usize = 1 << 20;

/// How a member of a list ends: its closing line (nested values are indented deeper).
const MEMBER_END: &[u8] = b"\n    ),\n";

struct Stream<R> {
    reader: R,
    buf: Vec<u8>,
    /// Bytes of `buf` already read.
    pos: usize,
    eof: bool,
}

impl<R: Read> Stream<R> {
    /// Read more, keeping what is not read yet.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        self.buf.drain(..self.pos);
        self.pos = 0;
        // Appended without zeroing the buffer first.
        let got = (&mut self.reader)
            .take(FILL as u64)
            .read_to_end(&mut self.buf)?;
        self.eof = got < FILL;
        Ok(got > 0)
    }

    /// The unread bytes start with `text` (reading more as needed); they are then read.
    fn expect(&mut self, text: &str) -> std::io::Result<bool> {
        while self.buf.len() - self.pos < text.len() {
            if !self.fill()? {
                return Ok(false);
            }
        }
        let found = self.buf[self.pos..].starts_with(text.as_bytes());
        if found {
            self.pos += text.len();
        }
        Ok(found)
    }

    /// The members of the list whose opening line was just read, up to and with its closing
    /// line.
    fn list<T: DeserializeOwned + Send>(&mut self) -> std::io::Result<Option<Vec<T>>> {
        if self.expect("],\n")? {
            return Ok(Some(Vec::new()));
        }
        if !self.expect("\n")? {
            return Ok(None);
        }
        let close = memmem::Finder::new(b"\n  ],\n");
        let member_end = memmem::FinderRev::new(MEMBER_END);
        let mut out = Vec::new();
        loop {
            let rest = &self.buf[self.pos..];
            // The list's end when it is in the buffer, else the end of the last whole member.
            let (end, last) = match close.find(rest) {
                Some(i) => (i + 1, true),
                None => match member_end.rfind(rest) {
                    Some(i) => (i + 7, false),
                    None => (0, false),
                },
            };
            if end > 0 {
                if !members(&rest[..end], &mut out, SPLIT) {
                    return Ok(None);
                }
                self.pos += end;
            }
            if last {
                return Ok(self.expect("  ],\n")?.then_some(out));
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }
}

/// Read the whole members of a list in `text` onto `out`: when `text` is at least `split`
/// long, its two halves (cut after a member) on two threads. Strings are interned on each.
/// False when the text is not UTF-8 or does not read.
fn members<T: DeserializeOwned + Send>(text: &[u8], out: &mut Vec<T>, split: usize) -> bool {
    let read = |text: &[u8], out: &mut Vec<T>| {
        std::str::from_utf8(text).is_ok_and(|text| interning(|| fast::items(text, out).is_ok()))
    };
    let half = text.len() / 2;
    let cut = memmem::find(&text[half..], MEMBER_END).map(|i| half + i + 7);
    match cut {
        // The cut is at a line break: both halves are UTF-8 if the whole is.
        Some(cut) if text.len() >= split => {
            let (a, b) = text.split_at(cut);
            let mut rest = Vec::new();
            let (x, y) = rayon::join(|| read(a, out), || read(b, &mut rest));
            out.append(&mut rest);
            x && y
        }
        _ => read(text, out),
    }
}

/// Read a snapshot written in the writer's layout from `reader`; `None` when the text is laid
/// out otherwise or does not read.
pub fn read(reader: impl Read) -> std::io::Result<Option<Snapshot>> {
    let mut s = Stream {
        reader,
        buf: Vec::with_capacity(FILL + (1 << 20)),
        pos: 0,
        eof: false,
    };
    if !s.expect(&format!("(\n  schema: {SCHEMA_VERSION},\n"))? {
        return Ok(None);
    }
    macro_rules! list {
        ($name:literal) => {{
            if !s.expect(concat!("  ", $name, ": ["))? {
                return Ok(None);
            }
            match s.list()? {
                Some(v) => v,
                None => return Ok(None),
            }
        }};
    }
    let snapshot = Snapshot {
        schema: SCHEMA_VERSION,
        documents: list!("documents"),
        persons: list!("persons"),
        bodies: list!("bodies"),
        places: list!("places"),
        holdings: list!("holdings"),
        congresses: list!("congresses"),
        meetings: list!("meetings"),
    };
    if !s.expect(")")? {
        return Ok(None);
    }
    // Nothing but white space after the end.
    loop {
        if s.buf[s.pos..].iter().any(|b| !b.is_ascii_whitespace()) {
            return Ok(None);
        }
        s.pos = s.buf.len();
        if !s.fill()? {
            return Ok(Some(snapshot));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Person};

    fn snapshot(persons: usize) -> Snapshot {
        let mut s = Snapshot::default();
        for i in 0..persons {
            s.persons.push(Person {
                id: format!("person/{i:04}").into(),
                name: format!("Nguyễn Văn \"{i}\"\n").into(),
                aliases: vec![],
                anchor: "Nghệ An".into(),
                reasons: vec![],
                evidence: vec![Evidence {
                    doc: format!("d{i}").into(),
                    start: i,
                    end: i + 1,
                    published: None,
                    rule: "r".into(),
                    former: false,
                }],
            });
        }
        s
    }

    /// A reader that hands out a few bytes at a time, to cut the text everywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn reads_the_writers_layout_piece_by_piece() {
        for n in [0, 1, 40] {
            let s = snapshot(n);
            let text = super::super::to_ron(&s);
            for step in [1, 7, 1000] {
                let read = read(Trickle(text.as_bytes(), step)).unwrap();
                assert_eq!(read.as_ref(), Some(&s), "{n} persons, {step} bytes a read");
            }
        }
    }

    #[test]
    fn members_read_in_halves_as_in_one_piece() {
        let s = snapshot(40);
        let text = super::super::to_ron(&s);
        let start = text.find("persons: [\n").unwrap() + "persons: [\n".len();
        let end = text.find("\n  ],\n  bodies").unwrap() + 1;
        let list = &text[start..end];
        for split in [0, list.len(), list.len() + 1] {
            let mut out: Vec<Person> = Vec::new();
            assert!(
                members(list.as_bytes(), &mut out, split),
                "split at {split}"
            );
            assert_eq!(out, s.persons, "split at {split}");
        }
        let broken = list.replacen("start: 39,", "start: x,", 1);
        assert!(!members::<Person>(broken.as_bytes(), &mut Vec::new(), 0));
        let mut bad = list.as_bytes().to_vec();
        bad[5] = 0xFF;
        assert!(!members::<Person>(&bad, &mut Vec::new(), 0));
    }

    #[test]
    fn other_layouts_and_broken_text_are_left_to_the_caller() {
        let s = snapshot(3);
        let text = super::super::to_ron(&s);
        let compact = ron::to_string(&s).unwrap();
        let broken = text.replacen("start: 1,", "start: x,", 1);
        for bad in [
            compact.as_str(),
            broken.as_str(),
            &text[..text.len() - 3],
            &format!("{text}x"),
        ] {
            assert_eq!(read(bad.as_bytes()).unwrap(), None, "{bad}");
        }
    }
}
