//! Drawing progress: one bar per download on a terminal (several at once when tools install
//! in parallel), one line per finished download otherwise, nothing with `--quiet` (warnings
//! still print). The library only calls the [`Reporter`] trait.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::thread::ThreadId;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use toolget::download::Progress;
use toolget::http::{RetryNotice, Retrying};
use toolget::installer::Reporter;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bar,
    Lines,
    Quiet,
}

/// Progress for the CLI. A download's `start`, `advance` and `finish` calls all come from the
/// one thread reading its body, so bars are keyed by that thread: concurrent downloads each
/// get their own bar without the library naming every `advance`.
#[derive(Debug)]
pub(super) struct CliReporter {
    mode: Mode,
    multi: MultiProgress,
    bars: Mutex<HashMap<ThreadId, ProgressBar>>,
}

impl CliReporter {
    pub(super) fn new(quiet: bool) -> CliReporter {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        };
        CliReporter {
            mode,
            multi: MultiProgress::new(),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn with_bars(&self, f: impl FnOnce(&mut HashMap<ThreadId, ProgressBar>)) {
        if let Ok(mut guard) = self.bars.lock() {
            f(&mut guard);
        }
    }
}

impl Progress for CliReporter {
    fn start(&self, name: &str, total: Option<u64>) {
        if self.mode != Mode::Bar {
            return;
        }
        let bar = match total {
            Some(total) => ProgressBar::new(total),
            None => ProgressBar::new_spinner(),
        };
        let style = ProgressStyle::with_template(
            "{msg:40!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(toolget::text::shown(name));
        let bar = self.multi.add(bar);
        let id = std::thread::current().id();
        self.with_bars(|bars| {
            if let Some(old) = bars.insert(id, bar) {
                old.finish_and_clear();
                self.multi.remove(&old);
            }
        });
    }

    fn advance(&self, bytes: u64) {
        if self.mode == Mode::Bar {
            let id = std::thread::current().id();
            self.with_bars(|bars| {
                if let Some(bar) = bars.get(&id) {
                    bar.inc(bytes);
                }
            });
        }
    }

    fn finish(&self, name: &str, bytes: u64) {
        match self.mode {
            Mode::Bar => {
                let id = std::thread::current().id();
                self.with_bars(|bars| {
                    if let Some(bar) = bars.remove(&id) {
                        bar.finish_and_clear();
                        self.multi.remove(&bar);
                    }
                });
            }
            Mode::Lines => eprintln!(
                "downloaded {} ({})",
                toolget::text::untrusted(name),
                super::render::size(bytes)
            ),
            Mode::Quiet => {}
        }
    }
}

impl CliReporter {
    /// Print a line to stderr without tearing a progress bar.
    fn line(&self, text: &str) {
        if self.mode == Mode::Bar {
            self.multi.suspend(|| eprintln!("{text}"));
        } else {
            eprintln!("{text}");
        }
    }
}

impl Reporter for CliReporter {
    fn note(&self, text: &str) {
        if self.mode != Mode::Quiet {
            self.line(&format!("note: {text}"));
        }
    }

    fn warn(&self, text: &str) {
        self.line(&format!("warning: {text}"));
    }
}

/// Tells every retry on stderr ("warning: no answer from api.github.com; retrying (2/4)"), even
/// with `--quiet`: a stalled server must never look like a hung toolget.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RetryPrinter;

impl RetryNotice for RetryPrinter {
    fn retrying(&self, retry: &Retrying) {
        eprintln!("warning: {retry}");
    }
}
