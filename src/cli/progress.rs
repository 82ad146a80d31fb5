//! Progress of a long `build` on stderr: one line, redrawn in place, saying which stage the
//! build is in, how many workspaces are done and how long it has run. It is only ever shown
//! when stderr is a terminal and diagnostics are not JSON, and only once the build has run for
//! [`DELAY`] (a quick build shows nothing at all; `PMIGC_PROGRESS_DELAY_MS` changes the delay,
//! which the tests use). It uses no escape codes: the line is drawn after a carriage return
//! and padded with spaces over the previous one, and erased the same way before anything else
//! is printed, so it works on any terminal and never reaches a file or a pipe.
//!
//! Written by hand rather than with indicatif: a line of text and a ticking clock need no
//! more than a thread and a condition variable, and the build has no finer unit of progress
//! than its stages and workspaces to fill a bar with.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a build runs before its progress is shown.
pub const DELAY: Duration = Duration::from_millis(500);
/// How often the elapsed time is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// The progress line of one build; erased and stopped when dropped.
pub struct Progress {
    shared: Option<Arc<Shared>>,
    ticker: Option<JoinHandle<()>>,
}

/// A handle for reporting progress from elsewhere (a worker thread, `Timings`).
#[derive(Clone, Default)]
pub struct Handle(Option<Arc<Shared>>);

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

struct State {
    start: Instant,
    delay: Duration,
    /// What the build is doing; `None` while nothing may be drawn (diagnostics are printing).
    stage: Option<&'static str>,
    workspaces: Option<(usize, usize)>,
    /// Characters of the line on screen (0: nothing drawn).
    drawn: usize,
    finished: bool,
    sink: Box<dyn Write + Send>,
}

impl State {
    fn line(&self) -> Option<String> {
        let stage = self.stage?;
        let count = match self.workspaces {
            Some((done, total)) => format!(" ({done} of {total} workspaces done)"),
            None => String::new(),
        };
        Some(format!(
            "pmigc: {stage}{count}… {:.1}s",
            self.start.elapsed().as_secs_f64()
        ))
    }

    /// Redraws the line (when the delay has passed), or erases it when there is nothing to show.
    fn draw(&mut self) {
        if self.start.elapsed() < self.delay {
            return;
        }
        let text = match self.line() {
            Some(line) if !self.finished => line,
            _ => return self.erase(),
        };
        let width = text.chars().count();
        let pad = " ".repeat(self.drawn.saturating_sub(width));
        let _ = write!(self.sink, "\r{text}{pad}");
        let _ = self.sink.flush();
        self.drawn = width;
    }

    fn erase(&mut self) {
        if self.drawn > 0 {
            let _ = write!(self.sink, "\r{}\r", " ".repeat(self.drawn));
            let _ = self.sink.flush();
            self.drawn = 0;
        }
    }
}

