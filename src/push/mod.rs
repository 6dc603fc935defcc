//! Push (webhook) events: everything about them that is not a command.
//!
//! - [`event`]: one payload in, one normalized [`event::Event`] out;
//! - [`frame`]: a byte stream cut into top-level JSON values;
//! - [`request`]: captured HTTP requests: the head, and the body exactly as the head announces;
//! - [`verify`]: the check a receiver makes on a request head (method, content type, bearer).
//!
//! `decode-event` reads captured pushes with these; `listen` receives live ones with the same
//! [`verify::check`].

pub mod event;
pub mod frame;
pub mod request;
pub mod verify;
