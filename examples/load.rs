//! Time loading a snapshot file in process: `cargo run --release --example load -- FILE` (from
//! its binary copy when it has a matching one, else from the RON). With two files, time reading
//! both side by side as `diff` does (views of their copies) and diffing them: `… -- OLD NEW`.

use std::time::Instant;

/// The allocator the binary uses, so that loads here cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let load = |p: &String| cadregraph::snapshot::load(p.as_ref()).expect("the snapshot loads");
    match paths.as_slice() {
        [path] => {
            let t = Instant::now();
            let s = load(path);
            let load = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let holdings = s.holdings.len();
            drop(s);
            let drop = t.elapsed().as_secs_f64();
            println!("load {load:.2} s, drop {drop:.2} s, {holdings} holdings");
        }
        [old, new] => {
            // As `diff` reads them: views of the two, side by side, then the diff.
            let t = Instant::now();
            let (views, diff, changes) =
                cadregraph::snapshot::with_views(old.as_ref(), new.as_ref(), |a, b| {
                    let views = t.elapsed().as_secs_f64();
                    let t = Instant::now();
                    let changes = cadregraph::diff::diff_views(a, b, None);
                    (views, t.elapsed().as_secs_f64(), changes.len())
                })
                .expect("the snapshots read");
            println!("views {views:.2} s, diff {diff:.2} s, {changes} changes");
        }
        _ => eprintln!("usage: load FILE | load OLD NEW"),
    }
}
