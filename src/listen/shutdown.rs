//! How `listen` stops: the signals it acts on, the events in flight it waits for, and the bound
//! on the whole shutdown ([`SHUTDOWN_LIMIT`]), kept whatever clients, commands, stdout and
//! stderr do.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use super::Shared;
use crate::exit::Exit;

/// How long requests in flight may take to finish at shutdown.
pub(super) const DRAIN: Duration = Duration::from_secs(5);
/// How long `--exec` commands still running get at shutdown.
pub(super) const EXEC_DRAIN: Duration = Duration::from_secs(3);
/// The whole shutdown at most, whatever clients, commands and stdout do: within systemd's
/// usual stop timeout (the README's unit has 15 s).
pub const SHUTDOWN_LIMIT: Duration = Duration::from_secs(10);
/// How long the shutdown watchdog waits for its warning to be written before it exits anyway.
const LAST_WORD: Duration = Duration::from_millis(500);

/// A count of tasks, and a way to wait for it to reach zero.
#[derive(Default)]
pub(super) struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

/// One task counted in [`InFlight`] while it lives.
pub(super) struct InFlightGuard(pub(super) Arc<Shared>);

impl InFlightGuard {
    pub(super) fn new(shared: Arc<Shared>) -> InFlightGuard {
        shared.in_flight.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard(shared)
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.0.in_flight.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.in_flight.idle.notify_waiters();
        }
    }
}

impl InFlight {
    pub(super) async fn wait(&self) {
        loop {
            let idle = self.idle.notified();
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}

/// The signals `listen` acts on, caught from before it binds, so that one arriving right after
/// the start-up line is not fatal.
pub(super) struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    rotate: tokio::signal::unix::Signal,
}

pub(super) enum Signaled {
    /// SIGINT (exit 130), SIGTERM (how a service manager stops a service: exit 0), SIGHUP (129).
    Stop(Exit),
    /// SIGUSR1: the log was renamed; open a new one.
    Rotate,
}

impl Signals {
    pub(super) fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
                rotate: signal(SignalKind::user_defined1())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    pub(super) async fn next(&mut self) -> Signaled {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => Signaled::Stop(Exit::Interrupted),
                _ = self.terminate.recv() => Signaled::Stop(Exit::Success),
                _ = self.hangup.recv() => Signaled::Stop(Exit::HungUp),
                _ = self.rotate.recv() => Signaled::Rotate,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Signaled::Stop(Exit::Interrupted)
        }
    }
}

/// The last resort of a bounded shutdown: whatever still holds the process after `limit` (a
/// stdout or stderr nobody reads, a client that will not go) is cut short by exiting. Every
/// acknowledged event is on disk already. Its last word is written straight to stderr by a
/// thread of its own, and waited for [`LAST_WORD`] at most: a stderr that blocks cannot keep
/// the process past `limit`.
pub(super) fn shut_down_within(limit: Duration, exit: Exit) {
    let _ = std::thread::Builder::new()
        .name("shutdown-limit".to_owned())
        .spawn(move || {
            std::thread::sleep(limit.saturating_sub(LAST_WORD));
            let (said, spoken) = std::sync::mpsc::channel();
            let _ = std::thread::Builder::new()
                .name("shutdown-word".to_owned())
                .spawn(move || {
                    let _ = writeln!(
                        std::io::stderr(),
                        "kiriminaja: warning: shutdown took more than {}s; exiting now (every \
                         acknowledged event is in the log)",
                        limit.as_secs()
                    );
                    let _ = said.send(());
                });
            let _ = spoken.recv_timeout(LAST_WORD);
            std::process::exit(i32::from(exit.code()));
        });
}
