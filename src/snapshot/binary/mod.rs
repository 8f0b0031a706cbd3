//! The binary copy of a snapshot: `NAME.bin` beside `NAME` (`graph.ron.bin`), the same snapshot
//! in a form that loads several times faster than its RON text, because nothing in it is parsed:
//! no field names, no white space, no escapes, and repeated strings written once per block.
//!
//! The RON file stays the snapshot; the copy is a cache of it. It is written with the RON, and its
//! header holds the length and a hash of the RON bytes it was made from, and the RON file's
//! [`Stamp`] (length, modification time, inode) as it was when the copy was written. A load uses
//! the copy only when it was made from the RON as it is now:
//!
//! - when the RON's stamp is the recorded one, and that modification time is older than the
//!   copy itself, the file has not been written since (the quick check `make`, `rsync` and
//!   git's index make; git's "racy" case, a write within the same clock tick as the copy, falls
//!   to the next check);
//! - otherwise a load hashes the RON file while it decodes the copy, and uses the copy only when
//!   length and hash match.
//!
//! So an edited, replaced or truncated RON file is never shadowed by an old copy. A copy that is
//! missing, stale, of another version or unreadable is ignored and the RON is read as before:
//! deleting it is safe.
//!
//! Layout: the header, the schema number, then each list of the snapshot in its order as blocks
//! of up to [`BLOCK`] members and about [`BLOCK_BYTES`] bytes (`byte length, member count,
//! checksum, bytes`), closed by an empty block (`0, 0`), and last a trailer: where each list
//! starts and how many members it has, then the number of lists (all little-endian `u64`s). So
//! lists are read side by side, each block into one reused buffer, the copy never held whole; a
//! block whose bytes do not match its checksum makes the whole copy unusable.
//!
//! In a block, values are written by position in serde's data model: integers as LEB128 varints
//! (signed ones zigzagged), options and booleans as a byte, unit variants by index, lists by
//! length then members, structs by their fields in order. A string is either a reference to one
//! of the block's recent strings (a table of [`SLOTS`] slots chosen by hash) or its bytes and the
//! slot they take. Every block starts with an empty table, so blocks decode independently.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::Fault;
use crate::model::{Snapshot, SCHEMA_VERSION};

mod decode;
mod encode;
mod view;

use decode::Dec;
pub use encode::to_writer;
pub use view::{map, Mapped};

/// The first bytes of a copy, with the layout's version: a copy of another layout is ignored.
const MAGIC: &[u8; 16] = b"cadregraph-bin2\n";

/// Members of a list per block, at most.
const BLOCK: usize = 4096;

/// Bytes of a block, at most, unless one member is larger: a block ends after the member that
/// reaches this. (A graph of a few posts with long evidence lists would otherwise make one
/// block of all its holdings, held in memory whole while it is written.)
const BLOCK_BYTES: usize = 1 << 20;

/// Slots of a block's table of recent strings (a power of two).
const SLOTS: usize = 1 << 12;

/// The copy of the snapshot at `ron`.
pub fn path_of(ron: &Path) -> PathBuf {
    let mut name = ron.as_os_str().to_owned();
    name.push(".bin");
    PathBuf::from(name)
}

/// The length and a hash of some bytes: what a copy knows of the RON text it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub len: u64,
    pub hash: u64,
}

/// Hashes bytes fed in pieces of any size (the same bytes give the same [`Identity`] however
/// they are cut): four lanes over 32-byte blocks, each step a bijection of the lane, so a
/// change to any one word always changes the hash.
#[derive(Debug, Clone)]
pub struct Hasher {
    lanes: [u64; 4],
    pending: [u8; 32],
    filled: usize,
    len: u64,
}

const K: u64 = 0x517c_c1b7_2722_0a95;

fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(K)
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher {
            lanes: [1, 2, 3, 4],
            pending: [0; 32],
            filled: 0,
            len: 0,
        }
    }
}

impl Hasher {
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.filled > 0 {
            let take = (32 - self.filled).min(bytes.len());
            self.pending[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 32 {
                return;
            }
            let block = self.pending;
            self.block(&block);
            self.filled = 0;
        }
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            self.block(block);
        }
        let rest = blocks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// Step each lane over its word of a 32-byte block.
    fn block(&mut self, block: &[u8]) {
        for (lane, word) in self.lanes.iter_mut().zip(block.chunks_exact(8)) {
            let mut w = [0; 8];
            w.copy_from_slice(word);
            *lane = mix(*lane, u64::from_le_bytes(w));
        }
    }

