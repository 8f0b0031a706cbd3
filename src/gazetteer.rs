//! The gazetteer: titles, bodies, places, abbreviations, surnames, ranks and cue words, loaded
//! from RON files (embedded in the binary, or a folder given with `--gazetteer`), checked, and
//! compiled into one word-sequence matcher.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::normalize::Normalizer;
use crate::segment::tokenize;

/// An abbreviation expanded before matching: "UBND" → "Ủy ban nhân dân".
#[derive(Debug, Clone, Deserialize)]
pub struct Abbreviation {
    pub from: String,
    pub to: String,
    /// Expansion used when the article's upper level is a centrally-run city ("TUV").
    #[serde(default)]
    pub city_to: Option<String>,
    /// Only before a capitalised name or a number ("H.Tân Hưng", "Q.1").
    #[serde(default)]
    pub before_name: bool,
    /// A `before_name` form that may also stand alone before punctuation ("UBND TP.").
    #[serde(default)]
    pub alone: bool,
}

/// An office title (chức danh).
#[derive(Debug, Clone, Deserialize)]
pub struct TitleDef {
    /// Canonical name, as the gold files write it.
    pub name: String,
    /// Surface forms.
    pub forms: Vec<String>,
    /// Rank among titles, for promotions: higher is more senior.
    pub rank: u32,
    /// A Party post (Bí thư …): a bare one beside a state post of a place is that place's committee.
    #[serde(default)]
    pub party: bool,
    /// The title means nothing without a body ("Trưởng", "Đại biểu").
    #[serde(default)]
    pub needs_body: bool,
    /// The body when the text gives none ("Tổng Bí thư" → "Ban Chấp hành Trung ương Đảng").
    #[serde(default)]
    pub default_body: Option<String>,
    /// A body the title word itself implies, read as text ("Tỉnh ủy viên" → "ban chấp hành đảng bộ tỉnh").
    #[serde(default)]
    pub implied_body: Option<String>,
    /// Where the text names no body, the nearest body of this kind in the article
    /// ("Thứ trưởng" → the ministry).
    #[serde(default)]
    pub context_kind: Option<BodyKind>,
    /// How many of the form's last words also begin the body ("trưởng ban" + "Ban Tổ chức": 1).
    #[serde(default)]
    pub overlap: usize,
    /// The first words of the name of the body the title heads ("Cục trưởng" → "Cục"): where
    /// the text names no body after the title, the one just named in the sentence ("nhận công
    /// tác tại Cục Cảnh sát giao thông và giữ chức Phó Cục trưởng").
    #[serde(default)]
    pub heads: Option<String>,
    /// The mission the title heads abroad ("Đại sứ" → "Đại sứ quán"): "Đại sứ Việt Nam tại
    /// Cộng hòa Pháp" holds the post in "Đại sứ quán Việt Nam tại Cộng hòa Pháp".
    #[serde(default)]
    pub mission: Option<String>,
}

/// Administrative level of a body or place.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, PartialOrd, Ord,
)]
pub enum Level {
    Central,
    Province,
    /// "thành phố": a province-level city or a city inside a province.
    City,
    District,
    Commune,
}

/// What kind of organ a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
pub enum BodyKind {
    PartyCommittee,
    PartyOrganisation,
    PartyCell,
    PartyBoard,
    StandingCommittee,
    ExecutiveCommittee,
    InspectionCommittee,
    PeoplesCommittee,
    PeoplesCouncil,
    Front,
    Delegation,
    Legislature,
    Government,
    State,
    Ministry,
    /// A general department or department of a ministry (Tổng cục, Cục, Vụ).
    Agency,
    Department,
    Police,
    Army,
    Court,
    Procuracy,
    School,
    Enterprise,
    Office,
    Other,
}

