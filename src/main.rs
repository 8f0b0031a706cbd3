//! The `cadregraph` command: parse flags, run, map errors to exit codes.

mod cli;

/// Documents are read and extracted on worker threads and merged on another: glibc's allocator
/// spends much of a build freeing across threads, mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
