//! Being asked to stop: Ctrl-C (SIGINT), SIGTERM (a service manager, `kill`) and SIGHUP (the
//! terminal went away) all end a run the same way: the line being written is finished, the
//! output flushed, and the run exits with the signal's documented code.

use crate::exit::Exit;

/// Resolves when the process is asked to stop, with the exit that stands for the signal.
///
/// The handlers are installed on the first poll, so await this alongside the work from the
/// start (in a `select!`), not after it.
pub async fn stop_requested() -> Exit {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut terminate), Ok(mut hangup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => Exit::Interrupted,
                _ = terminate.recv() => Exit::Terminated,
                _ = hangup.recv() => Exit::HungUp,
            };
        }
    }
    // Without the other handlers, Ctrl-C still works; an error here means no handler at all,
    // and then the default (the process ends) is all there is.
    match tokio::signal::ctrl_c().await {
        Ok(()) => Exit::Interrupted,
        Err(_) => std::future::pending().await,
    }
}