    pub fn finish(&self) -> Identity {
        let mut h = self.lanes.iter().fold(self.len, |h, &lane| mix(h, lane));
        for &b in &self.pending[..self.filled] {
            h = mix(h, u64::from(b));
        }
        Identity {
            len: self.len,
            hash: h,
        }
    }
}

/// What the file system says of a file: length, modification time (nanoseconds since the
/// epoch) and inode (0 where there is none). A file written again gets another time; another
/// file moved to its name, another inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: u64,
    pub inode: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: meta.len(),
            modified: nanos(meta),
            inode,
        }
    }
}

/// A file's modification time in nanoseconds since the epoch; 0 when the system keeps none.
fn nanos(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The hash of a block of a copy, which the block's frame carries.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = Hasher::default();
    h.update(bytes);
    h.finish().hash
}

/// A writer that hashes what goes through it.
pub struct Hashing<'h, W> {
    pub inner: W,
    pub hasher: &'h mut Hasher,
}

impl<W: Write> Write for Hashing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The identity of a file's bytes, read a few megabytes at a time.
fn identity_of(path: &Path) -> std::io::Result<Identity> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Hasher::default();
    let mut buf = vec![0; 4 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(hasher.finish()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

type Result<T = ()> = std::result::Result<T, Fault>;

/// A position in some bytes of a copy: what both of its readers ([`Dec`] through serde, and
/// the view's reader) step through.
pub(super) struct Cursor<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn byte(&mut self) -> Result<u8> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| Fault("the copy ends early".into()))?;
        self.pos += 1;
        Ok(b)
    }

    pub(super) fn varint(&mut self) -> Result<u64> {
        leb128(|| self.byte())
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| Fault("the copy ends early".into()))?;
        let piece = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(piece)
    }
}

/// A LEB128 number from its bytes, as [`varint`] writes it.
#[inline]
fn leb128(mut byte: impl FnMut() -> Result<u8>) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = byte()?;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(v);
        }
    }
    Err(Fault("a number too long".into()))
}

/// The lists of a snapshot, in its field order: documents, persons, bodies, places, holdings,
/// congresses, meetings.
const LISTS: usize = 7;

/// Where a list starts in the copy, and how many members it has.
#[derive(Debug, Clone, Copy)]
struct ListAt {
    start: u64,
    count: u64,
}

fn read_varint(r: &mut impl Read) -> Result<u64> {
    leb128(|| {
        let mut b = [0];
        r.read_exact(&mut b)?;
        Ok(b[0])
    })
}

fn read_u64(r: &mut impl Read) -> Result<u64> {
    let mut b = [0; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// Read one list from the copy at `path` (`size` bytes long): block by block, each read into
/// the same buffer and decoded from it.
fn read_list<T: DeserializeOwned>(
    path: &Path,
    size: u64,
    at: ListAt,
    parts: Parts,
) -> Result<Vec<T>> {
    match parts {
        Parts::All => read_members(path, size, at),
        Parts::WithoutEvidence => crate::model::without_evidence(|| read_members(path, size, at)),
    }
}

fn read_members<T: DeserializeOwned>(path: &Path, size: u64, at: ListAt) -> Result<Vec<T>> {
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(at.start))?;
    let mut r = std::io::BufReader::with_capacity(64 << 10, file);
    // Every member takes a byte at least, so a damaged count asks for no more members than
    // the copy has bytes; and room that cannot be had is an error (the RON is read), not an
    // abort.
    let mut out = Vec::new();
    out.try_reserve_exact(usize::try_from(at.count.min(size)).unwrap_or(0))
        .map_err(|e| Fault(e.to_string()))?;
    let mut buf = Vec::new();
    loop {
        let (len, count) = (read_varint(&mut r)?, read_varint(&mut r)?);
        if len == 0 && count == 0 {
            break;
        }
        let sum = read_u64(&mut r)?;
        buf.clear();
        if (&mut r).take(len).read_to_end(&mut buf)? as u64 != len {
            return Err(Fault("the copy ends early".into()));
        }
        if checksum(&buf) != sum {
            return Err(Fault("a damaged block".into()));
        }
        let mut dec = Dec::new(&buf);
        for _ in 0..count {
            out.push(T::deserialize(&mut dec)?);
        }
        if dec.pos != buf.len() {
            return Err(Fault("a block holds more than its members".into()));
        }
    }
    if out.len() as u64 != at.count {
        return Err(Fault("a list holds other than its count".into()));
    }
    Ok(out)
}

/// The snapshot at `ron` read from its copy, when there is a copy and it was made from exactly
/// the bytes `ron` holds now; `None` otherwise (the caller reads the RON).
pub fn load(ron: &Path, parts: Parts) -> Option<Snapshot> {
    read_copy(ron, parts).ok()
}

/// What of a snapshot a load reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    All,
    /// Everything but the evidence lists, which are left empty.
    WithoutEvidence,
}

