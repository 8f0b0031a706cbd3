//! Time loading a snapshot file in process: `cargo run --release --example load -- FILE` (from
//! its binary copy when it has a matching one, else from the RON).

use std::time::Instant;

/// The allocator the binary uses, so that loads here cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let path = std::env::args().nth(1).expect("a snapshot file");
    let t = Instant::now();
    let s = cadregraph::snapshot::load(path.as_ref()).expect("the snapshot loads");
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let holdings = s.holdings.len();
    drop(s);
    let drop = t.elapsed().as_secs_f64();
    println!("load {load:.2} s, drop {drop:.2} s, {holdings} holdings");
}