/// What may follow a body's head word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Tail {
    /// Nothing: "Bộ Chính trị".
    None,
    /// A place name: "Tỉnh ủy Nghệ An".
    Place,
    /// A level word and a place name: "Ủy ban nhân dân huyện Nghi Lộc".
    LevelPlace,
    /// The body it belongs to: "Ban Thường vụ Tỉnh ủy".
    Parent,
    /// A Party organisation's unit: "Đảng ủy xã X", "Đảng bộ Khối …", "Đảng ủy Công an tỉnh".
    Org,
    /// A proper name, then a level and place: "Sở Tài chính tỉnh X", "Chi bộ II".
    Name,
    /// A mission abroad: the sending state (Việt Nam when unwritten), "tại" and the country
    /// or city: "Đại sứ quán Việt Nam tại Cộng hòa Pháp".
    Abroad,
}

/// A body head: the word(s) that open a body name.
#[derive(Debug, Clone, Deserialize)]
pub struct BodyDef {
    pub name: String,
    pub forms: Vec<String>,
    pub kind: BodyKind,
    #[serde(default)]
    pub level: Option<Level>,
    pub tail: Tail,
    /// For a committee named after its level ("Tỉnh ủy"): the level word of its Party
    /// organisation ("tỉnh" → "Đảng bộ tỉnh").
    #[serde(default)]
    pub level_word: Option<String>,
    /// For a body of another ("Ban Thường trực" of an "Ủy ban MTTQ"): the kind of body it
    /// belongs to when the text leaves that out, looked for first in its sentence.
    #[serde(default)]
    pub of_kind: Option<BodyKind>,
    /// For a Party board inside another organ ("Đảng đoàn"): when the text leaves that organ
    /// out, the organ the next title of its list names ("Bí thư Đảng đoàn, Chủ tịch Hội Nông
    /// dân tỉnh"), if that is no Party organ.
    #[serde(default)]
    pub of_next: bool,
    /// The head opens a body only when written with a capital ("Báo Nhân Dân", not "báo cáo").
    #[serde(default)]
    pub capital: bool,
}

/// A body renamed for a title: ("Bí thư", "Trung ương Đảng") → "Ban Bí thư Trung ương Đảng".
#[derive(Debug, Clone, Deserialize)]
pub struct Rewrite {
    pub title: String,
    pub body: String,
    pub to: String,
    /// The comparison key of `body`, computed once when the gazetteer is read.
    #[serde(skip)]
    pub body_key: String,
}

#[derive(Debug, Clone, Deserialize)]
struct BodiesFile {
    heads: Vec<BodyDef>,
    rewrites: Vec<Rewrite>,
    not_bodies: Vec<String>,
    blocs: Vec<String>,
}

/// Kinds of place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
pub enum PlaceKind {
    Province,
    City,
    District,
    Urban,
    Town,
}

/// A province or centrally-run city, with its validity.
#[derive(Debug, Clone, Deserialize)]
pub struct ProvinceDef {
    pub name: String,
    pub kind: PlaceKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_to: Option<String>,
    #[serde(default)]
    pub successor: Option<String>,
}

/// A district-level unit and its province.
#[derive(Debug, Clone, Deserialize)]
pub struct DistrictDef {
    pub name: String,
    pub province: String,
    pub kind: PlaceKind,
}

#[derive(Debug, Clone, Deserialize)]
struct PlacesFile {
    provinces: Vec<ProvinceDef>,
    districts: Vec<DistrictDef>,
}

#[derive(Debug, Clone, Deserialize)]
struct SurnamesFile {
    kinh: Vec<String>,
    minority: Vec<String>,
    given_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RanksFile {
    ranks: Vec<String>,
    academic: Vec<String>,
}

/// A level word: "tỉnh", "huyện", "xã" …
#[derive(Debug, Clone, Deserialize)]
pub struct LevelWord {
    pub form: String,
    pub level: Level,
}

#[derive(Debug, Clone, Deserialize)]
struct CuesFile {
    levels: Vec<LevelWord>,
    person: Vec<String>,
    election: Vec<String>,
    former: Vec<String>,
    former_after: Vec<String>,
    relieved: Vec<String>,
    predecessor: Vec<String>,
    chair: Vec<String>,
    congress: Vec<String>,
    generic: Vec<String>,
    credit: Vec<String>,
    joins: Vec<String>,
    not_persons: Vec<String>,
    ends_name: Vec<String>,
    #[serde(default)]
    keeps_name: Vec<String>,
    #[serde(default)]
    name_goes_on: Vec<String>,
    #[serde(default)]
    for_person: Vec<String>,
    #[serde(default)]
    settlements: Vec<String>,
    #[serde(default)]
    not_settlements: Vec<String>,
    #[serde(default)]
    force_departments: Vec<String>,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    army_departments: Vec<String>,
}

/// What a matched word sequence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Title(u16),
    Body(u16),
    Level(Level),
    Province(u16),
    District(u16),
    Rank,
    PersonCue,
    Cue(Cue),
    Bloc(u16),
    NotBody,
}

