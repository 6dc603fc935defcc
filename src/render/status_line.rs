//! A one-line live status on stderr (`watch`): drawn only on a terminal, never as wide as the
//! terminal (a full line leaves the cursor in the margin, where the terminal's echo of ^C wraps
//! it), and erased before anything else is printed, on either stream, and at every exit.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use super::fit;

const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];

/// Shared by the loop that updates it and the tasks that print between its updates.
#[derive(Clone)]
pub struct StatusLine {
    state: Option<Arc<Mutex<State>>>,
}

struct State {
    message: String,
    shown: bool,
    frame: usize,
}

impl StatusLine {
    /// A status line when `enabled` (stderr, and whatever shares its terminal, are terminals);
    /// otherwise one that does nothing.
    pub fn new(enabled: bool) -> StatusLine {
        StatusLine {
            state: enabled.then(|| {
                Arc::new(Mutex::new(State {
                    message: String::new(),
                    shown: false,
                    frame: 0,
                }))
            }),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.state.is_some()
    }

    fn lock(&self) -> Option<MutexGuard<'_, State>> {
        let state = self.state.as_ref()?;
        Some(
            state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// Shows `message` (with the next spinner frame), fitted to the terminal's width.
    pub fn show(&self, message: &str) {
        if let Some(mut state) = self.lock() {
            state.message = message.to_owned();
            state.frame = (state.frame + 1) % SPINNER.len();
            draw(&mut state);
        }
    }

    /// Runs `print` with the line erased, then puts it back.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        let Some(mut state) = self.lock() else {
            return print();
        };
        let shown = state.shown;
        erase(&mut state);
        let result = print();
        if shown {
            draw(&mut state);
        }
        result
    }

    /// Erases the line for good (until the next [`StatusLine::show`]).
    pub fn clear(&self) {
        if let Some(mut state) = self.lock() {
            erase(&mut state);
        }
    }
}

fn draw(state: &mut State) {
    let width = terminal_size::terminal_size_of(std::io::stderr())
        .map(|(terminal_size::Width(w), _)| usize::from(w))
        .filter(|w| *w > 0)
        .unwrap_or(80);
    // The spinner and a blank take two columns, and the last one stays free.
    let text = fit(&state.message, width.saturating_sub(3));
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "\r\x1b[2K{} {text}", SPINNER[state.frame]);
    let _ = stderr.flush();
    state.shown = true;
}

fn erase(state: &mut State) {
    if state.shown {
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[2K");
        let _ = stderr.flush();
        state.shown = false;
    }
}
