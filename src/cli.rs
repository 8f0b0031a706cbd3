//! Commands and all printing. Exit codes: 0 ok, 1 internal error, 2 bad input or usage
//! (documents that could not be read were skipped, the rest were processed).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use cadregraph::{diff, dot, eval, input, query, snapshot, Extractor, Fact, Gazetteer};

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
    /// Read input in this encoding instead of detecting it: utf-8, utf-16le, utf-16be,
    /// windows-1258, tcvn3, vni.
    #[arg(long, global = true, value_name = "NAME")]
    encoding: Option<cadregraph::Encoding>,
    /// Documents extracted in parallel (default: all cores). Output keeps the input order.
    #[arg(long, short = 'j', global = true, value_name = "N")]
    jobs: Option<usize>,
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
    /// Answer a question from a snapshot: chairs, holders, person, body, congress.
    Query {
        graph: PathBuf,
        #[command(subcommand)]
        what: QueryWhat,
        /// Print JSON (one array) instead of a table.
        #[arg(long, global = true)]
        json: bool,
    },
    /// What changed between two snapshots, or between two terms of one.
    Diff {
        /// The older snapshot (or the only one, with --from-term and --to-term).
        old: PathBuf,
        /// The newer snapshot.
        new: Option<PathBuf>,
        #[arg(long, requires = "to_term")]
        from_term: Option<String>,
        #[arg(long, requires = "from_term")]
        to_term: Option<String>,
        /// Only bodies whose name contains this.
        #[arg(long)]
        body: Option<String>,
        /// One JSON object per change, a line each.
        #[arg(long)]
        json: bool,
        /// Also draw the changes as a chart (FILE.dot, .svg or .png): entered green, left red.
        #[arg(long, value_name = "FILE")]
        dot: Option<PathBuf>,
    },
    /// Gazetteer tools.
    Gazetteer {
        #[command(subcommand)]
        action: GazetteerAction,
    },
}

