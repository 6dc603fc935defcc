//! The async runtime commands run on: one thread (the work is I/O-bound), and stopped by a
//! signal at the next await, never inside a line.

use std::future::Future;

use crate::exit::Exit;
use crate::signals;

/// Runs async work on a single-threaded runtime (the work is I/O-bound); Ctrl-C, SIGTERM or
/// SIGHUP end it at the next await (so between lines, never inside one) with the signal's exit.
pub fn block_on_interruptible<F>(work: F) -> anyhow::Result<Exit>
where
    F: Future<Output = anyhow::Result<Exit>>,
{
    block_on(async {
        tokio::select! {
            result = work => result,
            exit = signals::stop_requested() => Ok(exit),
        }
    })?
}

/// Runs async work on a single-threaded runtime; the work handles Ctrl-C itself.
pub fn block_on<F: Future>(work: F) -> anyhow::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(work))
}
