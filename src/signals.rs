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

/// The stop signal a synchronous command was sent, once [`watch_in_background`] saw one.
static REQUESTED: std::sync::OnceLock<Exit> = std::sync::OnceLock::new();

/// For synchronous commands (which have no runtime to `select!` in): watches for the stop
/// signals on a thread of its own; [`requested`] then says whether one came. Reads through
/// [`Interruptible`] end when one does, so a read that waits for input cannot hold the run.
pub fn watch_in_background() {
    let (ready, installed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            let _ = ready.send(());
            return;
        };
        let exit = runtime.block_on(async {
            let stop = stop_requested();
            tokio::pin!(stop);
            // One poll installs the handlers; only then may the command start.
            tokio::select! {
                biased;
                exit = &mut stop => return exit,
                () = std::future::ready(()) => {}
            }
            let _ = ready.send(());
            stop.await
        });
        let _ = REQUESTED.set(exit);
    });
    let _ = installed.recv();
}

/// The stop signal received so far, if any (see [`watch_in_background`]).
pub fn requested() -> Option<Exit> {
    REQUESTED.get().copied()
}

/// A reader whose reads end (as end of input) once a stop signal came: the blocking reads
/// happen on a thread of their own, and this side waits for their chunks a moment at a time.
/// Once the input ends, it has ended: a terminal's Ctrl-D is needed once.
pub struct Interruptible {
    chunks: std::sync::mpsc::Receiver<std::io::Result<(Vec<u8>, usize)>>,
    /// Emptied buffers go back to the reading thread, so a stream of any length reuses three.
    spare: std::sync::mpsc::Sender<Vec<u8>>,
    chunk: Vec<u8>,
    /// The bytes of `chunk` that hold input.
    len: usize,
    at: usize,
    ended: bool,
}

impl Interruptible {
    /// How long one wait for input lasts before the stop signal is looked at again.
    const POLL: std::time::Duration = std::time::Duration::from_millis(50);
    const CHUNK: usize = 64 * 1024;

    pub fn new(mut inner: impl std::io::Read + Send + 'static) -> Interruptible {
        // Two chunks ahead at most: the reading thread waits for the decoder, not for memory.
        let (sender, chunks) = std::sync::mpsc::sync_channel(2);
        let (spare, spares) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            loop {
                let mut chunk = spares.try_recv().unwrap_or_else(|_| vec![0; Self::CHUNK]);
                let message = match inner.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => Ok((chunk, n)),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => Err(e),
                };
                let failed = message.is_err();
                if sender.send(message).is_err() || failed {
                    break;
                }
            }
        });
        Interruptible {
            chunks,
            spare,
            chunk: Vec::new(),
            len: 0,
            at: 0,
            ended: false,
        }
    }
}

impl std::io::Read for Interruptible {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::sync::mpsc::RecvTimeoutError;
        while self.at == self.len {
            if self.ended || requested().is_some() {
                return Ok(0);
            }
            match self.chunks.recv_timeout(Self::POLL) {
                Ok(Ok((chunk, len))) => {
                    let done = std::mem::replace(&mut self.chunk, chunk);
                    if !done.is_empty() {
                        // The thread may have ended; then the buffer is simply dropped.
                        let _ = self.spare.send(done);
                    }
                    self.len = len;
                    self.at = 0;
                }
                Ok(Err(e)) => {
                    self.ended = true;
                    return Err(e);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.ended = true,
            }
        }
        let n = buf.len().min(self.len - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn interruptible_reads_everything_then_ends_once() {
        let data: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let mut reader = Interruptible::new(std::io::Cursor::new(data.clone()));
        let mut read = Vec::new();
        reader.read_to_end(&mut read).unwrap();
        assert_eq!(read, data);
        // A reader that hands out a few bytes at a time, as a pipe can.
        struct Trickle(std::io::Cursor<Vec<u8>>);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(7);
                self.0.read(&mut buf[..n])
            }
        }
        let mut reader = Interruptible::new(Trickle(std::io::Cursor::new(data.clone())));
        let mut read = Vec::new();
        reader.read_to_end(&mut read).unwrap();
        assert_eq!(read, data);
        assert_eq!(reader.read(&mut [0; 8]).unwrap(), 0);
    }
}