/// A copy opened: its file, header and trailer read and checked against the RON at hand.
struct Opened {
    file: std::fs::File,
    size: u64,
    schema: u32,
    at: [ListAt; LISTS],
    /// What the copy was made from.
    made_from: Identity,
    /// The RON's stamp shows it unchanged since: no need to hash it.
    unchanged: bool,
}

/// Open the copy of the snapshot at `ron`: an error when there is none, when it is of another
/// version or schema, or when the RON's length is not the one it was made from.
fn open(ron: &Path) -> Result<Opened> {
    let path = path_of(ron);
    let mut file = std::fs::File::open(&path)?;
    let size = file.metadata()?.len();
    let mut magic = [0; MAGIC.len()];
    file.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(Fault("not a copy of this version".into()));
    }
    let made_from = Identity {
        len: read_u64(&mut file)?,
        hash: read_u64(&mut file)?,
    };
    let stamped = Stamp {
        len: made_from.len,
        modified: read_u64(&mut file)?,
        inode: read_u64(&mut file)?,
    };
    let now = Stamp::of(&std::fs::metadata(ron)?);
    if now.len != made_from.len {
        return Err(Fault("the copy was made from another text".into()));
    }
    // Not written since the copy was made: no need to hash it (see the module's notes).
    let unchanged =
        now == stamped && stamped.modified != 0 && stamped.modified < nanos(&file.metadata()?);
    let schema = u32::try_from(read_varint(&mut file)?).unwrap_or(u32::MAX);
    if schema != SCHEMA_VERSION {
        return Err(Fault(format!("schema version {schema}")));
    }
    let trailer = (16 * LISTS + 8) as i64;
    file.seek(SeekFrom::End(-trailer))?;
    let mut at = [ListAt { start: 0, count: 0 }; LISTS];
    for list in &mut at {
        *list = ListAt {
            start: read_u64(&mut file)?,
            count: read_u64(&mut file)?,
        };
    }
    if read_u64(&mut file)? != LISTS as u64 {
        return Err(Fault("another number of lists".into()));
    }
    Ok(Opened {
        file,
        size,
        schema,
        at,
        made_from,
        unchanged,
    })
}

