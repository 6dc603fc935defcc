//! One module per subcommand.

pub mod decode_event;
pub mod track;
