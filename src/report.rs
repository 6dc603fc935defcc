//! How a failed run ends: the exit code and the hint its error stands for, and whether it is a
//! failure at all (a reader that closed the pipe). The first typed error in the chain decides;
//! each typed error says its own code ([`crate::exit`] knows none of them).

use std::io;

use crate::api::ApiError;
use crate::error::Error;
use crate::exit::Exit;

/// The exit code an error stands for: the first typed error in its chain decides.
pub fn classify(err: &anyhow::Error) -> Exit {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return e.exit();
        }
        if let Some(e) = cause.downcast_ref::<ApiError>() {
            return e.exit();
        }
    }
    Exit::Failure
}

/// True when the error is a write to a closed pipe (`… | head`): not an error for a CLI.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// A known fix for the error, printed as a `hint:` line.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<Error>() {
            e.hint()
        } else {
            cause.downcast_ref::<ApiError>().and_then(ApiError::hint)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_found_through_context() {
        let err = anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe)).context("writing");
        assert!(is_broken_pipe(&err));
        assert_eq!(classify(&err), Exit::Failure);
    }
}
