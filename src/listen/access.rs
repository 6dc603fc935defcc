//! The access line: one line on stderr per request, its time, status, method, path and reason,
//! cleaned and scrubbed like any outside text.

use hyper::StatusCode;

use crate::text::{clean, truncate};
use crate::time::Moment;

/// `2025-01-11T16:00:02+07:00 200 POST /hook finished_packages OID-1 OID-2` on stderr: the
/// time in RFC 3339 with its offset (WIB), the path scrubbed of the key like any text. Never a
/// header value: a wrong token is only ever "wrong bearer".
pub(super) fn access_line(status: StatusCode, method: &str, path: &str, what: &str) {
    let line = format!(
        "{} {} {} {} {}",
        access_time(Moment::now()),
        status.as_u16(),
        clean(method),
        clean(&truncate(&crate::scrub::string(path.to_owned()), 200)),
        clean(&truncate(&crate::scrub::string(what.to_owned()), 300)),
    );
    // Through the stderr queue (installed by the command): a stderr that blocks costs access
    // lines, never the answers.
    crate::output::to_stderr(line + "\n");
}

/// RFC 3339 to the second, with the offset: `2025-01-11T16:00:02+07:00`.
fn access_time(now: Moment) -> String {
    let text = now.to_string();
    match (text.get(..19), text.get(19..)) {
        (Some(seconds), Some(rest)) => {
            let offset = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
            format!("{seconds}{offset}")
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_times_carry_their_offset() {
        let at = Moment::parse("2025-01-11T09:00:02.5Z").unwrap();
        assert_eq!(access_time(at), "2025-01-11T16:00:02+07:00");
        let at = Moment::parse("2025-01-11T09:00:02Z").unwrap();
        assert_eq!(access_time(at), "2025-01-11T16:00:02+07:00");
    }
}
