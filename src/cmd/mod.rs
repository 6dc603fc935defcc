//! One module per subcommand.

pub mod track;