#[derive(Subcommand, Debug)]
enum QueryWhat {
    /// Who chaired which congress or meeting.
    Chairs {
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        year: Option<u32>,
    },
    /// Who held a title in a body, in a term or on a date.
    Holders {
        #[arg(long)]
        title: String,
        #[arg(long)]
        body: String,
        #[arg(long, conflicts_with = "at")]
        term: Option<String>,
        /// A date, YYYY-MM-DD.
        #[arg(long)]
        at: Option<String>,
    },
    /// A person's career (each person of that name separately).
    Person { name: String },
    /// A body's members by term, sub-bodies and congresses.
    Body { name: String },
    /// A body's congresses: ordinal, term, dates, elected, chairs.
    Congress {
        body: String,
        #[arg(long)]
        ordinal: Option<u32>,
        #[arg(long)]
        term: Option<String>,
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

impl Outcome {
    /// Nothing skipped, nothing failed.
    fn ok() -> Self {
        Outcome {
            skipped: 0,
            failed: 0,
        }
    }
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
            eprintln!("cadregraph: {}", message(&e));
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

/// The error and its causes, each said once: a library error that already names its cause
/// ("FILE: No such file or directory") is not followed by that cause again.
fn message(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !out.ends_with(&cause) {
            out.push_str(": ");
            out.push_str(&cause);
        }
    }
    out
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
            extract(&extractor, &paths, read_options(&cli.encoding), cli.jobs)
        }
        Command::Eval {
            gold,
            details,
            json,
        } => {
            let extractor = Extractor::new(gazetteer(&cli.gazetteer)?);
            evaluate(
                &extractor,
                &gold,
                details,
                json,
                read_options(&cli.encoding),
            )
        }
        Command::Build { paths, output } => {
            let extractor = Extractor::new(gazetteer(&cli.gazetteer)?);
            build(
                &extractor,
                &paths,
                &output,
                read_options(&cli.encoding),
                cli.jobs,
            )
        }
        Command::Merge { snapshots, output } => {
            let mut merged = cadregraph::graph::Accumulator::default();
            for s in &snapshots {
                merged.add_snapshot(snapshot::load(s)?);
            }
            merged.save(&output)?;
            summary(&output, &merged);
            Ok(Outcome::ok())
        }
        Command::Render {
            graph,
            output,
            body,
            place,
            term,
        } => {
            let s = snapshot::load(&graph)?;
            let view = dot::View {
                body,
                place,
                term,
                ..dot::View::default()
            };
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
            Ok(Outcome::ok())
        }
        Command::Query { graph, what, json } => {
            let s = snapshot::load(&graph)?;
            let names = query::Names::new(&gazetteer(&cli.gazetteer)?);
            let outcome = run_query(
                &query::Query {
                    s: &s,
                    names: &names,
                },
                what,
                json,
            );
            exiting(s);
            outcome
        }
        Command::Diff {
            old,
            new,
            from_term,
            to_term,
            body,
            json,
            dot: chart,
        } => {
            // Snapshots are read without evidence unless the chart needs them whole; two
            // snapshots without a chart are only viewed (their copies read in place).
            let load = |p: &Path| match chart {
                Some(_) => snapshot::load(p),
                None => snapshot::load_without_evidence(p),
            };
            let (a, b, changes) = match (&new, &from_term, &to_term) {
                (Some(n), None, None) if chart.is_none() => {
                    let changes = snapshot::with_views(&old, n, |a, b| {
                        diff::diff_views(a, b, body.as_deref())
                    })?;
                    print_changes(&changes, json)?;
                    exiting(changes);
                    return Ok(Outcome::ok());
                }
                // The two snapshots are read side by side.
                (Some(n), None, None) => {
                    let (a, b) = rayon::join(|| load(&old), || load(n));
                    let (a, b) = (a?, b?);
                    let changes = diff::diff(&a, &b, body.as_deref());
                    (a, Some(b), changes)
                }
                (None, Some(f), Some(t)) => {
                    let a = load(&old)?;
                    let changes = diff::diff_terms(&a, f, t, body.as_deref());
                    (a, None, changes)
                }
                _ => {
                    return Err(Usage(
                        "diff takes OLD.ron NEW.ron, or GRAPH --from-term A --to-term B".into(),
                    )
                    .into())
                }
            };
            print_changes(&changes, json)?;
            if let Some(path) = chart {
                let (drawn, colours) = match b {
                    Some(b) => {
                        let colours = diff::colours(&a, &b);
                        (cadregraph::merge(a, b), colours)
                    }
                    None => (a, Default::default()),
                };
                let view = dot::View {
                    body,
                    colours: colours
                        .into_iter()
                        .map(|(k, v)| (k, v.to_string()))
                        .collect(),
                    ..dot::View::default()
                };
                write_chart(&drawn, &view, &path)?;
            } else {
                exiting((a, b));
            }
            Ok(Outcome::ok())
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
            Ok(Outcome::ok())
        }
    }
}

fn read_options(encoding: &Option<cadregraph::Encoding>) -> input::ReadOptions {
    input::ReadOptions {
        encoding: *encoding,
    }
}

/// Documents read from the inputs, extracted in parallel batches, handed on in input order.
/// Memory holds one batch, not the corpus; a progress bar shows on a terminal.
struct Pipeline<'a> {
    extractor: &'a Extractor,
    opts: input::ReadOptions,
    pool: rayon::ThreadPool,
}

/// What the pipeline hands on for each input: what was made of a document's facts, or an input
/// error.
enum Item<T> {
    Facts(T),
    Skipped(cadregraph::Error),
    Failed,
}

const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 16 << 20;

impl<'a> Pipeline<'a> {
    fn new(
        extractor: &'a Extractor,
        opts: input::ReadOptions,
        jobs: Option<usize>,
    ) -> Result<Self> {
        let mut pool = rayon::ThreadPoolBuilder::new();
        if let Some(n) = jobs {
            pool = pool.num_threads(n.max(1));
        }
        Ok(Pipeline {
            extractor,
            opts,
            pool: pool.build()?,
        })
    }