/// Cue words that steer linking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// "giữ chức", "được bầu làm", "tái đắc cử" …: the titles after it go to the persons before.
    Election,
    /// "nguyên", "từng": the title after it is a past post.
    Former,
    /// "(cũ)": the title before it is a past post.
    FormerAfter,
    /// "thôi giữ chức", "miễn nhiệm": the title after it is left.
    Relieved,
    /// "thay", "kế nhiệm": the person after it is a predecessor.
    Predecessor,
    /// "chủ trì", "chủ tọa".
    Chair,
    /// "đại hội".
    Congress,
    /// "các cấp": a generic mention.
    Generic,
    /// "Ảnh:", "Tin, ảnh:": a credit line follows.
    Credit,
    /// "tham gia", "được bầu vào": the persons before become members of the bodies after.
    Joins,
}

#[derive(Debug, Default, Clone)]
struct Node {
    next: HashMap<Box<str>, u32>,
    entries: Vec<Entry>,
}

/// The loaded and compiled gazetteer.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub titles: Vec<TitleDef>,
    pub bodies: Vec<BodyDef>,
    pub rewrites: Vec<Rewrite>,
    pub provinces: Vec<ProvinceDef>,
    pub districts: Vec<DistrictDef>,
    pub abbreviations: Vec<Abbreviation>,
    pub blocs: Vec<String>,
    surnames: HashSet<String>,
    not_persons: HashSet<String>,
    /// How the police's and the army's departments are named ("An ninh", "Tham mưu").
    pub force_departments: Vec<String>,
    /// Foreign states, as word keys, longest first.
    countries: Vec<Vec<String>>,
    /// An army unit's departments named without "Cục", as word keys, longest first.
    army_departments: Vec<Vec<String>>,
    ends_name: HashSet<String>,
    /// Word pairs that go on with a name though their first word ends names ("trong nước").
    keeps_name: Vec<(String, String)>,
    /// Word keys of phrases that carry a lower-case name on after "và".
    name_goes_on: Vec<Vec<String>>,
    /// Last words of a body's name that make it a person's ("Ban Lễ tang đồng chí X").
    for_person: Vec<String>,
    settlements: HashSet<String>,
    /// The last words of `settlements`: a cheap first check.
    settlement_ends: HashSet<String>,
    /// Words that end in a village word but name none ("nông thôn", "văn bản").
    not_settlements: HashSet<String>,
    nodes: Vec<Node>,
    normalizer: Normalizer,
}

/// Body heads the extractor builds by name ("Phó Bí thư, Chủ tịch UBND huyện X" → "Huyện ủy X");
/// a gazetteer must define them.
pub const REQUIRED_HEADS: [&str; 8] = [
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Quận ủy",
    "Thị ủy",
    "Đảng ủy",
    "Đảng bộ",
    "Đảng Cộng sản Việt Nam",
];

const EMBEDDED: [(&str, &str); 7] = [
    (
        "abbreviations.ron",
        include_str!("../gazetteer/abbreviations.ron"),
    ),
    ("titles.ron", include_str!("../gazetteer/titles.ron")),
    ("bodies.ron", include_str!("../gazetteer/bodies.ron")),
    ("places.ron", include_str!("../gazetteer/places.ron")),
    ("surnames.ron", include_str!("../gazetteer/surnames.ron")),
    ("ranks.ron", include_str!("../gazetteer/ranks.ron")),
    ("cues.ron", include_str!("../gazetteer/cues.ron")),
];

