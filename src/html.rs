//! HTML input: the text of a page, read with the `tl` parser — scripts, styles, navigation and
//! forms dropped, entities decoded, block elements as paragraph breaks — with each text byte
//! mapped to its offset in the HTML, so evidence points into the page as read.

use std::path::Path;

/// Elements whose content is not article text.
const DROPPED: [&str; 13] = [
    "script", "style", "noscript", "template", "nav", "iframe", "svg", "form", "button", "select",
    "footer", "aside", "title",
];

/// Elements that end a paragraph.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "blockquote",
    "figure",
    "figcaption",
    "main",
    "dd",
    "dt",
    "hr",
];

/// Is this an HTML page: by its name, or by how it starts?
pub fn is_html(path: &Path, text: &str) -> bool {
    if matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "htm")
    ) {
        return true;
    }
    let head = text.trim_start().as_bytes();
    let starts = |tag: &str| {
        head.get(..tag.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(tag.as_bytes()))
    };
    starts("<!doctype html") || starts("<html")
}

/// The text of a page and, for each of its bytes, the offset in `html` it came from (one extra
/// entry for the end).
pub fn text(html: &str) -> (String, Vec<u32>) {
    // Script and style are raw text in HTML: their "<" is no tag. Blank them out (same length,
    // so offsets stay) before the parser sees them.
    let masked = mask_raw_text(html);
    let html = masked.as_str();
    let mut out = Text {
        base: html.as_ptr() as usize,
        text: String::with_capacity(html.len() / 2),
        origin: Vec::with_capacity(html.len() / 2),
    };
    match tl::parse(html, tl::ParserOptions::default()) {
        Ok(dom) => {
            let parser = dom.parser();
            for h in dom.children() {
                out.node(h, parser, 0);
            }
        }
        // tl accepts any text; should it refuse, the page is read as plain text.
        Err(_) => out.push(html, 0),
    }
    out.origin.push(html.len() as u32);
    (out.text, out.origin)
}

/// `html` with the content of `<script>` and `<style>` elements replaced by spaces.
fn mask_raw_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = html.as_bytes().to_vec();
    for tag in ["script", "style"] {
        let (open, close) = (format!("<{tag}"), format!("</{tag}"));
        let mut from = 0;
        while let Some(start) = lower[from..].find(&open).map(|i| from + i) {
            let Some(body) = lower[start..].find('>').map(|i| start + i + 1) else {
                break;
            };
            let end = lower[body..].find(&close).map_or(lower.len(), |i| body + i);
            for b in &mut out[body..end] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            from = end.max(start + 1);
        }
    }
    // Whole characters between two ASCII delimiters became spaces: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

struct Text {
    base: usize,
    text: String,
    origin: Vec<u32>,
}

impl Text {
    fn node(&mut self, h: &tl::NodeHandle, parser: &tl::Parser, depth: usize) {
        if depth > 256 {
            return;
        }
        match h.get(parser) {
            Some(tl::Node::Tag(tag)) => {
                let name = tag.name().as_utf8_str().to_lowercase();
                if DROPPED.contains(&name.as_str()) {
                    return;
                }
                let at = self.offset(tag.name().as_bytes());
                let block = BLOCKS.contains(&name.as_str());
                if block {
                    self.push("\n\n", at);
                }
                for child in tag.children().top().iter() {
                    self.node(child, parser, depth + 1);
                }
                if block {
                    self.push("\n\n", at);
                }
            }
            Some(tl::Node::Raw(bytes)) => {
                let raw = bytes.as_utf8_str();
                let at = self.offset(bytes.as_bytes());
                self.entities(&raw, at);
            }
            _ => {}
        }
    }

    fn offset(&self, slice: &[u8]) -> usize {
        (slice.as_ptr() as usize).saturating_sub(self.base)
    }

    fn push(&mut self, s: &str, at: usize) {
        self.text.push_str(s);
        self.origin.extend(std::iter::repeat_n(at as u32, s.len()));
    }

    /// Text with entities decoded; line breaks inside text are spaces in HTML.
    fn entities(&mut self, raw: &str, at: usize) {
        let mut i = 0;
        while i < raw.len() {
            let rest = &raw[i..];
            if rest.starts_with('&') {
                let end = rest
                    .char_indices()
                    .take(12)
                    .find(|(_, c)| *c == ';')
                    .map(|(i, _)| i);
                if let Some(end) = end {
                    let decoded = html_escape::decode_html_entities(&rest[..=end]);
                    if decoded != rest[..=end] {
                        self.push(&decoded, at + i);
                        i += end + 1;
                        continue;
                    }
                }
            }
            let c = rest.chars().next().expect("not at the end");
            let c = if c == '\n' || c == '\r' { ' ' } else { c };
            let mut buf = [0u8; 4];
            self.push(c.encode_utf8(&mut buf), at + i);
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_a_page_with_offsets() {
        let html = "<!DOCTYPE html><html><head><title>T</title><script>var a = '<p>';</script></head>\
            <body><nav>Trang chủ</nav><h1>Tin</h1><p>Bí thư Tỉnh ủy &amp; Chủ tịch\nHĐND</p><p>Ông A&nbsp;dự.</p></body></html>";
        let (text, origin) = text(html);
        let squeezed: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            squeezed.join(" "),
            "Tin Bí thư Tỉnh ủy & Chủ tịch HĐND Ông A dự."
        );
        let at = text.find("Bí thư").unwrap();
        assert!(html[origin[at] as usize..].starts_with("Bí thư"));
        let amp = text.find('&').unwrap();
        assert!(html[origin[amp] as usize..].starts_with("&amp;"));
        assert!(is_html(Path::new("a.txt"), "  <!doctype html><p>x"));
    }
}
