//! One module per subcommand.

pub mod cached;
pub mod callback;
pub mod completions;
pub mod config;
pub mod decode_event;
pub mod help;
pub mod listen;
pub mod man;
pub mod parcels;
pub mod store;
pub mod sync;
pub mod track;
pub mod watch;
pub mod watch_store;
