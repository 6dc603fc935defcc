//! The integration test binary: runs the built `kiriminaja` against real local HTTP servers.

mod config;
mod decode_event;
mod fake_api;
mod hardening;
mod help;
mod instant;
mod jq;
mod listen;
mod listen_attack;
mod listen_review;
mod provider_docs;
mod readme_examples;
mod scripts;
mod store;
mod support;
mod terminal;
mod track;
mod usability;
mod watch;
