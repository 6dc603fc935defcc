//! One module per subcommand.

pub mod track;
pub mod watch;
