//! The check a push receiver makes on a request head: the one implementation that both
//! `decode-event` (on captured requests) and `listen` (on live ones) use.
//!
//! A genuine push is a `POST` with a JSON content type and exactly one `Authorization: Bearer
//! TOKEN` whose token is the receiver's own API key, compared in constant time. KiriminAja signs
//! nothing, so that is all the proof there is. The user agent is reported, never trusted. No
//! header value of `Authorization` is kept beyond the comparison, so none can be printed.

use subtle::ConstantTimeEq;

use crate::config::ApiKey;
use crate::push::event::Problem;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Every check that failed, in the order: method, content type, bearer.
    pub problems: Vec<Problem>,
    /// `Some(true)`: every check passed against a key. `Some(false)`: a check failed.
    /// `None`: nothing failed, but there was no key to compare the bearer with.
    pub verified: Option<bool>,
    /// The `User-Agent` as sent (reported, not trusted).
    pub user_agent: Option<String>,
}

/// Checks a request head as a receiver should, against `key` when there is one.
///
/// `headers` are name/value pairs in the order received; names in any case. Values are bytes,
/// as a server hands them over (a header value need not be UTF-8).
pub fn check<'a, I>(method: &str, headers: I, key: Option<&ApiKey>) -> Verdict
where
    I: IntoIterator<Item = (&'a str, &'a [u8])>,
{
    let mut content_type = None;
    let mut user_agent = None;
    let mut authorizations = 0usize;
    let mut token = None;
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("content-type") {
            content_type.get_or_insert(value);
        } else if name.eq_ignore_ascii_case("user-agent") {
            user_agent.get_or_insert(value);
        } else if name.eq_ignore_ascii_case("authorization") {
            authorizations += 1;
            token = bearer(value);
        }
    }
    let mut problems = Vec::new();
    if method != "POST" {
        problems.push(Problem::NotPost);
    }
    if !content_type.is_some_and(is_json_type) {
        problems.push(Problem::NotJson);
    }
    let token_ok = match (authorizations, token) {
        (0, _) | (1, None) => {
            problems.push(Problem::MissingBearer);
            None
        }
        // Several Authorization headers, even identical right ones: a genuine push sends one.
        (2.., _) => {
            problems.push(Problem::SeveralAuthorizations);
            None
        }
        (1, Some(token)) => key.map(|key| token_matches(token, key)),
    };
    if token_ok == Some(false) {
        problems.push(Problem::WrongBearer);
    }
    let verified = if problems.is_empty() {
        token_ok
    } else {
        Some(false)
    };
    Verdict {
        problems,
        verified,
        user_agent: user_agent.map(|v| String::from_utf8_lossy(v).trim().to_owned()),
    }
}

/// `Bearer TOKEN` → the token; any other scheme or an empty token is no bearer.
fn bearer(value: &[u8]) -> Option<&[u8]> {
    let value = value.trim_ascii();
    let split = value.iter().position(|b| matches!(b, b' ' | b'\t'))?;
    let (scheme, token) = value.split_at(split);
    let token = token.trim_ascii();
    (scheme.eq_ignore_ascii_case(b"bearer") && !token.is_empty()).then_some(token)
}

/// Constant-time comparison (for equal lengths; a length difference is not hidden).
fn token_matches(token: &[u8], key: &ApiKey) -> bool {
    bool::from(token.ct_eq(key.expose().as_bytes()))
}

/// `application/json`, `application/json; charset=utf-8`, `application/problem+json`, …
fn is_json_type(value: &[u8]) -> bool {
    let media = value
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii()
        .to_ascii_lowercase();
    media == b"application/json"
        || (media.starts_with(b"application/") && media.ends_with(b"+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "kja-unit-0123456789";

    fn verdict(method: &str, headers: &[(&str, &str)], key: Option<&str>) -> Verdict {
        let key = key.and_then(ApiKey::new);
        check(
            method,
            headers.iter().map(|(n, v)| (*n, v.as_bytes())),
            key.as_ref(),
        )
    }

    fn good(authorization: &str) -> Vec<(&'static str, String)> {
        vec![
            ("Content-Type", "application/json; charset=utf-8".to_owned()),
            ("AUTHORIZATION", authorization.to_owned()),
            ("user-agent", "KiriminAja-Push-Services".to_owned()),
        ]
    }

    fn run(method: &str, headers: &[(&str, String)], key: Option<&str>) -> Verdict {
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        verdict(method, &pairs, key)
    }

    #[test]
    fn right_wrong_and_missing_bearer() {
        let right = good(&format!("bearer {KEY}"));
        let v = run("POST", &right, Some(KEY));
        assert_eq!((v.problems, v.verified), (vec![], Some(true)));
        assert_eq!(v.user_agent.as_deref(), Some("KiriminAja-Push-Services"));
        for key in ["kja-unit-0123456780", "short", ""] {
            let v = run("POST", &right, Some(key).filter(|k| !k.is_empty()));
            if key.is_empty() {
                // No key configured: nothing wrong seen, but nothing proven either.
                assert_eq!((v.problems, v.verified), (vec![], None));
            } else {
                assert_eq!(
                    (v.problems, v.verified),
                    (vec![Problem::WrongBearer], Some(false))
                );
            }
        }
        for authorization in ["Basic abc", "Bearer ", "Bearer", ""] {
            let v = run("POST", &good(authorization), Some(KEY));
            assert_eq!(
                v.problems,
                vec![Problem::MissingBearer],
                "{authorization:?}"
            );
            assert_eq!(v.verified, Some(false));
        }
        let missing = verdict("POST", &[("content-type", "application/json")], None);
        assert_eq!(missing.problems, vec![Problem::MissingBearer]);
        assert_eq!(missing.verified, Some(false));
        // Two identical right headers: still refused, for the reason it is (issue 12).
        let mut twice = right.clone();
        twice.push(("Authorization", format!("Bearer {KEY}")));
        let v = run("POST", &twice, Some(KEY));
        assert_eq!(v.problems, vec![Problem::SeveralAuthorizations]);
        assert_eq!(v.verified, Some(false));
    }

    #[test]
    fn method_and_content_type() {
        let mut headers = good(&format!("Bearer {KEY}"));
        headers[0].1 = "text/plain".to_owned();
        let v = run("GET", &headers, Some(KEY));
        assert_eq!(v.problems, vec![Problem::NotPost, Problem::NotJson]);
        assert_eq!(v.verified, Some(false));
        assert_eq!(
            run("post", &good(&format!("Bearer {KEY}")), Some(KEY)).problems,
            vec![Problem::NotPost]
        );
        assert!(is_json_type(b"Application/JSON"));
        assert!(is_json_type(b"application/vnd.api+json"));
        assert!(!is_json_type(b"text/json+x"));
        assert!(!is_json_type(b""));
        assert!(!is_json_type(b"\xff"));
    }

    #[test]
    fn the_verdict_never_holds_the_token() {
        let v = run(
            "POST",
            &good(&format!("Bearer {KEY}")),
            Some("other-key-000000"),
        );
        assert!(!format!("{v:?}").contains(KEY));
    }
}