fn read_copy(ron: &Path, parts: Parts) -> Result<Snapshot> {
    let Opened {
        size,
        schema,
        at,
        made_from,
        unchanged,
        ..
    } = open(ron)?;
    let path = path_of(ron);
    // The RON is hashed on a thread of its own while the pool decodes the copy: one thread the
    // lists up to persons and bodies (a third of a national snapshot), the other the holdings
    // (half of it) and the rest.
    let (lists, now) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| match unchanged {
            true => Ok(made_from),
            false => identity_of(ron),
        });
        let lists = rayon::join(
            || -> Result<_> {
                Ok((
                    read_list(&path, size, at[0], parts)?,
                    read_list(&path, size, at[1], parts)?,
                    read_list(&path, size, at[2], parts)?,
                ))
            },
            || -> Result<_> {
                Ok((
                    read_list(&path, size, at[3], parts)?,
                    read_list(&path, size, at[4], parts)?,
                    read_list(&path, size, at[5], parts)?,
                    read_list(&path, size, at[6], parts)?,
                ))
            },
        );
        (lists, hashing.join())
    });
    if now.map_err(|_| Fault("hashing failed".into()))?? != made_from {
        return Err(Fault("the copy was made from another text".into()));
    }
    let (documents, persons, bodies) = lists.0?;
    let (places, holdings, congresses, meetings) = lists.1?;
    Ok(Snapshot {
        schema,
        documents,
        persons,
        bodies,
        places,
        holdings,
        congresses,
        meetings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Status;
    use crate::gazetteer::{BodyKind, Level, PlaceKind};
    use crate::model::{
        Body, Congress, DocumentRecord, Evidence, Holding, Meeting, Person, Place, Text, View,
    };
    use proptest::prelude::*;

    /// A snapshot with every list filled: `holdings` holdings of persons named from `names`.
    fn sample(names: &[String], holdings: usize, n: usize) -> Snapshot {
        let name = |i: usize| -> Text {
            names
                .get(i % names.len().max(1))
                .map_or("Nguyễn Văn An", |s| s.as_str())
                .into()
        };
        let ev = |i: usize| Evidence {
            doc: format!("d{}", i % 7).into(),
            start: n.wrapping_add(i),
            end: n / 3,
            published: Some(Text::from("2020-10-16")).filter(|_| i % 2 == 0),
            rule: name(i + 1),
            former: i % 3 == 0,
        };
        let mut s = Snapshot {
            documents: vec![DocumentRecord {
                id: name(0),
                published: None,
                province: Some("Nghệ An".into()),
                url: Some(name(1)),
            }],
            bodies: vec![Body {
                id: "body/b".into(),
                name: name(2),
                kind: BodyKind::PeoplesCommittee,
                level: Some(Level::Commune),
                place: None,
                parent: Some("body/a".into()),
                valid_from: None,
                valid_to: Some("2025-06-30".into()),
                evidence: vec![ev(1)],
            }],
            places: vec![Place {
                id: "place/nghe-an".into(),
                name: "Nghệ An".into(),
                level: Level::Province,
                kind: Some(PlaceKind::Province),
                province: None,
                valid_from: None,
                valid_to: None,
                successor: None,
            }],
            congresses: vec![Congress {
                id: "congress/x".into(),
                body: "body/b".into(),
                ordinal: Some(19),
                term: Some("2020-2025".into()),
                dates: None,
                delegates: Some(n as u32),
                elected: vec![name(3), name(4)],
                chairs: vec![],
                evidence: vec![ev(2), ev(3)],
            }],
            meetings: vec![Meeting {
                id: "meeting/y".into(),
                name: name(5),
                date: None,
                body: None,
                chairs: vec![name(6)],
                evidence: vec![],
            }],
            ..Snapshot::default()
        };
        for i in 0..holdings {
            let person: Text = format!("person/{i}").into();
            s.persons.push(Person {
                id: person.clone(),
                name: name(i),
                aliases: vec![name(i), name(i + 1)],
                anchor: "Nghệ An".into(),
                reasons: vec![],
                evidence: vec![ev(i)],
            });
            s.holdings.push(Holding {
                id: format!("holding/{i}").into(),
                person,
                title: name(i + 2),
                rank: i as u32,
                body: Some("body/b".into()).filter(|_| i % 4 != 0),
                term: Some("2020-2025".into()),
                start: None,
                end: Some(name(i)),
                status: if i % 5 == 0 {
                    Status::Former
                } else {
                    Status::Current
                },
                elected_at: None,
                evidence: vec![ev(i), ev(i + 1)],
            });
        }
        s
    }

    fn saved(s: &Snapshot) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        crate::snapshot::save(&path, s).unwrap();
        (dir, path)
    }

    proptest! {
        /// Any strings and numbers: the copy is written beside the RON and reads back as the
        /// same snapshot.
        #[test]
        fn a_copy_reads_back_as_its_snapshot(
            names in prop::collection::vec(any::<String>(), 0..5),
            holdings in 0..12usize,
            n in any::<usize>(),
        ) {
            let s = sample(&names, holdings, n);
            let (_dir, path) = saved(&s);
            prop_assert_eq!(read_copy(&path, Parts::All).unwrap(), s);
        }

        /// However the bytes are cut, they hash the same.
        #[test]
        fn the_hash_does_not_depend_on_the_pieces(
            bytes in prop::collection::vec(any::<u8>(), 0..200),
            cuts in prop::collection::vec(any::<usize>(), 0..6),
        ) {
            let mut whole = Hasher::default();
            whole.update(&bytes);
            let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
            cuts.sort_unstable();
            let mut pieces = Hasher::default();
            let mut at = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                pieces.update(&bytes[at..cut]);
                at = cut;
            }
            prop_assert_eq!(pieces.finish(), whole.finish());
            prop_assert_eq!(whole.finish().len, bytes.len() as u64);
        }

        /// A damaged copy (bytes changed or cut off anywhere) is never used and never panics:
        /// the snapshot loads from its RON.
        #[test]
        fn a_damaged_copy_is_ignored(
            flips in prop::collection::vec((any::<usize>(), 1..=255u8), 1..4),
            cut in any::<Option<usize>>(),
        ) {
            let s = sample(&["Lê Thị Hoa".to_string(), "x\"y\n".to_string()], 9, 40);
            let (_dir, path) = saved(&s);
            let copy = path_of(&path);
            let mut bytes = std::fs::read(&copy).unwrap();
            let before = bytes.clone();
            for (at, x) in flips {
                let at = at % bytes.len();
                bytes[at] ^= x;
            }
            // (Two flips of one byte may cancel out.)
            prop_assume!(bytes != before || cut.is_some());
            if let Some(cut) = cut {
                bytes.truncate(cut % bytes.len());
            }
            std::fs::write(&copy, &bytes).unwrap();
            // The recorded hash, time and inode are what the copy is checked by, not what it
            // holds: changed alone, the copy may still be used when the other check (the hash,
            // or the stamp that spares it) shows it right.
            let stamp = MAGIC.len() + 8..MAGIC.len() + 32;
            let changed = (0..bytes.len().max(before.len()))
                .filter(|&i| bytes.get(i) != before.get(i))
                .all(|i| stamp.contains(&i));
            if let Ok(read) = read_copy(&path, Parts::All) {
                prop_assert!(changed && read == s);
            }
            // A view of it is never wrong either: the view of the snapshot, or refused. (It
            // reads neither documents, places nor meetings, so damage there goes unseen.)
            if let Ok(right) = map(&path).and_then(|m| m.view().map(|v| v == View::from(&s))) {
                prop_assert!(right);
            }
            prop_assert_eq!(crate::snapshot::load(&path).unwrap(), s);
        }
    }

    proptest! {
        /// The view of a mapped copy is the view of the snapshot it was made from, strings
        /// shared with evidence through the block's table included; and a diff reads the same
        /// views with the copy or without it.
        #[test]
        fn a_mapped_copy_views_as_its_snapshot(
            names in prop::collection::vec("\\PC{0,12}", 1..5),
            holdings in 0..9usize,
        ) {
            let s = sample(&names, holdings, 3);
            let (_dir, path) = saved(&s);
            let mapped = map(&path).unwrap();
            prop_assert_eq!(mapped.view().unwrap(), View::from(&s));
            let same = |a: &View, b: &View| a == b && *a == View::from(&s);
            prop_assert!(crate::snapshot::with_views(&path, &path, same).unwrap());
            std::fs::remove_file(path_of(&path)).unwrap();
            prop_assert!(crate::snapshot::with_views(&path, &path, same).unwrap());
        }
    }

    proptest! {
        /// Read without evidence, from the copy or from the RON alone, the snapshot is the
        /// same but for empty evidence lists; the strings evidence shares with the rest of a
        /// block (a rule equal to a title) still read right.
        #[test]
        fn evidence_passed_over_leaves_the_rest(
            names in prop::collection::vec("\\PC{0,12}", 1..5),
            holdings in 0..9usize,
        ) {
            let s = sample(&names, holdings, 5);
            let (_dir, path) = saved(&s);
            let mut lean = s.clone();
            crate::snapshot::strip_evidence(&mut lean);
            prop_assert_eq!(read_copy(&path, Parts::WithoutEvidence).unwrap(), lean.clone());
            std::fs::remove_file(path_of(&path)).unwrap();
            prop_assert_eq!(crate::snapshot::load_without_evidence(&path).unwrap(), lean);
        }
    }

    #[test]
    fn lists_longer_than_a_block_read_back_whole() {
        let s = sample(&["Trần Văn Bình".to_string()], 2 * BLOCK + 3, 7);
        let (_dir, path) = saved(&s);
        assert_eq!(read_copy(&path, Parts::All).unwrap(), s);
    }

    /// A copy whose holdings are damaged after it was checked against the RON: the view of it
    /// is refused, and `with_views` reads that snapshot from its RON instead.
    #[test]
    fn a_damaged_view_is_read_from_the_ron() {
        let s = sample(&["Đinh Văn Toàn".to_string()], 6, 2);
        let (_dir, path) = saved(&s);
        let copy = path_of(&path);
        let mut bytes = std::fs::read(&copy).unwrap();
        // Inside the first block of holdings: past its frame (two varints and a checksum).
        let at = bytes.len() - 8 - 16 * LISTS + 16 * 4;
        let start = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
        bytes[start + 14] ^= 0x40;
        std::fs::write(&copy, &bytes).unwrap();
        assert!(map(&path).unwrap().view().is_err());
        let seen = crate::snapshot::with_views(&path, &path, |a, b| (a == b, *a == View::from(&s)));
        assert_eq!(seen.unwrap(), (true, true));
    }

    /// A trailer claiming more members than a list has is refused, not allocated for.
    #[test]
    fn a_count_out_of_reason_is_refused() {
        let s = sample(&["Phạm Thị Lan".to_string()], 4, 2);
        let (_dir, path) = saved(&s);
        let copy = path_of(&path);
        let mut bytes = std::fs::read(&copy).unwrap();
        // The holdings' count: the fifth list's second word in the trailer.
        let at = bytes.len() - 8 - 16 * LISTS + 16 * 4 + 8;
        bytes[at..at + 8].copy_from_slice(&(u64::MAX / 2).to_le_bytes());
        std::fs::write(&copy, &bytes).unwrap();
        assert!(read_copy(&path, Parts::All).is_err());
        assert_eq!(crate::snapshot::load(&path).unwrap(), s);
    }

    /// Members larger than a block's bytes: each ends its block, and all read back.
    #[test]
    fn large_members_end_their_blocks() {
        let long = "Nguyễn ".repeat(BLOCK_BYTES / 10);
        let s = sample(&[long, "Hà".to_string()], 5, 3);
        let (_dir, path) = saved(&s);
        assert!(std::fs::metadata(path_of(&path)).unwrap().len() > 2 * BLOCK_BYTES as u64);
        assert_eq!(read_copy(&path, Parts::All).unwrap(), s);
    }

    /// The quick check: a RON file whose stamp is the one the copy recorded, older than the
    /// copy, is not hashed. Its bytes changed behind the file system's back (the same length,
    /// the old time put back) are not seen, as with `make` or `rsync`; written again in the
    /// ordinary way, they are.
    #[test]
    fn an_unchanged_stamp_spares_the_hash() {
        let s = sample(&["Lê Văn Hải".to_string()], 3, 1);
        let (_dir, path) = saved(&s);
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        let set_time = |t| {
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(t).unwrap();
        };
        set_time(old);
        crate::snapshot::write_copy(&path, identity_of(&path).unwrap(), &s).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replace("Lê Văn Hải", "Lê Văn Hảo");
        std::fs::write(&path, &edited).unwrap();
        // Written the ordinary way: a new time, so the hash is checked and the copy refused.
        assert!(read_copy(&path, Parts::All).is_err());
        // The old time put back: the stamp matches and the copy is trusted unhashed.
        set_time(old);
        assert_eq!(read_copy(&path, Parts::All).unwrap(), s);
        // The same bytes as the copy's under a new time: hashed, and used.
        std::fs::write(&path, &text).unwrap();
        assert_eq!(read_copy(&path, Parts::All).unwrap(), s);
    }

    /// The RON changed after the copy was made, to another text of the same length or not:
    /// the RON is what loads.
    #[test]
    fn a_copy_of_other_bytes_is_ignored() {
        let s = sample(&["Lê Văn Hải".to_string()], 3, 1);
        let (_dir, path) = saved(&s);
        let text = std::fs::read_to_string(&path).unwrap();
        for edited in [
            // The same length, then another.
            text.replace("Lê Văn Hải", "Lê Văn Hảo"),
            text.replace("Lê Văn Hải", "Lê Văn Hà"),
        ] {
            std::fs::write(&path, &edited).unwrap();
            assert!(read_copy(&path, Parts::All).is_err());
            let loaded = crate::snapshot::load(&path).unwrap();
            assert_eq!(loaded, crate::snapshot::from_ron(&path, &edited).unwrap());
            assert_ne!(loaded, s);
        }
    }
}
