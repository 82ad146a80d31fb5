//! `--timings`: the wall time of each stage of a run, and the resource count, on stderr.
//! Workspaces are built in parallel, so their stages are listed per workspace inside the one
//! stage (`workspaces`) that they share. On Linux the line ends with the process's peak
//! resident memory (`VmHWM`), which the tests use to hold pmigc to its memory bound.

use super::progress;
use std::time::{Duration, Instant};

/// Wall time per stage.
pub struct Timings {
    enabled: bool,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
    workspaces: Vec<(String, Vec<(&'static str, Duration)>)>,
    /// Told when each stage ends, to show what comes next.
    progress: progress::Handle,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn list(stages: &[(&'static str, Duration)]) -> String {
    stages
        .iter()
        .map(|(n, d)| format!("{n} {:.2} ms", ms(*d)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Timings {
    pub fn new(enabled: bool) -> Timings {
        Timings {
            enabled,
            last: Instant::now(),
            stages: Vec::new(),
            workspaces: Vec::new(),
            progress: progress::Handle::default(),
        }
    }

    /// Reports the end of each stage to `progress` as well.
    pub fn with_progress(mut self, progress: progress::Handle) -> Timings {
        self.progress = progress;
        self
    }

    /// Ends the stage `name` now.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        if let Some(stage) = self.stages.iter_mut().find(|(n, _)| *n == name) {
            stage.1 += now - self.last;
        } else {
            self.stages.push((name, now - self.last));
        }
        self.last = now;
        self.progress.after(name);
    }

    /// Records the stages of one workspace's build (run in parallel with the others).
    pub fn workspace(&mut self, name: String, stages: Vec<(&'static str, Duration)>) {
        self.workspaces.push((name, stages));
    }

    pub fn report(&self, resources: Option<(usize, usize)>) -> Result<(), super::Fatal> {
        if !self.enabled {
            return Ok(());
        }
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|&(n, d)| {
                let mut text = list(&[(n, d)]);
                if n == "workspaces" && !self.workspaces.is_empty() {
                    let each: Vec<String> = self
                        .workspaces
                        .iter()
                        .map(|(w, stages)| format!("{w}: {}", list(stages)))
                        .collect();
                    text.push_str(&format!(" [{}]", each.join("; ")));
                }
                text
            })
            .collect();
        let total: Duration = self.stages.iter().map(|(_, d)| *d).sum();
        let mut line = format!("timings: {}, total {:.2} ms", stages.join(", "), ms(total));
        if let Some((resources, roots)) = resources {
            line.push_str(&format!(
                "; {resources} resources in {roots} root{}",
                if roots == 1 { "" } else { "s" }
            ));
        }
        if let Some(kib) = peak_memory_kib() {
            line.push_str(&format!("; peak memory {kib} KiB"));
        }
        line.push('\n');
        super::console::err(&line)
    }
}

/// The peak resident memory of this process so far, from `/proc/self/status` (Linux only).
fn peak_memory_kib() -> Option<u64> {
    let path = std::path::Path::new("/proc/self/status");
    let bytes = super::fs::read(path, super::fs::SYSTEM, super::fs::Links::Follow).ok()?;
    let status = String::from_utf8(bytes).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