    /// The facts of every document under `paths`, in input order; inputs that cannot be read
    /// are reported on stderr and counted.
    /// Extract every input, make something of each document's facts with `map` on the worker
    /// threads, and hand it to `each` in input order.
    fn facts<T: Send>(
        &self,
        paths: &[PathBuf],
        map: &(dyn Fn(cadregraph::Extraction) -> T + Sync),
        each: &mut dyn FnMut(T) -> Result<()>,
    ) -> Result<Outcome> {
        let (files, errors) = input::input_files(paths);
        let mut outcome = Outcome::ok();
        outcome.skipped = errors.len();
        for e in &errors {
            eprintln!("cadregraph: {e}");
        }
        self.run(&files, map, &mut |item| {
            match item {
                Item::Facts(x) => each(x)?,
                Item::Skipped(e) => {
                    outcome.skipped += 1;
                    eprintln!("cadregraph: {e}");
                }
                Item::Failed => outcome.failed += 1,
            }
            Ok(())
        })?;
        Ok(outcome)
    }

    /// Run over `files`, calling `each` in input order; stops early when `each` says so.
    ///
    /// Two stages overlap: a reading thread reads a batch of documents and has the pool extract
    /// and map it, while this thread hands the previous batch to `each` (which may hold what
    /// cannot cross threads, such as the locked standard output).
    fn run<T: Send>(
        &self,
        files: &[PathBuf],
        map: &(dyn Fn(cadregraph::Extraction) -> T + Sync),
        each: &mut dyn FnMut(Item<T>) -> Result<()>,
    ) -> Result<()> {
        let progress = progress_bar(files);
        let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<(Item<T>, usize)>>(1);
        std::thread::scope(|scope| {
            scope.spawn(move || self.read(files, map, &sender));
            for batch in batches {
                for (item, len) in batch {
                    if let Some(p) = &progress {
                        p.inc(len as u64);
                        p.set_message(format!("{} documents", p.position()));
                    }
                    // Leaving the loop drops the receiver, and the reading thread stops.
                    each(item)?;
                }
            }
            if let Some(p) = &progress {
                p.finish_and_clear();
            }
            Ok(())
        })
    }

