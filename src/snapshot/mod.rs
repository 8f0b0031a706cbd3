//! Snapshots: the graph as versioned RON, written atomically, read back refusing other schema
//! versions and truncated files. Never petgraph's own serialisation: ids are stable strings and
//! lists are sorted, so the same input gives the same bytes.

use std::io::Write;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::{Snapshot, View, SCHEMA_VERSION};

/// Why one of this module's own readers or writers stopped: a write failed, the value is outside
/// the snapshot subset of serde's data model, or the text (or binary copy) does not read. The
/// callers fall back to the `ron` crate or to the RON text, or report it as an [`Error`].
#[derive(Debug)]
struct Fault(String);

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fault {}

impl serde::ser::Error for Fault {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Fault(msg.to_string())
    }
}

impl serde::de::Error for Fault {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Fault(msg.to_string())
    }
}

impl From<std::io::Error> for Fault {
    fn from(e: std::io::Error) -> Self {
        Fault(e.to_string())
    }
}

/// A value outside what snapshots are made of.
fn outside(what: &str) -> Fault {
    Fault(format!("{what} is not part of the snapshot format"))
}

mod binary;
mod fast;
mod stream;
mod write;

/// The snapshot as RON text.
pub fn to_ron(s: &Snapshot) -> String {
    let mut bytes = Vec::new();
    write::to_writer(&mut bytes, s).expect("snapshots serialise");
    bytes.push(b'\n');
    String::from_utf8(bytes).expect("the writer writes UTF-8")
}

/// Read a snapshot from RON text; `path` names it in errors.
///
/// Snapshots as cadregraph writes them go through a fast reader for that subset of RON; any
/// other text (hand-edited, commented, or broken) is read by the `ron` crate, which also names
/// the line and column of a mistake.
pub fn from_ron(path: &Path, text: &str) -> Result<Snapshot> {
    crate::model::interning(|| read_ron(path, text))
}

fn read_ron(path: &Path, text: &str) -> Result<Snapshot> {
    #[derive(Deserialize)]
    struct Header {
        schema: u32,
    }
    let bad = |e: ron::error::SpannedError| Error::Snapshot {
        path: path.to_path_buf(),
        line: e.position.line,
        col: e.position.col,
        message: e.code.to_string(),
    };
    let schema = match fast::leading_number(text, "schema") {
        Some(n) => u32::try_from(n).unwrap_or(u32::MAX),
        None => ron::from_str::<Header>(text).map_err(bad)?.schema,
    };
    if schema != SCHEMA_VERSION {
        return Err(Error::SnapshotVersion {
            path: path.to_path_buf(),
            found: schema,
            expected: SCHEMA_VERSION,
        });
    }
    if let Ok(Some(s)) = stream::read(text.as_bytes()) {
        return Ok(s);
    }
    match fast::from_str(text) {
        Ok(s) => Ok(s),
        Err(_) => ron::from_str(text).map_err(bad),
    }
}

pub use binary::path_of as binary_copy_path;

/// The snapshot at `path` from its binary copy alone: `None` when there is none that matches.
#[cfg(test)]
pub(crate) fn load_copy(path: &Path) -> Option<Snapshot> {
    binary::load(path, binary::Parts::All)
}

/// Load a snapshot file: from its binary copy when that was made from exactly this file's bytes
/// (see [`binary_copy_path`]), else as the RON is read when it is in the layout cadregraph
/// writes, else whole.
///
/// Strings that repeat are shared as they are read (see [`crate::model::Text`]).
pub fn load(path: &Path) -> Result<Snapshot> {
    if let Some(s) = binary::load(path, binary::Parts::All) {
        return Ok(s);
    }
    crate::model::interning(|| load_file(path))
}

/// [`load`] without the evidence: every `evidence` list of the snapshot is empty. From a binary
/// copy the evidence is passed over as it is read, so the snapshot takes less memory and time;
/// for work that needs none, such as a diff.
pub fn load_without_evidence(path: &Path) -> Result<Snapshot> {
    if let Some(s) = binary::load(path, binary::Parts::WithoutEvidence) {
        return Ok(s);
    }
    let mut s = load(path)?;
    strip_evidence(&mut s);
    Ok(s)
}

