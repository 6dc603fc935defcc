//! Errors that decide an exit code, apart from the API's own ([`crate::api::ApiError`]).

use crate::exit::Exit;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or its input list is wrong (exit 2).
    #[error("{0}")]
    Usage(String),

    /// No API key anywhere (exit 4).
    #[error("no API key found")]
    NoApiKey {
        /// The `config init` that writes a key where this run looks for one (with the
        /// `--config` and `--profile` it was given).
        init: String,
    },

    /// The configuration is unreadable, invalid or unsafe (exit 4).
    #[error("{message}")]
    Config {
        message: String,
        hint: Option<String>,
    },

    /// Data given to us (a saved response, an event payload) cannot be read (exit 6).
    #[error("{0}")]
    InvalidData(String),

    /// The provider refused what was asked, and there is something to do about it (exit 6).
    #[error("{message}")]
    Refused { message: String, hint: String },

    /// A file the user named cannot be opened or read: missing, a directory, no permission
    /// (exit 1, an I/O error). What it holds being wrong is [`Error::InvalidData`].
    #[error("{0}")]
    Io(String),
}

impl Error {
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
            hint: None,
        }
    }

    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) => Exit::Usage,
            Error::NoApiKey { .. } | Error::Config { .. } => Exit::Config,
            Error::InvalidData(_) | Error::Refused { .. } => Exit::InvalidData,
            Error::Io(_) => Exit::Failure,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            // The easiest fix first, on one line (`config show` says where keys are looked for).
            Error::NoApiKey { init } => Some(format!("run `{init}`, or set KIRIMINAJA_API_KEY")),
            Error::Config { hint, .. } => hint.clone(),
            Error::Refused { hint, .. } => Some(hint.clone()),
            Error::Usage(_) | Error::InvalidData(_) | Error::Io(_) => None,
        }
    }
}
