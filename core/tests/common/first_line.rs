//! Reading sgsim's first stdout line (its JSON description), shared by the core's and the
//! simulator's integration tests: `core/tests/common/mod.rs` has it as a module, and
//! `sim/tests/common/mod.rs` includes this file with `#[path]`.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

/// The first stdout line of `child`, within 30 s; the rest of its output is drained for the
/// life of the process, so it never blocks on a full pipe.
pub fn first_line(child: &mut Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("sgsim printed its JSON line within 30 s");
    assert!(!line.is_empty(), "sgsim exited without printing its line");
    line
}
