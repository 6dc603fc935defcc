//! Errors that decide an exit code, apart from the API's own ([`crate::api::ApiError`]).

use std::path::PathBuf;

use crate::exit::Exit;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or its input list is wrong (exit 2).
    #[error("{0}")]
    Usage(String),

    /// No API key anywhere (exit 4).
    #[error("no API key found")]
    NoApiKey { config_path: Option<PathBuf> },

    /// The configuration is unreadable, invalid or unsafe (exit 4).
    #[error("{message}")]
    Config {
        message: String,
        hint: Option<String>,
    },

    /// Data given to us (a saved response, an event payload) cannot be read (exit 6).
    #[error("{0}")]
    InvalidData(String),
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
            Error::InvalidData(_) => Exit::InvalidData,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoApiKey { config_path } => {
                let file = match config_path {
                    Some(path) => format!("`api_key` in {}", path.display()),
                    None => "`api_key` in the config file".to_owned(),
                };
                Some(format!(
                    "set KIRIMINAJA_API_KEY (or KIRIMINAJA_API_KEY_FILE), or put {file} (see `kiriminaja config path`), \
                     or `api_key` in a [profiles.NAME] table chosen with --profile / KIRIMINAJA_PROFILE; \
                     `kiriminaja config init` writes one for you"
                ))
            }
            Error::Config { hint, .. } => hint.clone(),
            Error::Usage(_) | Error::InvalidData(_) => None,
        }
    }
}
