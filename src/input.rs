//! Reading articles: plain-text files, JSON Lines files of `{"id","text","url"?,"published"?}`,
//! folders of them (recursive), and standard input. Each bad file or line becomes an error that
//! names it; the other documents are still read.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::decode::Encoding;
use crate::error::{Error, Result};
use crate::extract::Document;

/// One line of a JSON Lines input.
#[derive(Debug, Deserialize)]
struct Article {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
}

/// The input files under `paths`: files as given, folders searched for `*.txt` and `*.jsonl`
/// (sorted, so runs are reproducible). A path that does not exist is an error.
pub fn input_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            files.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut files, &mut errors),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push(Error::io(p, e)),
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<Error>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return errors.push(Error::io(dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, files, errors);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("txt" | "jsonl")
        ) {
            files.push(p);
        }
    }
}

/// Decode bytes as UTF-8, a byte-order mark dropped.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| Error::Encoding {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// How to read input bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Force an encoding instead of detecting it.
    pub encoding: Option<Encoding>,
}

/// A document from the bytes of a file: decoded (encoding detected or forced), HTML reduced to
/// its text, each text byte mapped to its input offset; undecodable bytes reported as warnings.
pub fn document_from_bytes(
    id: String,
    path: &Path,
    bytes: &[u8],
    opts: ReadOptions,
) -> Result<Document> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::NotText {
            path: path.to_path_buf(),
            message: "empty: no text to read".into(),
        });
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if !utf16 && opts.encoding.is_none() && head.contains(&0) {
        return Err(Error::NotText {
            path: path.to_path_buf(),
            message: format!(
                "binary data (a NUL byte at offset {}), not text",
                head.iter().position(|b| *b == 0).unwrap_or(0)
            ),
        });
    }
    let decoded = crate::decode::decode(bytes, opts.encoding);
    let mut warnings = Vec::new();
    if let Some(first) = decoded.undecodable.first() {
        warnings.push(format!(
            "{}: {} undecodable byte(s) read as U+FFFD, the first at offset {first}",
            path.display(),
            decoded.undecodable.len()
        ));
    }
    let mut doc = Document::new(id, String::new());
    doc.warnings = warnings;
    if crate::html::is_html(path, &decoded.text) {
        let (text, map) = crate::html::text(&decoded.text);
        doc.origin = Some(
            map.iter()
                .map(|&at| decoded.input_offset(at as usize) as u32)
                .collect(),
        );
        doc.text = text;
    } else {
        doc.origin = decoded.origin;
        doc.text = decoded.text;
    }
    Ok(doc)
}

/// Read the documents of one input file (or `-` for standard input), calling `each` with every
/// document or error in input order.
pub fn read_file(path: &Path, opts: ReadOptions, each: &mut dyn FnMut(Result<Document>)) {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
            return each(Err(Error::io("<stdin>", e)));
        }
        let stdin = Path::new("<stdin>");
        let looks_jsonl = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        if looks_jsonl {
            return read_jsonl(stdin, BufReader::new(bytes.as_slice()), each);
        }
        return each(document_from_bytes("stdin".into(), stdin, &bytes, opts));
    }
    if path.extension().and_then(|e| e.to_str()) == Some("jsonl") {
        return match std::fs::File::open(path) {
            Ok(f) => read_jsonl(path, BufReader::new(f), each),
            Err(e) => each(Err(Error::io(path, e))),
        };
    }
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let doc = std::fs::read(path)
        .map_err(|e| Error::io(path, e))
        .and_then(|b| document_from_bytes(id, path, &b, opts));
    each(doc)
}

