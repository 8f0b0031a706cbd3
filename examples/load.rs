//! Time loading a snapshot file in process: `cargo run --release --example load -- FILE` (from
//! its binary copy when it has a matching one, else from the RON). With two files, time loading
//! both side by side and diffing them: `… -- OLD NEW`.

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
            let t = Instant::now();
            let (a, b) = rayon::join(|| load(old), || load(new));
            let loads = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let changes = cadregraph::diff::diff(&a, &b, None);
            let diff = t.elapsed().as_secs_f64();
            println!(
                "loads {loads:.2} s, diff {diff:.2} s, {} changes",
                changes.len()
            );
            std::mem::forget((a, b, changes));
        }
        _ => eprintln!("usage: load FILE | load OLD NEW"),
    }
}