    /// The reading stage: batches of documents extracted and mapped, sent in input order, until
    /// the inputs end or nobody receives.
    fn read<T: Send>(
        &self,
        files: &[PathBuf],
        map: &(dyn Fn(cadregraph::Extraction) -> T + Sync),
        sender: &std::sync::mpsc::SyncSender<Vec<(Item<T>, usize)>>,
    ) {
        let mut batch: Vec<cadregraph::Result<cadregraph::Document>> = Vec::new();
        let mut bytes = 0usize;
        let mut open = true;
        let send = |items: Vec<(Item<T>, usize)>, open: &mut bool| {
            if *open && !items.is_empty() {
                *open = sender.send(items).is_ok();
            }
        };
        for file in files {
            if input::is_facts_file(file) {
                let items = self.extract_batch(&mut batch, map);
                send(items, &mut open);
                // Facts are mapped in batches on the pool too: the file is never held whole.
                let mut facts = Vec::new();
                input::read_facts(file, &mut |x| {
                    if open {
                        facts.push(x);
                        if facts.len() >= BATCH_DOCS {
                            send(self.map_batch(&mut facts, map), &mut open);
                        }
                    }
                });
                send(self.map_batch(&mut facts, map), &mut open);
                continue;
            }
            input::read_file(file, self.opts, &mut |doc| {
                if !open {
                    return;
                }
                bytes += doc.as_ref().map_or(0, |d| d.text.len());
                batch.push(doc);
                if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
                    let items = self.extract_batch(&mut batch, map);
                    send(items, &mut open);
                    bytes = 0;
                }
            });
            if !open {
                return;
            }
        }
        let items = self.extract_batch(&mut batch, map);
        send(items, &mut open);
    }

    /// Map a batch of extractions read back from facts on the pool, keeping their order.
    fn map_batch<T: Send>(
        &self,
        batch: &mut Vec<cadregraph::Result<cadregraph::Extraction>>,
        map: &(dyn Fn(cadregraph::Extraction) -> T + Sync),
    ) -> Vec<(Item<T>, usize)> {
        use rayon::prelude::*;
        let facts = std::mem::take(batch);
        self.pool.install(|| {
            facts
                .into_par_iter()
                .map(|x| match x {
                    Ok(x) => (Item::Facts(map(x)), 0),
                    Err(e) => (Item::Skipped(e), 0),
                })
                .collect()
        })
    }

    /// Extract and map a batch of documents on the pool, keeping their order.
    fn extract_batch<T: Send>(
        &self,
        batch: &mut Vec<cadregraph::Result<cadregraph::Document>>,
        map: &(dyn Fn(cadregraph::Extraction) -> T + Sync),
    ) -> Vec<(Item<T>, usize)> {
        use rayon::prelude::*;
        let docs = std::mem::take(batch);
        self.pool.install(|| {
            docs.into_par_iter()
                .map(|d| match d {
                    Ok(doc) => {
                        doc.warnings
                            .iter()
                            .for_each(|w| eprintln!("cadregraph: warning: {w}"));
                        let made = guarded(&doc, || map(self.extractor.extract(&doc)));
                        let item = made.map_or(Item::Failed, Item::Facts);
                        (item, doc.text.len())
                    }
                    Err(e) => (Item::Skipped(e), 0),
                })
                .collect()
        })
    }
}

/// A progress bar on stderr when it is a terminal: bytes, MB/s, ETA.
fn progress_bar(files: &[PathBuf]) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn extract(
    extractor: &Extractor,
    paths: &[PathBuf],
    opts: input::ReadOptions,
    jobs: Option<usize>,
) -> Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    // Each document's lines are made on the worker threads, written here in input order.
    let lines = |x: cadregraph::Extraction| {
        let mut text = String::new();
        for fact in x.facts() {
            text.push_str(&serde_json::to_string(&fact).expect("facts serialise"));
            text.push('\n');
        }
        text
    };
    let outcome = Pipeline::new(extractor, opts, jobs)?.facts(paths, &lines, &mut |text| {
        out.write_all(text.as_bytes())
            .context("writing to stdout")?;
        Ok(())
    })?;
    out.flush().context("writing to stdout")?;
    Ok(outcome)
}

/// Work on one document; a bug in the extractor is reported with the document's id and the
/// other documents go on.
fn guarded<T>(doc: &cadregraph::Document, work: impl FnOnce() -> T) -> Option<T> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    if result.is_err() {
        eprintln!(
            "cadregraph: internal error while extracting {:?}; skipped",
            doc.id
        );
    }
    result.ok()
}

fn build(
    extractor: &Extractor,
    paths: &[PathBuf],
    output: &std::path::Path,
    opts: input::ReadOptions,
    jobs: Option<usize>,
) -> Result<Outcome> {
    let builder = cadregraph::graph::Builder::new(extractor.gazetteer());
    let mut acc = cadregraph::graph::Accumulator::default();
    // Documents become graph fragments on the worker threads; here they are merged in order.
    let fragment = |x: cadregraph::Extraction| builder.document(&x);
    let outcome = Pipeline::new(extractor, opts, jobs)?.facts(paths, &fragment, &mut |s| {
        acc.add_snapshot(s);
        Ok(())
    })?;
    // Every input named was unreadable (a path mistyped): no empty snapshot over the output.
    if acc.counts()[0] == 0 && outcome.skipped > 0 {
        eprintln!(
            "cadregraph: no input could be read; {} not written",
            output.display()
        );
        return Ok(outcome);
    }
    acc.save(output)?;
    summary(output, &acc);
    exiting(acc);
    Ok(outcome)
}

