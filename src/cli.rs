//! Commands and all printing. Exit codes: 0 ok, 1 internal error, 2 bad input or usage
//! (documents that could not be read were skipped, the rest were processed).

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use cadregraph::{dot, eval, input, snapshot, Extractor, Fact, Gazetteer};

#[derive(Parser, Debug)]
#[command(
    name = "cadregraph",
    version,
    about = "Vietnamese political news → who holds which post, congresses, chairs"
)]
struct Cli {
    /// Use the gazetteer files of DIR instead of the embedded default.
    #[arg(long, global = true, value_name = "DIR")]
    gazetteer: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print each document's facts as JSON Lines (holdings, congresses, chairs) on stdout.
    Extract {
        /// Files, folders (searched for *.txt and *.jsonl) or - for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Score extraction against gold folders (NAME.txt beside NAME.gold.json).
    Eval {
        #[arg(required = true)]
        gold: Vec<PathBuf>,
        /// Also list the misses and false hits of each document.
        #[arg(long)]
        details: bool,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Extract and merge documents (or extract's JSON Lines) into one graph snapshot.
    Build {
        /// Article files or folders, or JSON Lines written by `extract`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The snapshot to write (RON).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Merge snapshots into one.
    Merge {
        #[arg(required = true)]
        snapshots: Vec<PathBuf>,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Draw an org chart of a snapshot: FILE.dot, FILE.svg or FILE.png.
    Render {
        graph: PathBuf,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Only bodies whose name contains this, and the bodies under them.
        #[arg(long)]
        body: Option<String>,
        /// Only bodies at a place whose name contains this.
        #[arg(long)]
        place: Option<String>,
        /// Only holdings of this term, e.g. 2020-2025.
        #[arg(long)]
        term: Option<String>,
    },
    /// Gazetteer tools.
    Gazetteer {
        #[command(subcommand)]
        action: GazetteerAction,
    },
}

#[derive(Subcommand, Debug)]
enum GazetteerAction {
    /// Load and check a gazetteer folder (default: the embedded one); errors name file:line:col.
    Check { dir: Option<PathBuf> },
}

/// A command line that asks for something impossible: exit code 2.
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Outcome of a command that read input: whether something had to be skipped.
struct Outcome {
    skipped: usize,
    /// Documents on which the extractor failed (a bug): exit code 1.
    failed: usize,
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(Outcome { failed: 1.., .. }) => 1,
        Ok(Outcome { skipped: 0, .. }) => 0,
        Ok(Outcome { skipped, .. }) => {
            eprintln!("cadregraph: {skipped} input(s) skipped");
            2
        }
        Err(e) => {
            if is_broken_pipe(&e) {
                return 0;
            }
            eprintln!("cadregraph: {e:#}");
            if e.downcast_ref::<cadregraph::Error>().is_some()
                || e.downcast_ref::<Usage>().is_some()
            {
                2
            } else {
                1
            }
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn gazetteer(dir: &Option<PathBuf>) -> Result<Gazetteer> {
    Ok(match dir {
        Some(d) => Gazetteer::load_dir(d)?,
        None => Gazetteer::embedded(),
    })
}

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Extract { paths } => {
            let extractor = Extractor::new(gazetteer(&cli.gazetteer)?);
            extract(&extractor, &paths)
        }
        Command::Eval {
            gold,
            details,
            json,
        } => {
            let extractor = Extractor::new(gazetteer(&cli.gazetteer)?);
            evaluate(&extractor, &gold, details, json)
        }
        Command::Build { paths, output } => {
            let extractor = Extractor::new(gazetteer(&cli.gazetteer)?);
            build(&extractor, &paths, &output)
        }
        Command::Merge { snapshots, output } => {
            let mut merged = cadregraph::Snapshot::default();
            for s in &snapshots {
                merged = cadregraph::merge(merged, snapshot::load(s)?);
            }
            snapshot::save(&output, &merged)?;
            summary(&output, &merged);
            Ok(Outcome {
                skipped: 0,
                failed: 0,
            })
        }
        Command::Render {
            graph,
            output,
            body,
            place,
            term,
        } => {
            let s = snapshot::load(&graph)?;
            let view = dot::View { body, place, term };
            let text = dot::chart(&s, &view);
            let format = dot::format_of(&output).ok_or_else(|| {
                Usage(format!(
                    "{}: the output must end in .dot, .svg or .png",
                    output.display()
                ))
            })?;
            let bytes = dot::render(&text, format, &output)?;
            snapshot::write_atomic(&output, &bytes)?;
            eprintln!("wrote {}", output.display());
            Ok(Outcome {
                skipped: 0,
                failed: 0,
            })
        }
        Command::Gazetteer {
            action: GazetteerAction::Check { dir },
        } => {
            let g = gazetteer(&dir.or(cli.gazetteer))?;
            eprintln!(
                "gazetteer ok: {} titles, {} bodies, {} provinces, {} districts, {} abbreviations",
                g.titles.len(),
                g.bodies.len(),
                g.provinces.len(),
                g.districts.len(),
                g.abbreviations.len()
            );
            Ok(Outcome {
                skipped: 0,
                failed: 0,
            })
        }
    }
}

fn extract(extractor: &Extractor, paths: &[PathBuf]) -> Result<Outcome> {
    let (files, errors) = input::input_files(paths);
    let mut skipped = errors.len();
    for e in &errors {
        eprintln!("cadregraph: {e}");
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failure: Option<std::io::Error> = None;
    let mut failed = 0;
    for file in &files {
        input::read_file(file, &mut |doc| {
            if failure.is_some() {
                return;
            }
            match doc {
                Ok(doc) => {
                    let Some(extraction) = guarded(extractor, &doc) else {
                        failed += 1;
                        return;
                    };
                    for fact in extraction.facts() {
                        let line = serde_json::to_string(&fact).expect("facts serialise");
                        if let Err(e) = writeln!(out, "{line}") {
                            failure = Some(e);
                            return;
                        }
                    }
                }
                Err(e) => {
                    skipped += 1;
                    eprintln!("cadregraph: {e}");
                }
            }
        });
    }
    if let Some(e) = failure {
        return Err(e).context("writing to stdout");
    }
    out.flush().context("writing to stdout")?;
    Ok(Outcome { skipped, failed })
}

/// Extract one document; a bug in the extractor is reported with the document's id and the
/// other documents go on.
fn guarded(extractor: &Extractor, doc: &cadregraph::Document) -> Option<cadregraph::Extraction> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extractor.extract(doc)));
    if result.is_err() {
        eprintln!(
            "cadregraph: internal error while extracting {:?}; skipped",
            doc.id
        );
    }
    result.ok()
}

fn build(extractor: &Extractor, paths: &[PathBuf], output: &std::path::Path) -> Result<Outcome> {
    let (files, errors) = input::input_files(paths);
    let mut skipped = errors.len();
    let mut failed = 0;
    for e in &errors {
        eprintln!("cadregraph: {e}");
    }
    let builder = cadregraph::graph::Builder::new(extractor.gazetteer());
    let mut acc = cadregraph::graph::Accumulator::default();
    for file in &files {
        let mut add = |x: cadregraph::Result<cadregraph::Extraction>| match x {
            Ok(x) => acc.add_snapshot(builder.document(&x)),
            Err(e) => {
                skipped += 1;
                eprintln!("cadregraph: {e}");
            }
        };
        if input::is_facts_file(file) {
            input::read_facts(file, &mut add);
        } else {
            input::read_file(file, &mut |doc| match doc {
                Ok(doc) => match guarded(extractor, &doc) {
                    Some(x) => add(Ok(x)),
                    None => failed += 1,
                },
                Err(e) => add(Err(e)),
            });
        }
    }
    let s = acc.finish();
    snapshot::save(output, &s)?;
    summary(output, &s);
    Ok(Outcome { skipped, failed })
}

fn summary(path: &std::path::Path, s: &cadregraph::Snapshot) {
    eprintln!(
        "wrote {}: {} documents, {} persons, {} bodies, {} places, {} holdings, {} congresses, {} meetings",
        path.display(),
        s.documents.len(),
        s.persons.len(),
        s.bodies.len(),
        s.places.len(),
        s.holdings.len(),
        s.congresses.len(),
        s.meetings.len()
    );
}

fn evaluate(extractor: &Extractor, dirs: &[PathBuf], details: bool, json: bool) -> Result<Outcome> {
    let mut facts: Vec<Fact> = Vec::new();
    let mut gold = Vec::new();
    let mut skipped = 0;
    let mut failed = 0;
    for dir in dirs {
        for g in eval::load_gold(dir)? {
            input::read_file(&g.text_path, &mut |doc| match doc {
                Ok(mut doc) => {
                    doc.id = g.name.clone();
                    match guarded(extractor, &doc) {
                        Some(x) => facts.extend(x.facts()),
                        None => failed += 1,
                    }
                }
                Err(e) => {
                    skipped += 1;
                    eprintln!("cadregraph: {e}");
                }
            });
            gold.push(g);
        }
    }
    let report = eval::score(&gold, &facts);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        writeln!(out, "{}", report.to_json())?;
    } else {
        write!(out, "{}", report.render(details))?;
    }
    Ok(Outcome { skipped, failed })
}
