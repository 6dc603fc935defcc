//! The integration test binary: runs the built `kiriminaja` against real local HTTP servers.

mod decode_event;
mod support;
mod track;