/// A large value the process is done with just before it exits: the system takes its memory
/// back at once, faster than millions of destructors would hand it back piece by piece.
fn exiting<T>(value: T) {
    std::mem::forget(value);
}

fn write_chart(s: &cadregraph::Snapshot, view: &dot::View, output: &std::path::Path) -> Result<()> {
    let format = dot::format_of(output).ok_or_else(|| {
        Usage(format!(
            "{}: the output must end in .dot, .svg or .png",
            output.display()
        ))
    })?;
    let bytes = dot::render(&dot::chart(s, view), format, output)?;
    snapshot::write_atomic(output, &bytes)?;
    eprintln!("wrote {}", output.display());
    Ok(())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn run_query(q: &query::Query, what: QueryWhat, json: bool) -> Result<Outcome> {
    let none = |e: query::NotFound| -> anyhow::Error { Usage(e.to_string()).into() };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let status = |s: cadregraph::Status| match s {
        cadregraph::Status::Current => "current".to_string(),
        cadregraph::Status::Former => "former".to_string(),
    };
    let holding_rows = |rows: &[query::HoldingRow]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|h| {
                vec![
                    h.person.clone(),
                    h.title.clone(),
                    opt(&h.body),
                    opt(&h.term),
                    status(h.status),
                    h.documents.join(" "),
                ]
            })
            .collect()
    };
    const HOLDING: [&str; 6] = ["person", "title", "body", "term", "status", "evidence"];
    match what {
        QueryWhat::Chairs { body, person, year } => {
            let rows = q.chairs(body.as_deref(), person.as_deref(), year);
            if json {
                print_json(&rows)?;
                return Ok(Outcome::ok());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.person.clone(),
                        r.event.clone(),
                        opt(&r.body),
                        opt(&r.date),
                        r.documents.join(" "),
                    ]
                })
                .collect();
            print_table(&["person", "event", "body", "date", "evidence"], &table)?;
        }
        QueryWhat::Holders {
            title,
            body,
            term,
            at,
        } => {
            let rows = q
                .holders(&title, &body, term.as_deref(), at.as_deref())
                .map_err(none)?;
            if json {
                print_json(&rows)?;
                return Ok(Outcome::ok());
            }
            print_table(&HOLDING, &holding_rows(&rows))?;
        }
        QueryWhat::Person { name } => {
            let careers = q.careers(&name).map_err(none)?;
            if json {
                print_json(&careers)?;
                return Ok(Outcome::ok());
            }
            for c in careers {
                println!("{} — {} ({})", c.person, c.anchor, c.id);
                print_table(&HOLDING, &holding_rows(&c.holdings))?;
                for ch in &c.chaired {
                    println!("  chủ trì: {ch}");
                }
                println!();
            }
        }
        QueryWhat::Body { name } => {
            let reports = q.body_report(&name).map_err(none)?;
            if json {
                print_json(&reports)?;
                return Ok(Outcome::ok());
            }
            for r in reports {
                println!(
                    "{}{}",
                    r.body,
                    r.parent
                        .map(|p| format!(" (thuộc {p})"))
                        .unwrap_or_default()
                );
                print_table(&HOLDING, &holding_rows(&r.members))?;
                for s in &r.sub_bodies {
                    println!("  cơ quan trực thuộc: {s}");
                }
                for c in &r.congresses {
                    println!(
                        "  Đại hội {}: nhiệm kỳ {}",
                        c.ordinal.map_or("?".into(), |o| o.to_string()),
                        opt(&c.term)
                    );
                }
                println!();
            }
        }
        QueryWhat::Congress {
            body,
            ordinal,
            term,
        } => {
            let reports = q
                .congresses(&body, ordinal, term.as_deref())
                .map_err(none)?;
            if json {
                print_json(&reports)?;
                return Ok(Outcome::ok());
            }
            for c in reports {
                println!(
                    "Đại hội {} lần thứ {}, nhiệm kỳ {}, {}",
                    c.body,
                    c.ordinal.map_or("?".into(), |o| o.to_string()),
                    opt(&c.term),
                    opt(&c.dates)
                );
                if !c.chairs.is_empty() {
                    println!("  chủ trì: {}", c.chairs.join(", "));
                }
                print_table(&HOLDING, &holding_rows(&c.elected))?;
                println!();
            }
        }
    }
    Ok(Outcome::ok())
}

