//! Tokens, sentences and paragraphs of a normalised text.
//!
//! A token is a word (letters and digits, with an inner apostrophe as in "H'Hen" or a decimal
//! point as in "7.300") or one punctuation character. Sentences end at ".", "!", "?" followed by a
//! space and an upper-case letter, digit or bullet, at a line break, or at a paragraph break.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits): a syllable or an abbreviation.
    Word,
    /// Digits, possibly with inner "." or ",".
    Number,
    /// One punctuation character.
    Punct(char),
}

/// A token: its kind and byte span in the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// The first character is upper case.
    pub capital: bool,
    /// A line break comes right before this token.
    pub line_start: bool,
}

impl Token {
    /// The token's text in `text`.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Is it the punctuation `c`?
    pub fn is(&self, c: char) -> bool {
        self.kind == TokenKind::Punct(c)
    }

    /// Is it a word (not a number or punctuation)?
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
}

/// Split `text` into tokens. ASCII letters and digits are stepped over byte by byte; other
/// characters are decoded.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 4);
    let bytes = text.as_bytes();
    let char_at = |i: usize| char_at(bytes, i);
    let mut line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(i);
        if c == '\n' {
            line_start = true;
            i += len;
            continue;
        }
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if !crate::normalize::is_letter(c) {
            tokens.push(Token {
                kind: TokenKind::Punct(c),
                start: i,
                end: i + len,
                capital: false,
                line_start,
            });
            line_start = false;
            i += len;
            continue;
        }
        let start = i;
        let mut digits = c.is_ascii_digit();
        let mut end = i + len;
        while end < bytes.len() {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() {
                digits &= b.is_ascii_digit();
                end += 1;
                continue;
            }
            let (n, n_len) = char_at(end);
            if b >= 0x80 && crate::normalize::is_letter(n) {
                digits &= n.is_ascii_digit();
                end += n_len;
                continue;
            }
            // Inner apostrophe ("H'Hen") or decimal mark ("7.300", "97,38").
            let after = bytes.get(end + 1).copied();
            let joins = match n {
                '\'' => !digits && after.is_some_and(|b| b.is_ascii_alphabetic() || b >= 0x80),
                '.' | ',' => digits && after.is_some_and(|b| b.is_ascii_digit()),
                _ => false,
            };
            if joins {
                end += 1;
                continue;
            }
            break;
        }
        tokens.push(Token {
            kind: if digits {
                TokenKind::Number
            } else {
                TokenKind::Word
            },
            start,
            end,
            capital: c.is_uppercase(),
            line_start,
        });
        line_start = false;
        i = end;
    }
    tokens
}

/// The character that starts at byte `i` of valid UTF-8 (a char boundary), and its length.
#[inline(always)]
fn char_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b = bytes[i] as u32;
    let cont = |k: usize| bytes.get(i + k).map_or(0, |&c| c as u32 & 0x3F);
    let (u, len) = match b {
        0..=0x7F => (b, 1),
        0xC0..=0xDF => ((b & 0x1F) << 6 | cont(1), 2),
        0xE0..=0xEF => ((b & 0x0F) << 12 | cont(1) << 6 | cont(2), 3),
        _ => ((b & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3), 4),
    };
    (char::from_u32(u).unwrap_or(' '), len)
}

/// A sentence: a range of tokens, and the paragraph it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub first: usize,
    pub end: usize,
    pub paragraph: usize,
}

/// The most tokens a sentence may have.
pub const MAX_SENTENCE: usize = 400;