struct Source<'a> {
    dir: PathBuf,
    files: Vec<(&'a str, std::borrow::Cow<'a, str>)>,
}

impl Source<'_> {
    fn get(&self, name: &str) -> (&str, PathBuf) {
        let text = self
            .files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.as_ref())
            .unwrap_or("");
        (text, self.dir.join(name))
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T> {
        let (text, path) = self.get(name);
        ron::from_str(text).map_err(|e| Error::Gazetteer {
            path,
            line: e.position.line,
            col: e.position.col,
            message: e.code.to_string(),
        })
    }

    /// An error at the first place `needle` stands in file `name`.
    fn error_at(&self, name: &str, needle: &str, message: String) -> Error {
        let (text, path) = self.get(name);
        let quoted = format!("\"{needle}\"");
        let at = text
            .find(&quoted)
            .or_else(|| text.find(needle))
            .unwrap_or(0);
        let line = text[..at].matches('\n').count() + 1;
        let col = at - text[..at].rfind('\n').map(|p| p + 1).unwrap_or(0) + 1;
        Error::Gazetteer {
            path,
            line,
            col,
            message,
        }
    }
}

impl Gazetteer {
    /// The gazetteer compiled into the binary.
    pub fn embedded() -> Self {
        let source = Source {
            dir: PathBuf::from("gazetteer"),
            files: EMBEDDED
                .iter()
                .map(|(n, t)| (*n, std::borrow::Cow::Borrowed(*t)))
                .collect(),
        };
        Self::build(&source).expect("the embedded gazetteer is checked by the tests")
    }

    /// Build a gazetteer from file texts, by file name (all seven files of [`Gazetteer::FILES`]);
    /// errors name `dir/file:line:col`.
    pub fn from_texts(dir: &Path, texts: &[(&str, String)]) -> Result<Self> {
        let files = EMBEDDED
            .iter()
            .map(|(name, _)| {
                let text = texts
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                (*name, std::borrow::Cow::Owned(text))
            })
            .collect();
        Self::build(&Source {
            dir: dir.to_path_buf(),
            files,
        })
    }

    /// The names of the gazetteer files.
    pub const FILES: [&'static str; 7] = [
        "abbreviations.ron",
        "titles.ron",
        "bodies.ron",
        "places.ron",
        "surnames.ron",
        "ranks.ron",
        "cues.ron",
    ];

