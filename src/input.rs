//! Whole inputs the user names (an ID list, a saved response): read with the same cap as an
//! answer from the network, so `/dev/zero` or a runaway pipe ends in an error, not in swap.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The most any one input may hold: 16 MiB, as much as a response body may
/// ([`crate::api::MAX_BODY`] is this), so that a saved answer always reads back.
pub const MAX_INPUT: usize = 16 * 1024 * 1024;

/// The UTF-8 byte-order mark a Windows editor (Notepad, a spreadsheet) puts at the start of a
/// file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

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

/// Reads a file, or stdin for `-`, whole and without a leading byte-order mark: its name for
/// messages, and its bytes. An error of kind `InvalidData` is an input over the cap; any other
/// is an I/O error (the file is missing, a directory, unreadable).
pub fn read_whole(path: &Path) -> io::Result<(String, Vec<u8>)> {
    if path == Path::new("-") {
        let bytes = read_capped(io::stdin().lock(), MAX_INPUT)?;
        Ok(("stdin".to_owned(), without_bom(bytes)))
    } else {
        let bytes = read_capped(File::open(path)?, MAX_INPUT)?;
        Ok((path.display().to_string(), without_bom(bytes)))
    }
}

/// `bytes` without a leading byte-order mark: the one rule for a mark before a JSON payload,
/// wherever the payload comes from (a file, a push `listen` received, a log record).
pub fn skip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The bytes without a leading byte-order mark. Applied to the whole input, so a mark that
/// arrived split across reads is seen all the same.
fn without_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    bytes
}

/// The error for a named input that could not be read: over the cap is `too_large` (the caller's
/// data or usage error); anything else is an I/O error (exit 1).
pub fn read_error(
    err: &io::Error,
    what: &str,
    too_large: fn(String) -> crate::error::Error,
) -> crate::error::Error {
    let message = format!("cannot read {what}: {err}");
    if err.kind() == io::ErrorKind::InvalidData {
        too_large(message)
    } else {
        crate::error::Error::Io(message)
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

    /// Hands out one byte per read, as a slow pipe can.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            if buf.is_empty() {
                return Ok(0);
            }
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn a_byte_order_mark_is_dropped_even_when_split_across_reads() {
        let bytes = read_capped(Trickle(b"\xEF\xBB\xBF{\"a\": 1}"), 64).unwrap();
        assert_eq!(without_bom(bytes), b"{\"a\": 1}");
        // Only at the start, and only the whole mark.
        assert_eq!(without_bom(b"\xEF\xBB{}".to_vec()), b"\xEF\xBB{}");
        assert_eq!(without_bom(b"{}\xEF\xBB\xBF".to_vec()), b"{}\xEF\xBB\xBF");
    }

    #[test]
    fn endless_input_is_cut_at_the_cap() {
        let err = read_capped(io::repeat(0), 1024).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        assert_eq!(read_capped(&b"abc"[..], 3).unwrap(), b"abc");
    }
}