fn read_jsonl(path: &Path, reader: impl BufRead, each: &mut dyn FnMut(Result<Document>)) {
    let mut buf = Vec::new();
    let mut reader = reader;
    let mut line_no = 0;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return each(Err(Error::io(path, e))),
        }
        line_no += 1;
        let bad = |message: String| Error::JsonLine {
            path: path.to_path_buf(),
            line: line_no,
            message,
        };
        let line = match std::str::from_utf8(&buf) {
            Ok(l) => l.trim_start_matches('\u{FEFF}').trim(),
            Err(e) => {
                each(Err(bad(format!(
                    "not valid UTF-8 at byte {}",
                    e.valid_up_to()
                ))));
                continue;
            }
        };
        if line.is_empty() {
            continue;
        }
        let doc = serde_json::from_str::<Article>(line)
            .map_err(|e| bad(format!("not an article object: {e}")))
            .map(|a| {
                let id = match a.id {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                let mut doc = Document::new(id, a.text);
                if crate::html::is_html(Path::new(""), &doc.text) {
                    let (text, origin) = crate::html::text(&doc.text);
                    doc.text = text;
                    doc.origin = Some(origin);
                }
                doc.url = a.url;
                doc.published = a.published;
                doc
            });
        each(doc);
    }
}

/// Is this a JSON Lines file of `extract`'s facts (lines with a `"kind"`), rather than articles?
pub fn is_facts_file(path: &Path) -> bool {
    if path.extension().and_then(|e| e.to_str()) != Some("jsonl") {
        return false;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    for line in BufReader::new(f).lines().map_while(std::io::Result::ok) {
        if !line.trim().is_empty() {
            first = line;
            break;
        }
    }
    serde_json::from_str::<serde_json::Value>(&first)
        .is_ok_and(|v| v.get("kind").is_some() && v.get("text").is_none())
}

/// Read `extract`'s facts back, one extraction per document in input order.
pub fn read_facts(path: &Path, each: &mut dyn FnMut(Result<crate::facts::Extraction>)) {
    use crate::facts::{Extraction, Fact};
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return each(Err(Error::io(path, e))),
    };
    let mut current: Option<(String, Extraction)> = None;
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => return each(Err(Error::io(path, e))),
        };
        if line.trim().is_empty() {
            continue;
        }
        let fact: Fact = match serde_json::from_str(&line) {
            Ok(f) => f,
            Err(e) => {
                each(Err(Error::JsonLine {
                    path: path.to_path_buf(),
                    line: n + 1,
                    message: format!("not a fact: {e}"),
                }));
                continue;
            }
        };
        let doc = match &fact {
            Fact::Document(d) => d.doc.clone(),
            Fact::Holding(h) => h.doc.clone(),
            Fact::Congress(c) => c.doc.clone(),
            Fact::Chair(c) => c.doc.clone(),
        };
        if current.as_ref().is_some_and(|(d, _)| *d != doc) {
            if let Some((_, x)) = current.take() {
                each(Ok(x));
            }
        }
        let x = &mut current
            .get_or_insert_with(|| (doc.clone(), Extraction::default()))
            .1;
        match fact {
            Fact::Document(d) => x.info = Some(d),
            Fact::Holding(h) => x.holdings.push(h),
            Fact::Congress(c) => x.congresses.push(c),
            Fact::Chair(c) => x.chairs.push(c),
        }
    }
    if let Some((_, x)) = current {
        each(Ok(x));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_and_errors() {
        let data = "{\"id\":\"a\",\"text\":\"x\"}\nnot json\n\n{\"id\":7,\"text\":\"y\",\"published\":\"2020-01-02\"}\n";
        let mut got = Vec::new();
        read_jsonl(
            Path::new("f.jsonl"),
            BufReader::new(data.as_bytes()),
            &mut |d| got.push(d.map(|d| d.id).map_err(|e| e.to_string())),
        );
        assert_eq!(got[0].as_deref(), Ok("a"));
        assert!(got[1].as_ref().unwrap_err().starts_with("f.jsonl:2: "));
        assert_eq!(got[2].as_deref(), Ok("7"));
    }

    #[test]
    fn bom_is_dropped_and_bad_utf8_named() {
        assert_eq!(
            decode(Path::new("a"), b"\xEF\xBB\xBFhi".to_vec()).unwrap(),
            "hi"
        );
        let e = decode(Path::new("a.txt"), b"ok\xFF".to_vec()).unwrap_err();
        assert_eq!(e.to_string(), "a.txt: not valid UTF-8 at byte 2");
    }
}
