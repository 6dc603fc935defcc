//! The integration test binary: runs the built `kiriminaja` against real local HTTP servers.

mod config;
mod decode_event;
mod fake_api;
mod hardening;
mod help;
mod instant;
mod jq;
mod listen;
mod store;
mod support;
mod track;
mod usability;
mod watch;
