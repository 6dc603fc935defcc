//! The list of IDs a command works on: from `--file` and the arguments, checked before any
//! request is sent.

use std::collections::HashMap;
use std::path::Path;

use crate::error::Error;

/// The provider's limit on `order_id`.
pub const MAX_LEN: usize = 20;

/// Collects IDs from the file (`-` = stdin), then the arguments, in order, repeats included.
pub fn collect(args: &[String], file: Option<&Path>) -> Result<Vec<String>, Error> {
    let mut ids = Vec::new();
    if let Some(path) = file {
        let (name, text) = read_list(path)?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            ids.push(check(line, Some((&name, n + 1)))?);
        }
    }
    for arg in args {
        ids.push(check(arg, None)?);
    }
    if ids.is_empty() {
        return Err(Error::Usage(match file {
            Some(_) => "the ID list is empty (only blank lines and # comments)".to_owned(),
            None => {
                "no IDs given: pass order IDs or AWBs as arguments, or --file PATH (- for stdin)"
                    .to_owned()
            }
        }));
    }
    Ok(ids)
}

/// Each ID once, in the order of first appearance, and for every given ID the index of its
/// distinct one: ask once, answer every time it was given.
pub fn distinct(ids: &[String]) -> (Vec<String>, Vec<usize>) {
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    let mut unique = Vec::new();
    let slots = ids
        .iter()
        .map(|id| {
            *index.entry(id.as_str()).or_insert_with(|| {
                unique.push(id.clone());
                unique.len() - 1
            })
        })
        .collect();
    (unique, slots)
}

fn read_list(path: &Path) -> Result<(String, String), Error> {
    // Files saved by Notepad or a spreadsheet start with a byte-order mark: `read_whole` drops it.
    let (name, bytes) = crate::input::read_whole_announced(path, "IDs").map_err(|e| {
        let what = if path == Path::new("-") {
            "IDs from stdin".to_owned()
        } else {
            format!("ID file {}", path.display())
        };
        crate::input::read_error(&e, &what, Error::Usage)
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("{name}: the ID list is not UTF-8 text")))?;
    Ok((name, text))
}

/// One ID as the API accepts it: not empty, no whitespace, at most 20 characters.
fn check(id: &str, place: Option<(&str, usize)>) -> Result<String, Error> {
    let problem = if id.is_empty() {
        Some("it is empty".to_owned())
    } else if id.chars().any(char::is_whitespace) {
        Some("it contains whitespace".to_owned())
    } else if id.chars().any(|c| c.is_control() || is_invisible(c)) {
        Some("it contains control or invisible characters".to_owned())
    } else if id.chars().count() > MAX_LEN {
        Some(format!("it is longer than {MAX_LEN} characters"))
    } else {
        None
    };
    match problem {
        None => Ok(id.to_owned()),
        Some(problem) => {
            let at = place
                .map(|(name, line)| format!(" ({name} line {line})"))
                .unwrap_or_default();
            Err(Error::Usage(format!("invalid ID {id:?}{at}: {problem}")))
        }
    }
}

/// Zero-width and direction marks: copied along with an ID from a web page or spreadsheet, they
/// make it a different ID that looks the same.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn file_then_args_in_order_with_repeats() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write!(f, "# ops list\r\nOID-2\n\n  OID-3  \nOID-1\n").unwrap();
        let ids = collect(&strings(&["OID-9", "OID-2"]), Some(f.path())).unwrap();
        assert_eq!(ids, strings(&["OID-2", "OID-3", "OID-1", "OID-9", "OID-2"]));
        let (unique, slots) = distinct(&ids);
        assert_eq!(unique, strings(&["OID-2", "OID-3", "OID-1", "OID-9"]));
        assert_eq!(slots, [0, 1, 2, 3, 0]);
    }

    #[test]
    fn bad_ids_are_usage_errors() {
        for bad in ["", "OID 1", "OID-123456789012345678"] {
            let err = collect(&strings(&[bad]), None).unwrap_err();
            assert!(matches!(err, Error::Usage(_)), "{bad:?}");
        }
        assert!(collect(&strings(&["12345678901234567890"]), None).is_ok());
        assert!(collect(&[], None).is_err());
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_id() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all("\u{FEFF}OID-1\nOID-2\n".as_bytes()).unwrap();
        assert_eq!(
            collect(&[], Some(f.path())).unwrap(),
            strings(&["OID-1", "OID-2"])
        );
        assert!(collect(&strings(&["OID\u{200B}-1"]), None).is_err());
    }

    #[test]
    fn file_errors_name_the_line() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write!(f, "OID-1\nOID 2\n").unwrap();
        let err = collect(&[], Some(f.path())).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
