//! The open connections: bounded by `--max-connections`, each one's activity (busy from a
//! request's head to its answer on the socket, idle otherwise), and the oldest idle one closed
//! to make room for a new one.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::Response;
use hyper::body::Bytes;
use tokio::sync::Notify;

use super::Body;

/// The open connections. When all `--max-connections` are taken, a new one closes the oldest
/// connection that is idle (waiting for a request head, or between requests) and has been open
/// for [`IDLE_GRACE`]: a client that opens connections and sends nothing cannot keep a genuine
/// push out, and a genuine sender (whose head follows its connection at once) is not closed
/// before it had a chance to send.
pub(super) struct Connections {
    max: usize,
    state: Mutex<ConnectionState>,
    freed: Notify,
}

#[derive(Default)]
struct ConnectionState {
    next: u64,
    open: BTreeMap<u64, Connection>,
}

/// How long a new connection is safe from being closed for another.
const IDLE_GRACE: Duration = Duration::from_millis(250);

struct Connection {
    opened: tokio::time::Instant,
    /// Whether a request is being handled or answered.
    activity: Arc<Activity>,
    abort: tokio::task::AbortHandle,
}

/// What a connection is doing, for [`Connections::make_room`]: it is busy from the moment a
/// request's head has arrived until its answer has been written to the socket (a connection
/// whose event is logged but whose 200 is still on its way is not idle), and idle otherwise
/// (waiting for a head, between requests).
#[derive(Default)]
pub(super) struct Activity {
    /// Requests whose head has arrived and whose answer is not written yet.
    requests: AtomicUsize,
    /// Of those, the ones whose answer hyper has taken (its body dropped), to be written by the
    /// next flush that completes.
    answered: AtomicUsize,
}

impl Activity {
    fn idle(&self) -> bool {
        self.requests.load(Ordering::SeqCst) == 0
    }

    /// A flush of the connection completed: every answer taken before it is on the socket.
    pub(super) fn flushed(&self) {
        let written = self.answered.swap(0, Ordering::SeqCst);
        if written > 0 {
            self.requests.fetch_sub(written, Ordering::SeqCst);
        }
    }
}

/// One request counted in [`Activity::requests`]: handed to the answer's body once there is
/// one ([`Answer`]), and uncounted if the request is dropped before it is answered.
pub(super) struct Handling(Option<Arc<Activity>>);

impl Handling {
    pub(super) fn new(activity: Arc<Activity>) -> Handling {
        activity.requests.fetch_add(1, Ordering::SeqCst);
        Handling(Some(activity))
    }

    pub(super) fn answer(mut self, response: Response<Body>) -> Response<Answer> {
        let activity = self.0.take();
        response.map(|body| Answer { body, activity })
    }
}

impl Drop for Handling {
    fn drop(&mut self) {
        if let Some(activity) = self.0.take() {
            activity.requests.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// An answer's body, which marks its answer taken when hyper is done with it (its bytes are
/// then in hyper's write buffer, written by the next flush: [`Activity::flushed`]).
pub(super) struct Answer {
    body: Body,
    activity: Option<Arc<Activity>>,
}

impl hyper::body::Body for Answer {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        std::pin::Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        if let Some(activity) = self.activity.take() {
            activity.answered.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Removes its connection from [`Connections`] however its task ends (aborted too).
struct ConnectionGuard {
    connections: Arc<Connections>,
    id: u64,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if let Ok(mut state) = self.connections.state.lock() {
            state.open.remove(&self.id);
        }
        self.connections.freed.notify_waiters();
    }
}

impl Connections {
    /// Room for `max` connections at once.
    pub(super) fn new(max: usize) -> Connections {
        Connections {
            max,
            state: Mutex::default(),
            freed: Notify::new(),
        }
    }

    /// Serves `connection` on a task of its own, counted among the open connections until the
    /// task ends. Registered before the task may run, so that its guard always finds it.
    pub(super) fn spawn<F>(self: &Arc<Self>, activity: Arc<Activity>, connection: F)
    where
        F: Future + Send + 'static,
    {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let id = state.next;
        state.next += 1;
        let guard = ConnectionGuard {
            connections: self.clone(),
            id,
        };
        let task = tokio::spawn(async move {
            let _guard = guard;
            let _ = connection.await;
        });
        state.open.insert(
            id,
            Connection {
                opened: tokio::time::Instant::now(),
                activity,
                abort: task.abort_handle(),
            },
        );
    }

    /// Waits until a new connection may be served, closing the oldest idle one when all are
    /// taken (and waiting for a busy one to finish only when none is idle).
    pub(super) async fn make_room(&self) {
        loop {
            let freed = self.freed.notified();
            let wait = {
                let Ok(state) = self.state.lock() else { return };
                if state.open.len() < self.max {
                    return;
                }
                // In the order they were opened: the first idle one is the oldest.
                let idle = state.open.values().find(|c| c.activity.idle());
                match idle {
                    Some(oldest) if oldest.opened.elapsed() >= IDLE_GRACE => {
                        oldest.abort.abort();
                        None
                    }
                    Some(young) => Some(IDLE_GRACE.saturating_sub(young.opened.elapsed())),
                    None => None,
                }
            };
            match wait {
                Some(wait) => {
                    tokio::select! {
                        () = freed => {}
                        () = tokio::time::sleep(wait) => {}
                    }
                }
                None => freed.await,
            }
        }
    }

    pub(super) fn abort_all(&self) {
        if let Ok(state) = self.state.lock() {
            for connection in state.open.values() {
                connection.abort.abort();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen::handle::refuse;
    use hyper::StatusCode;

    #[test]
    fn a_connection_is_busy_until_its_answer_is_written() {
        let activity = Arc::new(Activity::default());
        assert!(activity.idle());
        let response = Handling::new(activity.clone()).answer(refuse(StatusCode::OK));
        // Made, not yet taken by hyper: a flush now does not carry it.
        activity.flushed();
        assert!(!activity.idle());
        // Taken (its bytes in hyper's buffer), not yet written.
        drop(response);
        assert!(!activity.idle());
        activity.flushed();
        assert!(activity.idle());
        // A request dropped before it was answered (its connection went) is not counted.
        drop(Handling::new(activity.clone()));
        assert!(activity.idle());
    }
}