    /// The embedded text of a gazetteer file.
    pub fn embedded_text(name: &str) -> Option<&'static str> {
        EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// Load and check the gazetteer files of `dir`.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let mut files = Vec::new();
        for (name, _) in EMBEDDED {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let text = String::from_utf8(bytes).map_err(|e| Error::Encoding {
                path: path.clone(),
                offset: e.utf8_error().valid_up_to(),
            })?;
            files.push((name, std::borrow::Cow::Owned(text)));
        }
        Self::build(&Source {
            dir: dir.to_path_buf(),
            files,
        })
    }

    fn build(source: &Source) -> Result<Self> {
        let abbreviations: Vec<Abbreviation> = source.parse("abbreviations.ron")?;
        let titles: Vec<TitleDef> = source.parse("titles.ron")?;
        let bodies: BodiesFile = source.parse("bodies.ron")?;
        let places: PlacesFile = source.parse("places.ron")?;
        let surnames: SurnamesFile = source.parse("surnames.ron")?;
        let ranks: RanksFile = source.parse("ranks.ron")?;
        let cues: CuesFile = source.parse("cues.ron")?;
        check(source, &titles, &bodies, &places)?;

        let place_names = places
            .provinces
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
            .chain(places.districts.iter().map(|d| &d.name))
            .cloned()
            .collect();
        let normalizer = Normalizer::with_places(&abbreviations, place_names);
        let mut g = Gazetteer {
            titles,
            bodies: bodies.heads,
            rewrites: bodies
                .rewrites
                .into_iter()
                .map(|r| Rewrite {
                    body_key: crate::normalize::key(&r.body),
                    ..r
                })
                .collect(),
            provinces: places.provinces,
            districts: places.districts,
            abbreviations,
            blocs: bodies.blocs,
            surnames: HashSet::default(),
            not_persons: HashSet::default(),
            force_departments: Vec::new(),
            countries: Vec::new(),
            army_departments: Vec::new(),
            ends_name: HashSet::default(),
            keeps_name: Vec::new(),
            name_goes_on: Vec::new(),
            for_person: Vec::new(),
            settlements: HashSet::default(),
            settlement_ends: HashSet::default(),
            not_settlements: HashSet::default(),
            nodes: vec![Node::default()],
            normalizer,
        };
        for (i, t) in g.titles.clone().iter().enumerate() {
            for f in &t.forms {
                g.insert(f, Entry::Title(i as u16));
            }
        }
        for (i, b) in g.bodies.clone().iter().enumerate() {
            for f in &b.forms {
                g.insert(f, Entry::Body(i as u16));
            }
        }
        for (i, b) in g.blocs.clone().iter().enumerate() {
            g.insert(b, Entry::Bloc(i as u16));
        }
        for n in &bodies.not_bodies {
            g.insert(n, Entry::NotBody);
        }
        for (i, p) in g.provinces.clone().iter().enumerate() {
            for f in std::iter::once(&p.name).chain(&p.aliases) {
                g.insert(f, Entry::Province(i as u16));
            }
        }
        for (i, d) in g.districts.clone().iter().enumerate() {
            g.insert(&d.name, Entry::District(i as u16));
        }
        for l in &cues.levels {
            g.insert(&l.form, Entry::Level(l.level));
        }
        for r in ranks.ranks.iter().chain(&ranks.academic) {
            g.insert(r, Entry::Rank);
        }
        for p in &cues.person {
            g.insert(p, Entry::PersonCue);
        }
        let cue_lists = [
            (&cues.election, Cue::Election),
            (&cues.former, Cue::Former),
            (&cues.former_after, Cue::FormerAfter),
            (&cues.relieved, Cue::Relieved),
            (&cues.predecessor, Cue::Predecessor),
            (&cues.chair, Cue::Chair),
            (&cues.congress, Cue::Congress),
            (&cues.generic, Cue::Generic),
            (&cues.credit, Cue::Credit),
            (&cues.joins, Cue::Joins),
        ];
        for (list, cue) in cue_lists {
            for f in list {
                g.insert(f, Entry::Cue(cue));
            }
        }
        g.surnames = surnames
            .kinh
            .iter()
            .chain(&surnames.minority)
            .chain(&surnames.given_prefixes)
            .map(|s| g.word_key(s))
            .collect();
        // Prefixes that end in an apostrophe are written joined to the name ("H'Mai"): kept
        // as written too, lower case.
        for p in &surnames.given_prefixes {
            if p.ends_with(['\'', '’']) {
                g.surnames.insert(p.to_lowercase().replace('’', "'"));
            }
        }
        // "Hàn Quốc" is no person named Hàn.
        g.not_persons = cues
            .not_persons
            .iter()
            .chain(&cues.countries)
            .map(|s| g.word_key(s))
            .collect();
        g.force_departments = cues.force_departments.clone();
        g.countries = g.phrase_keys(&cues.countries);
        g.army_departments = g.phrase_keys(&cues.army_departments);
        g.ends_name = cues.ends_name.iter().map(|s| g.word_key(s)).collect();
        g.keeps_name = cues
            .keeps_name
            .iter()
            .filter_map(|s| {
                let key = g.word_key(s);
                let (a, b) = key.split_once(' ')?;
                Some((a.to_string(), b.to_string()))
            })
            .collect();
        g.name_goes_on = cues
            .name_goes_on
            .iter()
            .map(|s| g.word_key(s).split(' ').map(str::to_string).collect())
            .collect();
        g.for_person = cues.for_person.iter().map(|s| g.word_key(s)).collect();
        g.settlements = cues.settlements.iter().map(|s| g.word_key(s)).collect();
        g.settlement_ends = g
            .settlements
            .iter()
            .filter_map(|s| s.rsplit(' ').next().map(str::to_string))
            .collect();
        g.not_settlements = cues.not_settlements.iter().map(|s| g.word_key(s)).collect();
        Ok(g)
    }

    /// The normaliser built from the abbreviation table.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Lower-case, tone-canonical words of a phrase, joined by one space.
    pub fn word_key(&self, phrase: &str) -> String {
        let norm = self.normalizer.normalize(phrase);
        let lower = norm.lower();
        tokenize(lower)
            .iter()
            .map(|t| t.text(lower))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn insert(&mut self, phrase: &str, entry: Entry) {
        let norm = self.normalizer.normalize(phrase);
        let lower = norm.lower().to_string();
        let mut node = 0usize;
        for t in tokenize(&lower) {
            let word: Box<str> = t.text(&lower).into();
            node = match self.nodes[node].next.get(&word) {
                Some(&n) => n as usize,
                None => {
                    self.nodes.push(Node::default());
                    let n = self.nodes.len() - 1;
                    self.nodes[node].next.insert(word, n as u32);
                    n
                }
            };
        }
        if node != 0 && !self.nodes[node].entries.contains(&entry) {
            self.nodes[node].entries.push(entry);
        }
    }

    /// For every word of `words`, the gazetteer phrases that start there: (number of words,
    /// trie node), shortest first. Computed once per document; see [`Gazetteer::entries`].
    pub fn matches(&self, words: &[&str]) -> Matches {
        let mut m = Matches {
            starts: Vec::with_capacity(words.len() + 1),
            items: Vec::new(),
        };
        for i in 0..words.len() {
            m.starts.push(m.items.len() as u32);
            self.walk(words, i, &mut m.items);
        }
        m.starts.push(m.items.len() as u32);
        m
    }

    /// Push the trie nodes with entries reached from word `i`: (number of words, node).
    fn walk(&self, words: &[&str], i: usize, out: &mut Vec<(u16, u32)>) {
        let mut node = 0usize;
        for (k, w) in words[i..].iter().enumerate() {
            match self.nodes[node].next.get(*w) {
                Some(&n) => node = n as usize,
                None => break,
            }
            if !self.nodes[node].entries.is_empty() {
                out.push((k as u16 + 1, node as u32));
            }
        }
    }

    /// The entries of a trie node found by [`Gazetteer::matches`].
    pub fn entries(&self, node: u32) -> &[Entry] {
        &self.nodes[node as usize].entries
    }

    /// All gazetteer phrases starting at word `i` of `words`: (number of words, entries),
    /// shortest first.
    pub fn matches_at<'a>(&'a self, words: &[&str], i: usize) -> Vec<(usize, &'a [Entry])> {
        let mut found = Vec::new();
        self.walk(words, i, &mut found);
        found
            .into_iter()
            .map(|(len, node)| (len as usize, self.entries(node)))
            .collect()
    }

    /// Does this lower-case word begin a person's name (a family name or a given-name prefix)?
    pub fn is_surname(&self, word: &str) -> bool {
        if self.surnames.contains(word) {
            return true;
        }
        // "H'Mai", "K'Điện": a prefix ending in an apostrophe, written joined to the name.
        word.char_indices()
            .find(|&(_, c)| c == '\'' || c == '’')
            .is_some_and(|(at, c)| {
                let prefix = &word[..at + c.len_utf8()];
                at > 0 && word.len() > prefix.len() && self.surnames.contains(prefix)
            })
    }

    /// Phrases as lists of key words, longest first, for [`longest_prefix`].
    fn phrase_keys(&self, phrases: &[String]) -> Vec<Vec<String>> {
        let mut keys: Vec<Vec<String>> = phrases
            .iter()
            .map(|c| self.word_key(c).split(' ').map(str::to_string).collect())
            .collect();
        keys.sort_by_key(|c| std::cmp::Reverse(c.len()));
        keys
    }

    /// How many of `words` name a foreign state at their start (0 if none).
    pub fn country_len(&self, words: &[&str]) -> usize {
        longest_prefix(&self.countries, words)
    }

    /// How many of `words` name an army unit's department at their start ("Chính trị").
    pub fn army_department_len(&self, words: &[&str]) -> usize {
        longest_prefix(&self.army_departments, words)
    }

    /// A capitalised phrase that is never an office holder ("Hồ Chí Minh").
    pub fn is_not_person(&self, key: &str) -> bool {
        self.not_persons.contains(key)
    }

    /// A lower-case word for a village or neighbourhood ("thôn", "bản", "ấp"): the capitalised
    /// words after it name a place, not a person.
    pub fn is_settlement(&self, word: &str) -> bool {
        self.settlements.contains(word)
    }

    /// Could a settlement word ("thôn", "cửa khẩu") end with this lower-case word?
    pub fn ends_settlement(&self, word: &str) -> bool {
        self.settlement_ends.contains(word)
    }

    /// Two words that end in a village word but name no village ("nông thôn").
    pub fn is_not_settlement(&self, words: &str) -> bool {
        self.not_settlements.contains(words)
    }

    /// Does the lower-case `word` (after `prev`, before `next`) end the name of a body? Either
    /// the word alone is listed ("được") and it stands in no pair that goes on ("trong nước",
    /// "thiết bị"), or the two words are listed ("điều động": "đê điều" goes on).
    pub fn ends_name(&self, prev: &str, word: &str, next: &str) -> bool {
        if !self.ends_name.contains(word) {
            let pair = format!("{word} {next}");
            return !next.is_empty() && self.ends_name.contains(&pair);
        }
        !(self.keeps_name_after(word, next) || self.keeps_name_after(prev, word))
    }

    /// Does `word` after `prev` go on in a name although it opens a phrase of its own ("Tài
    /// nguyên": "nguyên" marks a past post elsewhere)?
    pub fn keeps_name_after(&self, prev: &str, word: &str) -> bool {
        self.keeps_name.iter().any(|(a, b)| a == prev && b == word)
    }

    /// Does a body's name that ends with `words` (lower-case, space-joined) stand for a person
    /// named after it ("Ban Lễ tang đồng chí X")?
    pub fn is_for_person(&self, words: &str) -> bool {
        self.for_person.iter().any(|p| {
            words
                .strip_suffix(p.as_str())
                .is_some_and(|head| head.is_empty() || head.ends_with(' '))
        })
    }

    /// The length in words of a phrase that carries a name on after "và" ("phòng, chống"),
    /// found at the start of `words`; 0 if none.
    pub fn name_goes_on<'w>(&self, words: impl Fn(usize) -> &'w str) -> usize {
        self.name_goes_on
            .iter()
            .find(|p| p.iter().enumerate().all(|(i, w)| words(i) == w))
            .map_or(0, Vec::len)
    }

    /// The province a district belongs to, if the district name is unique.
    pub fn province_of_district(&self, district: &str) -> Option<&str> {
        let mut found = self.districts.iter().filter(|d| d.name == district);
        let first = found.next()?;
        if found.any(|d| d.province != first.province) {
            return None;
        }
        Some(first.province.as_str())
    }

    /// The index of the body head named `name`.
    pub fn body_named(&self, name: &str) -> Option<u16> {
        self.bodies
            .iter()
            .position(|b| b.name == name)
            .map(|p| p as u16)
    }

    /// The title named `name`.
    pub fn title_named(&self, name: &str) -> Option<&TitleDef> {
        self.titles.iter().find(|t| t.name == name)
    }
}

