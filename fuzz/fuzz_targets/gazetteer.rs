//! One gazetteer file replaced by arbitrary text: an error naming the file, or a gazetteer that
//! extracts without panicking.
#![no_main]

use std::path::Path;

use cadregraph::{Document, Extractor, Gazetteer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let files = Gazetteer::FILES;
    let replaced = files[which as usize % files.len()];
    let texts: Vec<(&str, String)> = files
        .iter()
        .map(|f| {
            let t = if *f == replaced { text.to_string() } else { Gazetteer::embedded_text(f).unwrap_or("").to_string() };
            (*f, t)
        })
        .collect();
    match Gazetteer::from_texts(Path::new("gazetteer"), &texts) {
        Ok(g) => {
            let x = Extractor::new(g);
            x.extract(&Document::new("f", "Bí thư Tỉnh ủy Nghệ An Thái Thanh Quý dự Đại hội lần thứ XIX."));
        }
        Err(e) => assert!(e.to_string().starts_with("gazetteer/")),
    }
});
