//! The request bytes as they came off the wire: a connection's stream that keeps what it read,
//! the head at its front read by the one parser, and each request's bytes taken off once done.

use std::sync::{Arc, Mutex};

use super::MAX_BODY;
use super::connections::Activity;
use crate::push::request::{self, BodyError, BodyLength};

/// A connection's stream that keeps a copy of the bytes read, so that each request's head can
/// be judged by the same parser and framing rule as `decode-event --verify` ([`request`]): the
/// HTTP server normalizes some heads (it drops a `Content-Length` sent with
/// `Transfer-Encoding`), and a rule cannot refuse what it cannot see. The handler takes each
/// request's bytes off the front once it has read its body.
pub(super) struct Recorded {
    stream: tokio::net::TcpStream,
    raw: Arc<Mutex<Vec<u8>>>,
    /// Told when a flush completes (hyper flushes once its buffer is written out).
    activity: Arc<Activity>,
}

impl Recorded {
    /// `stream`, its bytes read kept in `raw`, its flushes told to `activity`.
    pub(super) fn new(
        stream: tokio::net::TcpStream,
        raw: Arc<Mutex<Vec<u8>>>,
        activity: Arc<Activity>,
    ) -> Recorded {
        Recorded {
            stream,
            raw,
            activity,
        }
    }
}

impl tokio::io::AsyncRead for Recorded {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = std::pin::Pin::new(&mut self.stream).poll_read(cx, buf);
        if let std::task::Poll::Ready(Ok(())) = &polled
            && let Ok(mut raw) = self.raw.lock()
        {
            raw.extend_from_slice(&buf.filled()[before..]);
        }
        polled
    }
}

impl tokio::io::AsyncWrite for Recorded {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.stream).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let polled = std::pin::Pin::new(&mut self.stream).poll_flush(cx);
        if let std::task::Poll::Ready(Ok(())) = polled {
            self.activity.flushed();
        }
        polled
    }
    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The head of the request at the front of `raw`, read by the one parser: its framing, and
/// how many bytes the head took.
pub(super) fn raw_head(raw: &[u8]) -> Result<(BodyLength, usize), BodyError> {
    // Blank lines before a request line are allowed (and skipped by the server too).
    let blank = raw
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let mut reader = &raw[blank..];
    let unreadable =
        |why: String| BodyError::Framing(format!("a head that cannot be read ({why})"));
    match request::read_start(&mut reader) {
        Ok(request::Start::Request(head)) => head
            .body_length()
            .map(|length| (length, raw.len() - reader.len())),
        Ok(request::Start::Payloads(_)) => Err(unreadable("no request line".to_owned())),
        Err(e) => Err(unreadable(e.to_string())),
    }
}

/// Takes a request's bytes (head and body, as framed) off the front of `raw`.
pub(super) fn consume(raw: &Mutex<Vec<u8>>, head: usize, length: BodyLength) {
    let Ok(mut raw) = raw.lock() else { return };
    let Some(mut reader) = raw.get(head..) else {
        raw.clear();
        return;
    };
    let before = reader.len();
    match request::read_body(&mut reader, length, MAX_BODY) {
        Ok(_) => {
            let used = head + before - reader.len();
            raw.drain(..used);
        }
        Err(_) => raw.clear(),
    }
}
