//! Whole inputs the user names (an ID list, a saved response): read with the same cap as an
//! answer from the network, so `/dev/zero` or a runaway pipe ends in an error, not in swap.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The most any one input may hold: the same as a response body ([`crate::api::MAX_BODY`]).
pub const MAX_INPUT: usize = crate::api::MAX_BODY;

/// [`read_whole`], first saying on stderr what it waits for when that is a person at a terminal
/// (`reading IDs from stdin (end with Ctrl-D)`), as `decode-event -` does: a
/// silent wait looks like a hang.
pub fn read_whole_announced(path: &Path, what: &str) -> io::Result<(String, Vec<u8>)> {
    use std::io::IsTerminal;
    if path == Path::new("-") && io::stdin().is_terminal() {
        crate::output::note(&format!("reading {what} from stdin (end with Ctrl-D)"));
    }
    read_whole(path)
}

/// Reads a file, or stdin for `-`, whole: its name for messages, and its bytes.
pub fn read_whole(path: &Path) -> io::Result<(String, Vec<u8>)> {
    if path == Path::new("-") {
        let bytes = read_capped(io::stdin().lock(), MAX_INPUT)?;
        Ok(("stdin".to_owned(), bytes))
    } else {
        let bytes = read_capped(File::open(path)?, MAX_INPUT)?;
        Ok((path.display().to_string(), bytes))
    }
}

/// At most `limit` bytes of `reader`; more is an error.
pub fn read_capped(reader: impl Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} MiB", limit >> 20),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_input_is_cut_at_the_cap() {
        let err = read_capped(io::repeat(0), 1024).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        assert_eq!(read_capped(&b"abc"[..], 3).unwrap(), b"abc");
    }
}
