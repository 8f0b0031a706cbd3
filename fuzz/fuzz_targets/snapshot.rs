//! Arbitrary text read as a snapshot: refused or read, never a panic; what is read saves and
//! reads back the same.
#![no_main]

use std::path::Path;

use cadregraph::snapshot::{from_ron, to_ron};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(s) = from_ron(Path::new("fuzz.ron"), text) {
        let again = to_ron(&s);
        assert_eq!(from_ron(Path::new("fuzz.ron"), &again).ok(), Some(s));
    }
});
