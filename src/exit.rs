//! Exit codes: the one table every command shares (documented in the README).
//!
//! Errors that decide an exit code are typed ([`crate::error::Error`], [`crate::api::ApiError`])
//! and each says its own code; [`crate::report`] finds them anywhere in an `anyhow` chain. This
//! module knows no error type: everything may depend on it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    Failure,
    Usage,
    NotFound,
    Config,
    Unavailable,
    InvalidData,
    Undelivered,
    TimedOut,
    /// SIGINT (Ctrl-C).
    Interrupted,
    /// SIGTERM.
    Terminated,
    /// SIGHUP.
    HungUp,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::NotFound => 3,
            Exit::Config => 4,
            Exit::Unavailable => 5,
            Exit::InvalidData => 6,
            Exit::Undelivered => 7,
            Exit::TimedOut => 8,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
            Exit::HungUp => 129,
        }
    }

    /// How bad an outcome is, for a batch that must exit with one code: the higher, the worse.
    /// Problems that need the user to act on the setup outrank problems with single parcels.
    fn severity(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Undelivered => 1,
            Exit::TimedOut => 2,
            Exit::NotFound => 3,
            Exit::InvalidData => 4,
            Exit::Unavailable => 5,
            Exit::Config => 6,
            Exit::Usage => 7,
            Exit::Failure => 8,
            Exit::Interrupted | Exit::Terminated | Exit::HungUp => 9,
        }
    }

    /// The more severe of two outcomes.
    #[must_use]
    pub fn worst(self, other: Exit) -> Exit {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }
}

/// The exit-code table: the code, a word or two for the help footer, and the meaning as the
/// README's "Exit codes" table and the man pages' EXIT STATUS give it (a test keeps the README
/// equal to this).
pub const TABLE: &[(Exit, &str, &str)] = &[
    (Exit::Success, "ok", "success"),
    (
        Exit::Failure,
        "unexpected",
        "unexpected failure (a bug, or an I/O error: a file that cannot be opened or read)",
    ),
    (
        Exit::Usage,
        "usage",
        "usage error: bad flags, an invalid ID (empty, whitespace, over 20 characters), no IDs, \
         an invalid `--jq` expression; a `--jq` expression that failed on some object (reported \
         on stderr, and the run went on; not `listen`, which exits as the signal that stopped it \
         says)",
    ),
    (
        Exit::NotFound,
        "not found",
        "an ID was not found (the API's `status: false` answer); (`track --cached`) an ID the \
         parcel store does not know; (`parcels --fail-if-empty`) no parcel matched (without the \
         flag, `parcels` exits 0 when nothing matched: a runbook tests for empty output, or adds \
         the flag)",
    ),
    (
        Exit::Config,
        "auth/config",
        "authentication or configuration: no key, 401/403, invalid config file, refused base URL, \
         404 from the endpoint, a redirect (the API never redirects, so the base URL points \
         elsewhere; it is not followed); the parcel store is corrupt, written by a newer version, \
         or off where a command needs it (`parcels`, `sync`, `store`, `track --cached`); \
         (`decode-event --verify`) a request without the right \
         bearer, or data no request head vouches for; (`listen`) the address cannot be bound (in \
         use, or a privileged port)",
    ),
    (
        Exit::Unavailable,
        "network/service",
        "network or service unavailable: connection errors and timeouts after retries, 5xx, 429, \
         an unreadable response (HTML, empty, truncated)",
    ),
    (
        Exit::InvalidData,
        "invalid data",
        "invalid input data: a saved response or event payload that cannot be read \
         (`decode-event --strict`: also an unknown method or a time that is not a time); a request \
         the API rejected as invalid (other 4xx)",
    ),
    (
        Exit::Undelivered,
        "ended undelivered",
        "(`watch`) a parcel ended undelivered (canceled, returned, seized, destroyed, claim)",
    ),
    (
        Exit::TimedOut,
        "timed out",
        "(`watch`) `--timeout` reached before every parcel ended",
    ),
    (
        Exit::HungUp,
        "hung up",
        "hung up (SIGHUP: the terminal went away)",
    ),
    (
        Exit::Interrupted,
        "interrupted",
        "interrupted (Ctrl-C, SIGINT)",
    ),
    (
        Exit::Terminated,
        "terminated",
        "terminated (SIGTERM); `listen` exits 0 instead: a service stopped as asked, as systemd \
         expects",
    ),
];

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_picks_the_more_severe() {
        assert_eq!(Exit::Success.worst(Exit::NotFound), Exit::NotFound);
        assert_eq!(Exit::NotFound.worst(Exit::Unavailable), Exit::Unavailable);
        assert_eq!(Exit::Config.worst(Exit::Unavailable), Exit::Config);
        assert_eq!(Exit::Undelivered.worst(Exit::Success), Exit::Undelivered);
    }

    #[test]
    fn the_table_has_every_code_once() {
        let mut codes: Vec<u8> = TABLE.iter().map(|(exit, ..)| exit.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TABLE.len());
        assert_eq!(codes.len(), 12);
    }
}