/// Cross-file checks: what the data must satisfy for the extractor to work.
fn check(
    source: &Source,
    titles: &[TitleDef],
    bodies: &BodiesFile,
    places: &PlacesFile,
) -> Result<()> {
    for t in titles {
        if t.forms.is_empty() {
            return Err(source.error_at(
                "titles.ron",
                &t.name,
                format!("title {:?} has no forms", t.name),
            ));
        }
        for f in &t.forms {
            if f.trim().is_empty() || f.chars().any(|c| c.is_uppercase()) {
                return Err(source.error_at(
                    "titles.ron",
                    f,
                    format!("form {f:?} must be non-empty and lower case"),
                ));
            }
        }
    }
    for b in &bodies.heads {
        for f in &b.forms {
            if f.trim().is_empty() || f.chars().any(|c| c.is_uppercase()) {
                return Err(source.error_at(
                    "bodies.ron",
                    f,
                    format!("form {f:?} must be non-empty and lower case"),
                ));
            }
        }
    }
    for h in REQUIRED_HEADS {
        if !bodies.heads.iter().any(|b| b.name == h) {
            return Err(source.error_at(
                "bodies.ron",
                "heads",
                format!("no body head named {h:?}"),
            ));
        }
    }
    for r in &bodies.rewrites {
        if !titles.iter().any(|t| t.name == r.title) {
            return Err(source.error_at(
                "bodies.ron",
                &r.title,
                format!("rewrite names unknown title {:?}", r.title),
            ));
        }
    }
    let names: HashSet<&str> = places.provinces.iter().map(|p| p.name.as_str()).collect();
    for p in &places.provinces {
        for d in [&p.valid_from, &p.valid_to].into_iter().flatten() {
            if !is_iso_date(d) {
                return Err(source.error_at(
                    "places.ron",
                    d,
                    format!("{:?}: date {d:?} is not YYYY-MM-DD", p.name),
                ));
            }
        }
        if let Some(s) = &p.successor {
            if !names.contains(s.as_str()) {
                return Err(source.error_at(
                    "places.ron",
                    s,
                    format!("{:?}: successor {s:?} is not a province", p.name),
                ));
            }
        }
    }
    for d in &places.districts {
        if !names.contains(d.province.as_str()) {
            return Err(source.error_at(
                "places.ron",
                &d.province,
                format!("district {:?}: unknown province {:?}", d.name, d.province),
            ));
        }
    }
    Ok(())
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Gazetteer phrases found at each word of a document, in one flat list.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    /// `items[starts[i]..starts[i + 1]]` start at word `i`.
    starts: Vec<u32>,
    items: Vec<(u16, u32)>,
}

