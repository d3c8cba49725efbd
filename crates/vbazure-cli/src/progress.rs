//! Live progress lines on a terminal: one per session being followed.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The progress display; inert when stderr is not a terminal or output is JSON.
#[derive(Clone)]
pub(crate) struct Progress {
    multi: Option<MultiProgress>,
}

impl Progress {
    pub(crate) fn new(enabled: bool) -> Self {
        let multi = (enabled && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Self { multi }
    }

    /// A line for one session; `message` is updated as its status changes.
    pub(crate) fn line(&self, message: String) -> Line {
        let bar = self.multi.as_ref().map(|multi| {
            let bar = multi.add(ProgressBar::new_spinner());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}  {elapsed}") {
                bar.set_style(style);
            }
            bar.set_message(message);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Line { bar }
    }

    /// Runs `print` (which writes to stdout) without tearing the progress lines.
    pub(crate) fn print(&self, print: impl FnOnce()) {
        match &self.multi {
            Some(multi) => multi.suspend(print),
            None => print(),
        }
    }
}

pub(crate) struct Line {
    bar: Option<ProgressBar>,
}

impl Line {
    pub(crate) fn update(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
