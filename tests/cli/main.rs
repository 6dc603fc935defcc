//! The integration test binary: runs the built `kiriminaja` against real local HTTP servers.

mod fake_api;
mod support;
mod track;
