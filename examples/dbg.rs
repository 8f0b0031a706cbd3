use cadregraph::extract::{parse::Parser, scan::scan};
use cadregraph::segment::{sentences, tokenize};
use cadregraph::Gazetteer;
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let g = Gazetteer::embedded();
    let norm = g.normalizer().normalize(&text);
    let tokens = tokenize(norm.text());
    let words: Vec<&str> = tokens.iter().map(|t| t.text(norm.lower())).collect();
    for s in sentences(norm.text(), &tokens) {
        let p = Parser {
            g: &g,
            text: norm.text(),
            tokens: &tokens,
            words: &words,
            limit: s.end,
        };
        println!(
            "--- {}",
            &norm.text()[tokens[s.first].start..tokens[s.end - 1].end]
        );
        for it in scan(&p, s.first, s.end) {
            match it.kind {
                cadregraph::extract::scan::ItemKind::Word
                | cadregraph::extract::scan::ItemKind::Punct(_) => {}
                k => println!("   {:?}", k),
            }
        }
    }
}