/// Split tokens into sentences.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = 0;
    let mut paragraph = 0;
    for i in 0..tokens.len() {
        let t = tokens[i];
        if i > first && t.line_start {
            out.push(Sentence {
                first,
                end: i,
                paragraph,
            });
            if text[tokens[i - 1].end..t.start].contains("\n\n") {
                paragraph += 1;
            }
            first = i;
        }
        // A run-on "sentence" (a list of thousands of names, a page with no punctuation) is cut,
        // so that work per sentence stays bounded.
        if i >= first + MAX_SENTENCE {
            out.push(Sentence {
                first,
                end: i,
                paragraph,
            });
            first = i;
        }
        // "1. Nguyễn Văn A": the number of a list line is no sentence.
        let numbering = t.is('.')
            && i > 0
            && tokens[i - 1].kind == TokenKind::Number
            && tokens[i - 1].line_start;
        let ends = matches!(t.kind, TokenKind::Punct('.' | '!' | '?')) && !numbering;
        if ends {
            let next = tokens.get(i + 1);
            let breaks = match next {
                None => true,
                Some(n) if n.line_start => false,
                Some(n) => {
                    t.end < n.start
                        && (n.capital
                            || n.kind == TokenKind::Number
                            || matches!(n.kind, TokenKind::Punct('*' | '-' | '"' | '(')))
                }
            };
            if breaks {
                out.push(Sentence {
                    first,
                    end: i + 1,
                    paragraph,
                });
                first = i + 1;
            }
        }
    }
    if first < tokens.len() {
        out.push(Sentence {
            first,
            end: tokens.len(),
            paragraph,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, char-by-char tokenizer: the oracle of the byte-stepping one.
    fn simple_tokenize(text: &str) -> Vec<Token> {
        let mut tokens = Vec::with_capacity(text.len() / 4);
        let bytes = text.as_bytes();
        let mut iter = text.char_indices().peekable();
        let mut line_start = true;
        while let Some((i, c)) = iter.next() {
            if c == '\n' {
                line_start = true;
                continue;
            }
            if c.is_whitespace() {
                continue;
            }
            if crate::normalize::is_letter(c) {
                let mut end = i + c.len_utf8();
                let mut digits = c.is_ascii_digit();
                while let Some(&(j, n)) = iter.peek() {
                    if crate::normalize::is_letter(n) {
                        digits &= n.is_ascii_digit();
                        end = j + n.len_utf8();
                        iter.next();
                        continue;
                    }
                    // Inner apostrophe ("H'Hen") or decimal mark ("7.300", "97,38").
                    let joins = match n {
                        '\'' => !digits,
                        '.' | ',' => digits,
                        _ => false,
                    };
                    let after = bytes.get(j + 1).copied();
                    let next_ok = match n {
                        '\'' => {
                            after.is_some_and(|b| (b as char).is_ascii_alphabetic() || b >= 0x80)
                        }
                        _ => after.is_some_and(|b| b.is_ascii_digit()),
                    };
                    if joins && next_ok {
                        end = j + 1;
                        iter.next();
                        continue;
                    }
                    break;
                }
                let kind = if digits {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                };
                tokens.push(Token {
                    kind,
                    start: i,
                    end,
                    capital: c.is_uppercase(),
                    line_start,
                });
            } else {
                tokens.push(Token {
                    kind: TokenKind::Punct(c),
                    start: i,
                    end: i + c.len_utf8(),
                    capital: false,
                    line_start,
                });
            }
            line_start = false;
        }
        tokens
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_the_simple_tokens(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                ' ', '\n', 'a', 'Z', '7', '0', '.', ',', '\'', '-', 'đ', 'Ủ', 'ư', '\u{300}', '%',
                '\u{A0}', '中', '²', '٣', '\u{1680}', 'ǅ',
            ]), 0..40),
        ) {
            let text: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(tokenize(&text), simple_tokenize(&text));
        }
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn tokens() {
        let rows: [(&str, &str, &[&str]); 4] = [
            (
                "words and punct",
                "Ông A, Bí thư.",
                &["Ông", "A", ",", "Bí", "thư", "."],
            ),
            ("apostrophe name", "H'Hen Niê", &["H'Hen", "Niê"]),
            (
                "numbers",
                "7.300 đảng viên, 97,38%",
                &["7.300", "đảng", "viên", ",", "97,38", "%"],
            ),
            (
                "date",
                "19-21/8/2020",
                &["19", "-", "21", "/", "8", "/", "2020"],
            ),
        ];
        for (name, input, expected) in rows {
            assert_eq!(words(input), expected, "{name}");
        }
    }

    #[test]
    fn sentence_breaks() {
        let text = "Ông A dự. Bà B chủ trì.\nẢnh: C\n\nĐoạn hai 7.300 người.";
        let tokens = tokenize(text);
        let s = sentences(text, &tokens);
        let texts: Vec<&str> = s
            .iter()
            .map(|s| &text[tokens[s.first].start..tokens[s.end - 1].end])
            .collect();
        assert_eq!(
            texts,
            [
                "Ông A dự.",
                "Bà B chủ trì.",
                "Ảnh: C",
                "Đoạn hai 7.300 người."
            ]
        );
        assert_eq!(s[3].paragraph, 1);
    }
}
