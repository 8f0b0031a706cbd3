//! Snapshots as cadregraph writes them, read on all cores. The writer's layout is fixed: each
//! list of the snapshot starts on its own line (`\n  persons: [`), and each member of a list on
//! its own (`\n    (\n`); strings never hold a raw line break. So the text can be cut into
//! pieces at those lines without reading it, and the pieces read side by side. Text in any other
//! layout is not cut: the caller reads it in one piece.

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::fast;
use crate::model::{Snapshot, SCHEMA_VERSION};

/// The lists of a snapshot, in the order they are written.
const LISTS: [&str; 7] = [
    "documents",
    "persons",
    "bodies",
    "places",
    "holdings",
    "congresses",
    "meetings",
];

/// Where each list's members are: the text between its brackets.
fn lists(text: &str) -> Option<[&str; 7]> {
    let mut out = [""; 7];
    let header = format!("(\n  schema: {SCHEMA_VERSION},\n");
    let mut at = text.starts_with(&header).then_some(header.len() - 1)?;
    for (i, name) in LISTS.iter().enumerate() {
        let open = format!("\n  {name}: [");
        let start = at + text[at..].find(&open)? + open.len();
        let rest = &text[start..];
        // An empty list closes at once; a full one on its own line at this depth.
        let end = if rest.starts_with(']') {
            start
        } else {
            start + rest.find("\n  ],\n")?
        };
        out[i] = &text[start..end];
        at = end;
    }
    (text[at..].trim() == "],\n)").then_some(out)
}

/// The members of one list, read in pieces of about `piece` bytes on all cores.
fn read_list<T: DeserializeOwned + Send>(members: &str, piece: usize) -> Option<Vec<T>> {
    const MEMBER: &[u8] = b"\n    (\n";
    let bytes = members.as_bytes();
    let mut cuts = vec![0];
    let mut at = piece;
    // Searched as bytes: `at` may fall inside a character; a cut is always at a line break.
    while at < bytes.len() {
        match bytes[at..].windows(MEMBER.len()).position(|w| w == MEMBER) {
            Some(i) => {
                cuts.push(at + i);
                at += i + piece.max(1);
            }
            None => break,
        }
    }
    cuts.push(members.len());
    let pieces: Vec<&str> = cuts.windows(2).map(|w| &members[w[0]..w[1]]).collect();
    let read: Vec<Vec<T>> = pieces
        .par_iter()
        .map(|p| fast::items(p).ok())
        .collect::<Option<_>>()?;
    Some(read.into_iter().flatten().collect())
}

/// The snapshot, or `None` when the text is not in the writer's layout or does not read.
pub fn read(text: &str) -> Option<Snapshot> {
    let [documents, persons, bodies, places, holdings, congresses, meetings] = lists(text)?;
    // Pieces small enough to keep every core busy, large enough to be worth a task.
    let piece = (text.len() / (rayon::current_num_threads() * 8)).max(1 << 20);
    let ((documents, persons), (bodies, (places, holdings))) = rayon::join(
        || rayon::join(|| read_list(documents, piece), || read_list(persons, piece)),
        || {
            rayon::join(
                || read_list(bodies, piece),
                || rayon::join(|| read_list(places, piece), || read_list(holdings, piece)),
            )
        },
    );
    Some(Snapshot {
        schema: SCHEMA_VERSION,
        documents: documents?,
        persons: persons?,
        bodies: bodies?,
        places: places?,
        holdings: holdings?,
        congresses: read_list(congresses, piece)?,
        meetings: read_list(meetings, piece)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Person, Place};

    fn snapshot(persons: usize) -> Snapshot {
        let mut s = Snapshot::default();
        for i in 0..persons {
            s.persons.push(Person {
                id: format!("person/{i:04}"),
                name: format!("Nguyễn Văn \"{i}\"\n"),
                aliases: vec![],
                anchor: "Nghệ An".into(),
                reasons: vec!["same name".into()],
                evidence: vec![Evidence {
                    doc: format!("d{i}"),
                    start: i,
                    end: i + 1,
                    published: None,
                    rule: "r".into(),
                    former: false,
                }],
            });
        }
        s.places.push(Place {
            id: "place/nghe-an".into(),
            name: "Nghệ An".into(),
            level: crate::gazetteer::Level::Province,
            kind: None,
            province: None,
            valid_from: None,
            valid_to: None,
            successor: None,
        });
        s
    }

    #[test]
    fn reads_the_writers_layout_in_pieces() {
        for n in [0, 1, 50] {
            let s = snapshot(n);
            let text = super::super::to_ron(&s);
            assert_eq!(read(&text), Some(s.clone()), "{n} persons");
            // Pieces of every size, cut anywhere, even inside a character.
            let members = lists(&text).unwrap()[1];
            for piece in 1..300 {
                let read: Vec<Person> = read_list(members, piece).unwrap();
                assert_eq!(read, s.persons, "pieces of {piece}");
            }
        }
    }

    #[test]
    fn other_layouts_are_left_to_the_caller() {
        let s = snapshot(3);
        let compact = ron::to_string(&s).unwrap();
        assert_eq!(read(&compact), None);
        let text = super::super::to_ron(&s);
        let broken = text.replacen("start: 1,", "start: x,", 1);
        assert_eq!(read(&broken), None);
        assert_eq!(read(&text[..text.len() - 3]), None);
    }
}
