//! cadregraph reads Vietnamese political news and extracts who holds which title in which body,
//! which Party congresses took place, and who chaired what — each fact with the byte span of the
//! text it was read from.
//!
//! ```
//! use cadregraph::{Document, Extractor, Gazetteer};
//!
//! let extractor = Extractor::new(Gazetteer::embedded());
//! let doc = Document::new("demo", "Chiều 12/3, Bí thư Tỉnh ủy Nghệ An Thái Thanh Quý làm việc tại huyện Nghi Lộc.");
//! let facts = extractor.extract(&doc);
//! let h = &facts.holdings[0];
//! assert_eq!((h.person.as_str(), h.title.as_str()), ("Thái Thanh Quý", "Bí thư"));
//! assert_eq!(h.body.as_deref(), Some("Tỉnh ủy Nghệ An"));
//! ```
//!
//! The pipeline follows the data: [`normalize`] → [`segment`] → [`extract`] (mentions, linking,
//! ellipsis, events) → [`facts`]. The [`gazetteer`] holds what a linguist would change without a
//! compiler: titles, bodies, places, abbreviations, surnames, ranks and cue words.

pub mod decode;
pub mod diff;
pub mod dot;
pub mod error;
pub mod eval;
pub mod extract;
pub mod facts;
pub mod gazetteer;
pub mod graph;
pub mod html;
pub mod input;
pub mod model;
pub mod normalize;
pub mod query;
pub mod segment;
pub mod snapshot;

pub use decode::Encoding;
pub use error::{Error, Result};
pub use extract::{Document, Extractor};
pub use facts::{Chair, Congress, Evidence, Extraction, Fact, Holding, Status};
pub use gazetteer::Gazetteer;
pub use graph::{build, merge, KnowledgeGraph};
pub use model::Snapshot;
