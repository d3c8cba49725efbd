//! Live progress lines on a terminal: one per session being followed, up to
//! [`MAX_LINES`] at once (with thousands of sessions followed together, a line each would not
//! fit a terminal; the others are printed when they end, as every session is).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The progress display; inert when stderr is not a terminal or output is JSON.
#[derive(Clone)]
pub(crate) struct Progress {
    multi: Option<MultiProgress>,
    /// How many lines are shown now.
    shown: Arc<AtomicUsize>,
}

/// The most live lines shown at once.
const MAX_LINES: usize = 20;

impl Progress {
    pub(crate) fn new(enabled: bool) -> Self {
        let multi = (enabled && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Self {
            multi,
            shown: Arc::default(),
        }
    }

    /// A line for one session; `message` is updated as its status changes.
    pub(crate) fn line(&self, message: String) -> Line {
        let room = self.multi.is_some()
            && self
                .shown
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    (n < MAX_LINES).then_some(n + 1)
                })
                .is_ok();
        let bar = self.multi.as_ref().filter(|_| room).map(|multi| {
            let bar = multi.add(ProgressBar::new_spinner());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}  {elapsed}") {
                bar.set_style(style);
            }
            bar.set_message(message);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Line {
            bar,
            shown: self.shown.clone(),
        }
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
    shown: Arc<AtomicUsize>,
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
            self.shown.fetch_sub(1, Ordering::Relaxed);
        }
    }
}
