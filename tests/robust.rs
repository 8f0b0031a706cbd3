//! Property tests: extraction never panics, and every evidence span lies inside the input on
//! character boundaries, whatever the text.

use cadregraph::{Document, Extractor, Gazetteer};
use proptest::prelude::*;

fn words() -> impl Strategy<Value = String> {
    let vocab = prop::sample::select(vec![
        "Bí thư",
        "Tỉnh ủy",
        "Nghệ An",
        "Nguyễn Văn",
        "A",
        "Chủ tịch",
        "UBND",
        "huyện",
        "xã",
        "Đảng ủy",
        "Khối",
        ",",
        ".",
        ";",
        ":",
        "-",
        "–",
        "(",
        ")",
        "\n",
        "\n\n",
        "ông",
        "đồng chí",
        "giữ chức",
        "Đại hội",
        "lần thứ",
        "XIII",
        "nhiệm kỳ",
        "2020",
        "202",
        "-",
        "2025",
        "chủ trì",
        "nguyên",
        "Ban Thường vụ",
        "Uỷ",
        "khoá",
        "Ð",
        "H.",
        "TP.",
        "T.Ư",
        "Ảnh:",
        "thay",
        "gồm",
        "3",
        "Trưởng ban",
        "Tỉnh ủy viên",
        "\u{0301}",
        "\u{00A0}",
        "\u{FEFF}",
        "𝔸",
        "İ",
    ]);
    prop::collection::vec(vocab, 0..60).prop_map(|v| v.join(" "))
}

