//! [`Text`]: the model's strings, immutable and cheap to clone, and the interning that lets a
//! snapshot share them as it is read.
//!
//! Most strings of a snapshot repeat: rules, dates, anchors, titles, terms, the person and body
//! ids that holdings refer to, a name and the alias equal to it. Owned, each of those is an
//! allocation (a large snapshot held some sixteen million) and a loaded snapshot weighs far more
//! than its text. Read under [`interning`], equal strings seen close together share one
//! allocation. A `Text` compares, hashes, orders, prints and serialises exactly as the string
//! it holds, so sharing changes the memory, never a result.

use std::borrow::Borrow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::hash::BuildHasher;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable, shared string: derefs to `str`, clones by counting a reference. One pointer
/// wide (the length is kept with the bytes), so an optional `Text` is too: a holding's eight
/// strings take 64 bytes, not 128.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(arcstr::ArcStr);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(s.into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(s.into())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text(s.as_str().into())
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0.to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;

        impl serde::de::Visitor<'_> for Visit {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Text, E> {
                // (`try_with`: a string read while the thread ends simply takes no offer.)
                if let Some(t) = OFFER.try_with(Cell::take).ok().flatten() {
                    if std::ptr::eq(t.as_str(), s) {
                        return Ok(t);
                    }
                }
                Ok(intern(s))
            }
        }

        deserializer.deserialize_str(Visit)
    }
}

thread_local! {
    static OFFER: Cell<Option<Text>> = const { Cell::new(None) };
}

/// Offer `t` to the next [`Text`] this thread deserialises: if that one is read from `t`'s own
/// string (the same address), it is `t`, sharing its allocation. A reader that keeps its
/// strings as `Text`s passes them on this way without serde copying them first.
pub(crate) fn offer(t: Text) {
    let _ = OFFER.try_with(|o| o.set(Some(t)));
}

/// Slots of the interning table: a power of two.
const SLOTS: usize = 1 << 12;

/// The strings met last, one per slot chosen by hash. A new string takes its slot over, so a
/// string is shared with its equals read since its slot last changed hands: the few that repeat
/// everywhere, and runs of the same id. The table is small on purpose: it stays in the
/// processor's cache, and so does the string a new one evicts (a large table made every lookup
/// and every eviction a trip to memory, a third of a load).
struct Table {
    slots: Vec<Option<Text>>,
    hasher: rustc_hash::FxBuildHasher,
}

thread_local! {
    static TABLE: RefCell<Option<Table>> = const { RefCell::new(None) };
}

/// `s` as a [`Text`], shared with an equal string met before when [`interning`] is on.
fn intern(s: &str) -> Text {
    // (`try_with`: a string read while the thread ends is simply not shared.)
    TABLE
        .try_with(|table| {
            let mut table = table.borrow_mut();
            let Some(table) = table.as_mut() else {
                return Text::from(s);
            };
            let hash = table.hasher.hash_one(s);
            let slot = &mut table.slots[(hash >> (64 - SLOTS.trailing_zeros())) as usize];
            match slot {
                Some(t) if t.as_str() == s => t.clone(),
                _ => slot.insert(Text::from(s)).clone(),
            }
        })
        .unwrap_or_else(|_| Text::from(s))
}

/// Run `f` with strings this thread reads into [`Text`]s shared where they repeat. The table
/// is dropped when `f` returns (or at once if interning was on already, the outer call's).
pub fn interning<R>(f: impl FnOnce() -> R) -> R {
    let started = TABLE.with(|table| {
        let mut table = table.borrow_mut();
        if table.is_some() {
            return false;
        }
        *table = Some(Table {
            slots: vec![None; SLOTS],
            hasher: rustc_hash::FxBuildHasher,
        });
        true
    });
    /// Ends interning even when `f` unwinds.
    struct End(bool);
    impl Drop for End {
        fn drop(&mut self) {
            if self.0 {
                TABLE.with(|table| table.borrow_mut().take());
            }
        }
    }
    let _end = End(started);
    f()
}

/// Is the string of `t` shared with `u`'s (the same allocation)?
#[cfg(test)]
fn shared(t: &Text, u: &Text) -> bool {
    arcstr::ArcStr::ptr_eq(&t.0, &u.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    #[test]
    fn a_text_behaves_as_its_string() {
        let (a, b) = (Text::from("Chủ tịch"), Text::from(String::from("Bí thư")));
        assert_eq!(a, "Chủ tịch");
        assert_eq!(&*a, "Chủ tịch");
        assert_eq!(a.cmp(&b), "Chủ tịch".cmp("Bí thư"));
        assert_eq!(format!("{a} {a:?}"), "Chủ tịch \"Chủ tịch\"");
        let h = |x: &dyn Fn(&mut rustc_hash::FxHasher)| {
            let mut s = rustc_hash::FxHasher::default();
            x(&mut s);
            std::hash::Hasher::finish(&s)
        };
        assert_eq!(h(&|s| a.hash(s)), h(&|s| "Chủ tịch".hash(s)));
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"Chủ tịch\"");
        assert_eq!(serde_json::from_str::<Text>("\"x\\ny\"").unwrap(), "x\ny");
        assert_eq!(Text::default(), "");
        assert_eq!(
            std::mem::size_of::<Option<Text>>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn equal_strings_are_shared_only_while_interning() {
        let read = || serde_json::from_str::<Vec<Text>>(r#"["a", "b", "a", "a"]"#).unwrap();
        let v = interning(read);
        assert_eq!(v, ["a", "b", "a", "a"]);
        assert!(shared(&v[0], &v[2]) && shared(&v[0], &v[3]));
        assert!(!shared(&v[0], &v[1]));
        let v = read();
        assert!(!shared(&v[0], &v[2]));
        // Nested: the outer table serves, and interning ends with the outer call.
        let (inner, outer) = interning(|| (interning(read), read()));
        assert!(shared(&inner[0], &outer[0]));
        assert!(!shared(&read()[0], &read()[0]));
    }
}