impl Matches {
    /// The phrases starting at word `i`: (number of words, trie node), shortest first.
    pub fn at(&self, i: usize) -> &[(u16, u32)] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// The length of the longest of `phrases` (longest first) that `words` start with, 0 if none.
fn longest_prefix(phrases: &[Vec<String>], words: &[&str]) -> usize {
    phrases
        .iter()
        .find(|c| c.len() <= words.len() && c.iter().zip(words).all(|(a, b)| a == b))
        .map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A title form or body head written twice would make one of them dead data (a name may
    /// repeat: "Ủy viên" has a row for each body its forms imply); a mission a title names must
    /// exist.
    #[test]
    fn titles_and_bodies_are_listed_once_and_refer_to_real_heads() {
        let g = Gazetteer::embedded();
        let mut seen = HashSet::default();
        for t in &g.titles {
            for f in &t.forms {
                assert!(seen.insert(f.clone()), "title form {f} listed twice");
            }
            if let Some(m) = &t.mission {
                assert!(g.body_named(m).is_some(), "{}: no body {m}", t.name);
            }
        }
        let mut heads = HashSet::default();
        for b in &g.bodies {
            assert!(heads.insert(b.name.clone()), "body {} listed twice", b.name);
        }
    }

    #[test]
    fn embedded_loads_and_matches() {
        let g = Gazetteer::embedded();
        let key = g.word_key("Phó Bí thư Thường trực Tỉnh ủy");
        let words: Vec<&str> = key.split(' ').collect();
        let m = g.matches_at(&words, 0);
        let longest = m.last().unwrap();
        assert_eq!(longest.0, 5);
        assert!(matches!(longest.1[0], Entry::Title(_)));
    }

    #[test]
    fn surnames() {
        let g = Gazetteer::embedded();
        assert!(g.is_surname("nguyễn"));
        assert!(g.is_surname("giàng"));
        assert!(!g.is_surname("bí"));
    }
}
