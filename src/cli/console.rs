//! Everything the CLI prints goes through here, and no print can panic (`println!` panics when
//! stdout is closed or full). A reader that closes its end of the pipe (`pmigc check | head`)
//! ends the output quietly: later writes to that stream are dropped and the run finishes with
//! the exit code it would have had. Any other write error (`>/dev/full`) is a `Fatal` (exit 2,
//! reported on stderr if stderr can still be written).

use super::Fatal;
use std::io::{self, ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a stream's reader has gone away; later writes to it are dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout and flushes it.
pub fn out(text: &str) -> Result<(), Fatal> {
    write(&mut io::stdout().lock(), &STDOUT_CLOSED, "stdout", text)
}

/// Writes `text` to stderr.
pub fn err(text: &str) -> Result<(), Fatal> {
    write(&mut io::stderr().lock(), &STDERR_CLOSED, "stderr", text)
}

fn write(
    stream: &mut impl Write,
    closed: &AtomicBool,
    name: &str,
    text: &str,
) -> Result<(), Fatal> {
    if closed.load(Ordering::Relaxed) {
        return Ok(());
    }
    match stream
        .write_all(text.as_bytes())
        .and_then(|()| stream.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            closed.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => {
            // Nothing more goes to a stream that failed; the error is reported on the other.
            closed.store(true, Ordering::Relaxed);
            Err(Fatal(format!("cannot write to {name}: {e}")))
        }
    }
}

/// The last words of a run that ends with exit code 2: `error: …` on stderr, when it can still
/// be written (and nothing when it cannot).
pub fn fatal(message: &str) {
    let _ = err(&format!("error: {message}\n"));
}
