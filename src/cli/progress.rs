//! Drawing progress: a bar on a terminal, one line per finished download otherwise, nothing
//! with `--quiet` (warnings still print). The library only calls the [`Reporter`] trait.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use toolget::download::Progress;
use toolget::http::{RetryNotice, Retrying};
use toolget::installer::Reporter;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bar,
    Lines,
    Quiet,
}

#[derive(Debug)]
pub(super) struct CliReporter {
    mode: Mode,
    bar: Mutex<Option<ProgressBar>>,
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
            bar: Mutex::new(None),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if let Ok(mut guard) = self.bar.lock() {
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
        self.with_bar(|slot| {
            if let Some(old) = slot.replace(bar) {
                old.finish_and_clear();
            }
        });
    }

    fn advance(&self, bytes: u64) {
        if self.mode == Mode::Bar {
            self.with_bar(|slot| {
                if let Some(bar) = slot {
                    bar.inc(bytes);
                }
            });
        }
    }

    fn finish(&self, name: &str, bytes: u64) {
        match self.mode {
            Mode::Bar => self.with_bar(|slot| {
                if let Some(bar) = slot.take() {
                    bar.finish_and_clear();
                }
            }),
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
        self.with_bar(|slot| {
            if let Some(bar) = slot {
                bar.suspend(|| eprintln!("{text}"));
            } else {
                eprintln!("{text}");
            }
        });
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