fn print_changes(changes: &[diff::Change], json: bool) -> Result<()> {
    if json {
        let mut out = BufWriter::new(std::io::stdout().lock());
        for c in changes {
            serde_json::to_writer(&mut out, c)?;
            writeln!(out)?;
        }
        out.flush()?;
        return Ok(());
    }
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            let kind = serde_json::to_value(c.change)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let who = c
                .person
                .clone()
                .or_else(|| {
                    c.predecessor
                        .as_ref()
                        .map(|p| format!("{p} → {}", opt(&c.successor)))
                })
                .or_else(|| c.id.clone())
                .unwrap_or_default();
            let body = c.body.clone().or_else(|| {
                c.from_body
                    .as_ref()
                    .map(|f| format!("{f} → {}", opt(&c.to_body)))
            });
            let title = match (&c.from_title, &c.to_title) {
                (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
                (a, b) => opt(b).max(opt(a)),
            };
            vec![kind, who, opt(&body), title]
        })
        .collect();
    print_table(&["change", "person", "body", "title"], &rows)
}

/// Print an aligned table; long cells wrap at word boundaries.
fn print_table(headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    const WIDTH: usize = 38;
    let wrap = |s: &str| -> Vec<String> {
        let mut lines = vec![String::new()];
        for word in s.split(' ') {
            let last = lines.last_mut().expect("one line");
            if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > WIDTH {
                lines.push(word.to_string());
            } else {
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(word);
            }
        }
        lines
    };
    let cells: Vec<Vec<Vec<String>>> =
        std::iter::once(headers.iter().map(|h| vec![h.to_uppercase()]).collect())
            .chain(rows.iter().map(|r| r.iter().map(|c| wrap(c)).collect()))
            .collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            cells
                .iter()
                .flat_map(|r| r[i].iter().map(|l| l.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Buffered: stdout alone would write each line as it ends.
    let mut out = BufWriter::new(std::io::stdout().lock());
    for row in &cells {
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let mut text = String::new();
            for (i, cell) in row.iter().enumerate() {
                let part = cell.get(line).map_or("", String::as_str);
                text.push_str(part);
                if i + 1 < row.len() {
                    text.push_str(&" ".repeat(widths[i] - part.chars().count() + 2));
                }
            }
            writeln!(out, "{}", text.trim_end())?;
        }
    }
    if rows.is_empty() {
        writeln!(out, "(none)")?;
    }
    out.flush()?;
    Ok(())
}

fn summary(path: &std::path::Path, acc: &cadregraph::graph::Accumulator) {
    let [documents, persons, bodies, places, holdings, congresses, meetings] = acc.counts();
    eprintln!(
        "wrote {}: {documents} documents, {persons} persons, {bodies} bodies, {places} places, \
         {holdings} holdings, {congresses} congresses, {meetings} meetings",
        path.display(),
    );
}

fn evaluate(
    extractor: &Extractor,
    dirs: &[PathBuf],
    details: bool,
    json: bool,
    opts: input::ReadOptions,
) -> Result<Outcome> {
    let mut facts: Vec<Fact> = Vec::new();
    let mut gold = Vec::new();
    let mut skipped = 0;
    let mut failed = 0;
    for dir in dirs {
        for g in eval::load_gold(dir)? {
            input::read_file(&g.text_path, opts, &mut |doc| match doc {
                Ok(mut doc) => {
                    doc.id = g.name.clone();
                    match guarded(&doc, || extractor.extract(&doc)) {
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
