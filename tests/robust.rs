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
