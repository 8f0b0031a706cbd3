//! Commands and all printing. Exit codes: 0 ok, 1 internal error, 2 bad input or usage
//! (documents that could not be read were skipped, the rest were processed).

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use cadregraph::{eval, input, Extractor, Fact, Gazetteer};

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
            if e.downcast_ref::<cadregraph::Error>().is_some() {
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
