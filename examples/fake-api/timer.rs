//! Precise delays for `--latency`.
//!
//! tokio's timer has millisecond granularity and rounds up: a 50 ms sleep takes 50–52 ms, which
//! over a thousand requests would be charged to the client being measured. One thread sleeps
//! on a condition variable instead (the kernel's high-resolution timers, tens of microseconds)
//! and wakes each request through a oneshot channel.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use tokio::sync::oneshot;

struct Due {
    at: Instant,
    seq: u64,
    wake: oneshot::Sender<()>,
}

// Reversed, so that the heap's top is the earliest deadline.
impl Ord for Due {
    fn cmp(&self, other: &Due) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Due) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Due {
    fn eq(&self, other: &Due) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl Eq for Due {}

#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Due>,
    seq: u64,
}

pub struct Timer {
    queue: Mutex<Queue>,
    changed: Condvar,
}

impl Timer {
    pub fn start() -> Arc<Timer> {
        let timer = Arc::new(Timer {
            queue: Mutex::new(Queue::default()),
            changed: Condvar::new(),
        });
        let worker = timer.clone();
        std::thread::Builder::new()
            .name("fake-api-timer".to_owned())
            .spawn(move || worker.run())
            .expect("cannot start the timer thread");
        timer
    }

    /// Returns at `at`, give or take the kernel's timer slack.
    pub async fn sleep_until(&self, at: Instant) {
        let (wake, woken) = oneshot::channel();
        {
            let mut queue = self.queue.lock().unwrap();
            queue.seq += 1;
            let seq = queue.seq;
            queue.heap.push(Due { at, seq, wake });
        }
        self.changed.notify_one();
        let _ = woken.await;
    }

    fn run(&self) {
        let mut queue = self.queue.lock().unwrap();
        loop {
            let now = Instant::now();
            while queue.heap.peek().is_some_and(|due| due.at <= now) {
                if let Some(due) = queue.heap.pop() {
                    let _ = due.wake.send(());
                }
            }
            queue = match queue.heap.peek() {
                None => self.changed.wait(queue).unwrap(),
                Some(due) => {
                    let wait = due.at - now;
                    self.changed.wait_timeout(queue, wait).unwrap().0
                }
            };
        }
    }
}
