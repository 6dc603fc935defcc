//! Push (webhook) events: everything about them that is not a command.
//!
//! - [`event`]: one payload in, one normalized [`event::Event`] out;
//! - [`frame`]: a byte stream cut into top-level JSON values;
//! - [`request`]: captured HTTP requests read and checked as a push receiver should.
//!
//! `decode-event` reads captured pushes with these; `listen` receives them with the same checks.

pub mod event;
pub mod frame;
pub mod request;