fn check(extractor: &Extractor, text: &str) {
    let facts = extractor.extract(&Document::new("p", text));
    let spans = facts
        .holdings
        .iter()
        .map(|h| &h.evidence)
        .chain(facts.congresses.iter().map(|c| &c.evidence))
        .chain(facts.chairs.iter().map(|c| &c.evidence));
    for e in spans {
        assert!(
            e.start <= e.end && e.end <= text.len(),
            "{e:?} outside {}",
            text.len()
        );
        assert!(
            text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
            "{e:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn phrase_soup_never_panics(text in words()) {
        let extractor = Extractor::new(Gazetteer::embedded());
        check(&extractor, &text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let extractor = Extractor::new(Gazetteer::embedded());
        check(&extractor, &text);
    }
}

mod inputs {
    //! The same article in every encoding and as HTML gives the same facts, with evidence
    //! offsets into the file as read; huge and pathological texts finish; writes are atomic.

    use std::collections::BTreeSet;
    use std::path::Path;

    use cadregraph::decode::{decode, encode_1258, encode_tcvn3, encode_vni};
    use cadregraph::input::{document_from_bytes, ReadOptions};
    use cadregraph::{Extractor, Gazetteer};
    use proptest::prelude::*;

    const ARTICLE: &str = "examples/corpus/nghe-an-2016-hdnd.txt";

    type Facts = (
        BTreeSet<(String, String, String)>,
        Vec<(usize, usize, String)>,
    );

    fn facts(name: &str, bytes: &[u8]) -> Facts {
        let doc = document_from_bytes(name.into(), Path::new(name), bytes, ReadOptions::default())
            .unwrap();
        let x = Extractor::new(Gazetteer::embedded()).extract(&doc);
        let set = x
            .holdings
            .iter()
            .map(|h| {
                (
                    h.person.clone(),
                    h.title.clone(),
                    h.body.clone().unwrap_or_default(),
                )
            })
            .collect();
        let spans = x
            .holdings
            .iter()
            .map(|h| (h.evidence.start, h.evidence.end, h.person.clone()))
            .collect();
        (set, spans)
    }

    fn nfc(s: &str) -> String {
        unicode_normalization::UnicodeNormalization::nfc(s).collect()
    }

    #[test]
    fn every_encoding_gives_the_same_facts() {
        let text = std::fs::read_to_string(ARTICLE).unwrap();
        let (expected, _) = facts("a.txt", text.as_bytes());
        assert!(expected.len() >= 8, "{expected:?}");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        let rows: [(&str, Vec<u8>); 5] = [
            ("utf-8 with BOM", bom),
            ("utf-16le", utf16),
            ("windows-1258", encode_1258(&text)),
            ("tcvn3", encode_tcvn3(&text)),
            ("vni", encode_vni(&text)),
        ];
        for (name, bytes) in rows {
            let (got, spans) = facts("a.txt", &bytes);
            assert_eq!(got, expected, "{name}");
            // Evidence is a span of the bytes as read: decoded alone, it names the person.
            for (s, e, person) in spans {
                let piece = decode(&bytes[s..e], Some(decode(&bytes, None).encoding)).text;
                let piece = if name == "utf-16le" {
                    String::from_utf16_lossy(
                        &bytes[s..e]
                            .chunks(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect::<Vec<_>>(),
                    )
                } else {
                    piece
                };
                assert!(
                    nfc(&piece).contains(&person),
                    "{name}: {piece:?} lacks {person}"
                );
            }
        }
    }

    #[test]
    fn an_html_page_gives_the_same_facts() {
        let text = std::fs::read_to_string(ARTICLE).unwrap();
        let (expected, _) = facts("a.txt", text.as_bytes());
        let mut html = String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Tin</title><script>if (a < b) { x = '<p>'; }</script><style>p{color:red}</style></head><body><nav><a href=\"/\">Trang chủ</a> | <a>Thời sự</a></nav><article>");
        for para in text.split("\n\n") {
            html.push_str("<p>");
            html.push_str(&para.replace('&', "&amp;"));
            html.push_str("</p>\n");
        }
        html.push_str("</article><footer>© Báo Nghệ An</footer></body></html>");
        let (got, spans) = facts("a.html", html.as_bytes());
        assert_eq!(got, expected);
        for (s, e, person) in spans {
            assert!(
                html[s..e].contains(&person),
                "{:?} lacks {person}",
                &html[s..e]
            );
        }
    }

    #[test]
    fn huge_and_pathological_texts_finish() {
        let extractor = Extractor::new(Gazetteer::embedded());
        let one_line =
            "Bí thư Tỉnh ủy Nghệ An Thái Thanh Quý dự họp và phát biểu chỉ đạo ".repeat(60_000);
        let doc = cadregraph::Document::new("long", one_line.clone());
        let x = extractor.extract(&doc);
        assert_eq!(x.holdings.len(), 1, "one holding however often it is said");
        assert!(x.holdings[0].evidence.end <= one_line.len());
        let capitals = "Nguyễn Văn An Bình Cường Dũng ".repeat(100_000);
        extractor.extract(&cadregraph::Document::new("caps", capitals));
        let titles = "Bí thư ".repeat(200_000);
        let x = extractor.extract(&cadregraph::Document::new("titles", titles));
        assert!(x.holdings.is_empty());
    }

    #[test]
    fn a_vanished_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("link.txt"))
            .unwrap();
        let (files, errors) = cadregraph::input::input_files(&[dir.path().to_path_buf()]);
        assert!(errors.is_empty());
        let mut seen = Vec::new();
        cadregraph::input::read_file(&files[0], ReadOptions::default(), &mut |d| {
            seen.push(d.map(|_| ()).map_err(|e| e.to_string()))
        });
        assert!(
            seen[0].as_ref().unwrap_err().contains("link.txt"),
            "{seen:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Arbitrary bytes, read as a file is read, never panic the extractor.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(doc) = document_from_bytes("b".into(), Path::new("b.txt"), &bytes, ReadOptions::default()) {
                let x = Extractor::new(Gazetteer::embedded()).extract(&doc);
                for h in &x.holdings {
                    prop_assert!(h.evidence.start <= h.evidence.end && h.evidence.end <= bytes.len());
                }
            }
        }
    }
}

/// Inputs the fuzzers found, kept so they stay fixed.
#[test]
fn fuzz_findings_stay_fixed() {
    let extractor = Extractor::new(Gazetteer::embedded());
    for entry in std::fs::read_dir("tests/data/fuzz").unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = cadregraph::decode::decode(&bytes, None).text;
        check(&extractor, &text);
    }
}