/// A snapshot file as a diff reads it: its binary copy mapped, or the snapshot loaded without
/// evidence.
enum Source {
    Mapped(binary::Mapped),
    Loaded(Snapshot),
}

impl Source {
    /// The mapped copy when there is a current one, else the RON loaded without evidence.
    fn open(path: &Path) -> Result<Source> {
        match binary::map(path) {
            Ok(mapped) => Ok(Source::Mapped(mapped)),
            Err(_) => Source::load(path),
        }
    }

    /// The RON, loaded without evidence.
    fn load(path: &Path) -> Result<Source> {
        let mut s = crate::model::interning(|| load_file(path))?;
        strip_evidence(&mut s);
        Ok(Source::Loaded(s))
    }

    fn view(&self) -> std::result::Result<View<'_>, Fault> {
        match self {
            Source::Mapped(m) => m.view(),
            Source::Loaded(s) => Ok(View::from(s)),
        }
    }
}

/// Run `f` on the [`View`]s of the snapshots at `old` and `new`, read side by side: each from
/// its binary copy, mapped and read in place, when it has one made from the RON as it is now,
/// else from the RON without evidence. A copy that turns out damaged is left for the RON.
pub fn with_views<R>(old: &Path, new: &Path, f: impl FnOnce(&View, &View) -> R) -> Result<R> {
    let (a, b) = rayon::join(|| Source::open(old), || Source::open(new));
    let (mut a, mut b) = (a?, b?);
    let damaged = match rayon::join(|| a.view(), || b.view()) {
        (Ok(va), Ok(vb)) => return Ok(f(&va, &vb)),
        (va, vb) => (va.is_err(), vb.is_err()),
    };
    if damaged.0 {
        a = Source::load(old)?;
    }
    if damaged.1 {
        b = Source::load(new)?;
    }
    let (va, vb) = rayon::join(|| a.view(), || b.view());
    let fail = |path: &Path, e: Fault| Error::io(path, std::io::Error::other(e));
    Ok(f(
        &va.map_err(|e| fail(old, e))?,
        &vb.map_err(|e| fail(new, e))?,
    ))
}

/// Empty every evidence list of `s`.
pub(crate) fn strip_evidence(s: &mut Snapshot) {
    let lists = s.persons.iter_mut().map(|p| &mut p.evidence);
    let lists = lists.chain(s.bodies.iter_mut().map(|b| &mut b.evidence));
    let lists = lists.chain(s.holdings.iter_mut().map(|h| &mut h.evidence));
    let lists = lists.chain(s.congresses.iter_mut().map(|c| &mut c.evidence));
    let lists = lists.chain(s.meetings.iter_mut().map(|m| &mut m.evidence));
    for list in lists {
        *list = Vec::new();
    }
}

fn load_file(path: &Path) -> Result<Snapshot> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    if let Some(s) = stream::read(file).map_err(|e| Error::io(path, e))? {
        return Ok(s);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = crate::input::decode(path, bytes)?;
    read_ron(path, &text)
}

/// Save a snapshot atomically, with its binary copy.
pub fn save(path: &Path, s: &Snapshot) -> Result<()> {
    save_value(path, s)
}

/// Save anything that serialises as a snapshot does, streamed to the file, atomically; then its
/// binary copy beside it ([`binary_copy_path`]), made from the same value and stamped with the
/// identity of the RON bytes just written.
pub fn save_value(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let mut hasher = binary::Hasher::default();
    write_atomic_with(path, |w| {
        let mut w = binary::Hashing {
            inner: w,
            hasher: &mut hasher,
        };
        write::to_writer(&mut w, value).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })?;
    write_copy(path, hasher.finish(), value)
}

