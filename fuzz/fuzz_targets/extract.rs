//! Arbitrary bytes, decoded as the command line decodes a file, then extracted.
#![no_main]

use std::sync::OnceLock;

use cadregraph::{decode, Document, Extractor, Gazetteer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    let extractor = EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::embedded()));
    let decoded = decode::decode(data, None);
    let text = decoded.text.clone();
    let facts = extractor.extract(&Document::new("fuzz", text.clone()));
    for h in &facts.holdings {
        assert!(h.evidence.start <= h.evidence.end && h.evidence.end <= text.len());
    }
});
