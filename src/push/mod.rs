//! Push (webhook) events: everything about them that is not a command.
//!
//! - [`decode`]: one payload's bytes in, one normalized [`event::Event`] out (or why not);
//! - [`event`]: the normalized event, and what it says about itself;
//! - [`frame`]: a byte stream cut into top-level JSON values;
//! - [`implied`]: the status a push implies, for the parcel store;
//! - [`methods`]: the method table, as data: what each method means and which time it is about;
//! - [`raw`]: the payload as the provider sends it, read leniently;
//! - [`request`]: captured HTTP requests: the head, and the body exactly as the head announces;
//! - [`stream`]: files or stdin of captured pushes read, each payload decoded and judged;
//! - [`record`]: the event log's line, as `listen` writes it and `decode-event` reads it;
//! - [`verify`]: the check a receiver makes on a request head (method, content type, bearer).
//!
//! `decode-event` and `store import` read captured pushes with [`stream`]; `listen` receives live
//! ones with the same [`verify::check`].

pub mod decode;
pub mod event;
pub mod frame;
pub mod implied;
pub mod methods;
pub mod raw;
pub mod record;
pub mod request;
pub mod stream;
pub mod verify;