impl Progress {
    /// Progress for a build: shown on stderr if it is a terminal and `json` is false.
    pub fn for_build(json: bool) -> Progress {
        if json || !std::io::stderr().is_terminal() {
            return Progress::off();
        }
        let delay = std::env::var("PMIGC_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|ms| ms.trim().parse::<u64>().ok())
            .map_or(DELAY, Duration::from_millis);
        Progress::to(Box::new(std::io::stderr()), delay)
    }

    /// No progress at all.
    pub fn off() -> Progress {
        Progress {
            shared: None,
            ticker: None,
        }
    }

    /// Progress drawn to `sink` once `delay` has passed.
    pub fn to(sink: Box<dyn Write + Send>, delay: Duration) -> Progress {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                start: Instant::now(),
                delay,
                stage: None,
                workspaces: None,
                drawn: 0,
                finished: false,
                sink,
            }),
            wake: Condvar::new(),
        });
        let ticking = Arc::clone(&shared);
        // If the thread cannot be started, stage changes still draw; only the clock stops.
        let ticker = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || tick(&ticking))
            .ok();
        Progress {
            shared: Some(shared),
            ticker,
        }
    }

    pub fn handle(&self) -> Handle {
        Handle(self.shared.clone())
    }

    /// Erases the line and stops the clock.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(shared) = &self.shared {
            let mut state = lock(shared);
            state.finished = true;
            state.erase();
            shared.wake.notify_all();
        }
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Handle {
    fn update(&self, change: impl FnOnce(&mut State)) {
        if let Some(shared) = &self.0 {
            let mut state = lock(shared);
            change(&mut state);
            state.draw();
        }
    }

    /// The build is now doing `stage`.
    pub fn stage(&self, stage: &'static str) {
        self.update(|s| s.stage = Some(stage));
    }

    /// Erases the line and draws nothing until the next stage (something else is printing).
    pub fn hide(&self) {
        self.update(|s| s.stage = None);
    }

    /// `total` workspaces are being built; none is done yet.
    pub fn workspaces(&self, total: usize) {
        self.update(|s| {
            s.stage = Some("building");
            s.workspaces = Some((0, total));
        });
    }

    /// One more workspace is built.
    pub fn workspace_done(&self) {
        self.update(|s| {
            if let Some((done, _)) = &mut s.workspaces {
                *done += 1;
            }
        });
    }

    /// The stage `name` of `Timings` has ended: say what comes next.
    pub fn after(&self, name: &str) {
        match name {
            "read" => self.stage("parsing"),
            "parse" => self.stage("checking"),
            // The diagnostics are printed next.
            "check" => self.hide(),
            "workspaces" => self.update(|s| {
                s.stage = Some("moving the files into place");
                s.workspaces = None;
            }),
            _ => {}
        }
    }
}

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    // A panic while drawing leaves nothing half-updated that matters: keep going.
    shared.state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Redraws the line every tick (for the clock) until the progress is finished.
fn tick(shared: &Shared) {
    let mut state = lock(shared);
    while !state.finished {
        state.draw();
        state = match shared.wake.wait_timeout(state, TICK) {
            Ok((state, _)) => state,
            Err(e) => e.into_inner().0,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink the test can read after the progress is done.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn text(sink: &Sink) -> String {
        String::from_utf8(sink.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn stages_are_drawn_in_place_and_erased_at_the_end() {
        let sink = Sink::default();
        let progress = Progress::to(Box::new(sink.clone()), Duration::ZERO);
        let handle = progress.handle();
        handle.stage("reading");
        handle.after("read");
        handle.workspaces(2);
        handle.workspace_done();
        progress.finish();
        let out = text(&sink);
        assert!(out.contains("\rpmigc: reading… "), "{out:?}");
        assert!(out.contains("\rpmigc: parsing… "), "{out:?}");
        assert!(
            out.contains("\rpmigc: building (1 of 2 workspaces done)… "),
            "{out:?}"
        );
        assert!(!out.contains('\x1b'), "no escape codes: {out:?}");
        assert!(!out.contains('\n'), "never a new line: {out:?}");
        // The last thing written blanks the line and returns to its start.
        let last = out.rsplit('\r').nth(1).unwrap();
        assert!(
            !last.is_empty() && last.chars().all(|c| c == ' '),
            "{out:?}"
        );
        assert!(out.ends_with('\r'));
    }

    #[test]
    fn hiding_erases_the_line_until_the_next_stage() {
        let sink = Sink::default();
        let progress = Progress::to(Box::new(sink.clone()), Duration::ZERO);
        let handle = progress.handle();
        handle.stage("checking");
        handle.after("check");
        let hidden = text(&sink);
        assert!(hidden.ends_with('\r') && hidden.matches("pmigc:").count() >= 1);
        // Nothing is drawn while hidden, even when the clock ticks.
        std::thread::sleep(TICK * 3);
        assert_eq!(text(&sink), hidden);
        progress.finish();
        assert_eq!(text(&sink), hidden, "nothing left to erase");
    }

    #[test]
    fn nothing_is_drawn_before_the_delay() {
        let sink = Sink::default();
        let progress = Progress::to(Box::new(sink.clone()), Duration::from_secs(3600));
        let handle = progress.handle();
        handle.stage("reading");
        handle.workspaces(2);
        std::thread::sleep(TICK * 2);
        progress.finish();
        assert_eq!(text(&sink), "");
    }
}
