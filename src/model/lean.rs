//! Evidence lists passed over: a diff needs who holds what, not where each fact was read, and a
//! national snapshot's evidence is a large part of its memory. Under [`without_evidence`], a
//! reader of the binary copy reads every evidence list as empty, stepping over its members
//! without keeping them.

use std::cell::Cell;
use std::fmt;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::Evidence;

thread_local! {
    static PASS_OVER: Cell<bool> = const { Cell::new(false) };
}

/// Run `f` with the evidence lists this thread reads from a binary copy left empty.
pub(crate) fn without_evidence<R>(f: impl FnOnce() -> R) -> R {
    let before = PASS_OVER.with(|p| p.replace(true));
    /// Restores the setting even when `f` unwinds.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = PASS_OVER.try_with(|p| p.set(self.0));
        }
    }
    let _restore = Restore(before);
    f()
}

/// An `evidence` field: the list, or an empty one when it is passed over. Only a reader that
/// writes values by position (not human-readable: the binary copy) passes over; text formats
/// are always read whole.
pub(crate) fn evidence<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Evidence>, D::Error> {
    if d.is_human_readable() || !PASS_OVER.with(Cell::get) {
        return Vec::deserialize(d);
    }
    d.deserialize_seq(PassOver).map(|()| Vec::new())
}

/// A piece of evidence in the shape [`Evidence`] is written in, nothing kept: document, start,
/// end, publication date, rule, former.
type Shape = (Skipped, usize, usize, Option<Skipped>, Skipped, bool);

struct PassOver;

impl<'de> Visitor<'de> for PassOver {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of evidence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<Shape>()?.is_some() {}
        Ok(())
    }
}

/// A string read and dropped.
struct Skipped;

impl<'de> Deserialize<'de> for Skipped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;

        impl Visitor<'_> for Visit {
            type Value = Skipped;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Skipped, E> {
                Ok(Skipped)
            }
        }

        d.deserialize_str(Visit)
    }
}