/// Write the binary copy of `value`, whose RON text at `path` has identity `ron`, stamped with
/// what the file system says of that file now.
pub(crate) fn write_copy(
    path: &Path,
    ron: binary::Identity,
    value: &impl serde::Serialize,
) -> Result<()> {
    let stamp = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let stamp = binary::Stamp::of(&stamp);
    write_atomic_with(&binary::path_of(path), |w| {
        binary::to_writer(w, ron, stamp, value).map_err(std::io::Error::other)
    })
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename, so that a
/// crash leaves either the old file or the new one, never half of it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] for output written piece by piece through a buffer.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let run = || -> std::io::Result<()> {
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    run().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Person, Text};
    use proptest::prelude::*;

    proptest! {
        /// Any strings: the fast writer writes what `ron` writes, and both readers read it back.
        #[test]
        fn fast_paths_agree_with_ron(names in prop::collection::vec(any::<String>(), 0..4), n in any::<usize>()) {
            let mut s = Snapshot::default();
            for (i, name) in names.iter().enumerate() {
                s.persons.push(Person {
                    id: format!("person/{i}").into(),
                    name: name.into(),
                    aliases: names.iter().map(Text::from).collect(),
                    anchor: name.into(),
                    reasons: vec![],
                    evidence: vec![Evidence {
                        doc: name.into(),
                        start: n,
                        end: n / 2,
                        published: Some(name.into()).filter(|_| i % 2 == 0),
                        rule: Text::default(),
                        former: i % 3 == 0,
                    }],
                });
            }
            let config = ron::ser::PrettyConfig::new()
                .indentor("  ".to_string())
                .struct_names(false);
            let text = to_ron(&s);
            prop_assert_eq!(&text, &format!("{}\n", ron::ser::to_string_pretty(&s, config).unwrap()));
            prop_assert_eq!(&fast::from_str::<Snapshot>(&text).unwrap(), &s);
            prop_assert_eq!(&ron::from_str::<Snapshot>(&text).unwrap(), &s);
        }
    }

    #[test]
    fn a_loaded_snapshot_shares_repeated_strings_and_holds_lists_tight() {
        let mut s = Snapshot::default();
        for i in 0..3 {
            s.persons.push(Person {
                id: format!("person/{i}").into(),
                name: format!("Nguyễn Văn {i}").into(),
                aliases: vec![format!("Nguyễn Văn {i}").into()],
                anchor: "Nghệ An".into(),
                reasons: vec![],
                evidence: vec![Evidence {
                    doc: format!("d{i}").into(),
                    start: i,
                    end: i + 1,
                    published: Some("2020-10-16".into()),
                    rule: "title-before-name".into(),
                    former: false,
                }],
            });
        }
        let read = from_ron(Path::new("a.ron"), &to_ron(&s)).unwrap();
        assert_eq!(read, s);
        let (a, b) = (&read.persons[0], &read.persons[2]);
        assert_eq!(a.anchor.as_ptr(), b.anchor.as_ptr());
        assert_eq!(a.name.as_ptr(), a.aliases[0].as_ptr());
        assert_eq!(a.evidence[0].rule.as_ptr(), b.evidence[0].rule.as_ptr());
        assert_ne!(a.name.as_ptr(), b.name.as_ptr());
        assert_eq!((a.evidence.capacity(), a.aliases.capacity()), (1, 1));
    }

    #[test]
    fn other_versions_and_truncation_are_refused() {
        let s = Snapshot::default();
        let text = to_ron(&s);
        assert_eq!(from_ron(Path::new("a.ron"), &text).unwrap(), s);
        let old = text.replace(&format!("schema: {SCHEMA_VERSION}"), "schema: 0");
        let e = from_ron(Path::new("a.ron"), &old).unwrap_err().to_string();
        assert!(
            e.contains("version 0") && e.contains(&format!("version {SCHEMA_VERSION}")),
            "{e}"
        );
        let cut = &text[..text.len() / 2];
        let e = from_ron(Path::new("a.ron"), cut).unwrap_err().to_string();
        assert!(e.starts_with("a.ron:"), "{e}");
    }
}
