//! Keeping the API key out of everything we print.
//!
//! A gateway in front of the API may echo request headers back (in an error page, a `message`, a
//! history text). So every provider-originated string is scrubbed where it enters the program:
//! the lenient readers ([`crate::lenient`]) for every string field, and the client for raw bodies
//! and error snippets. Scrubbing replaces each occurrence of a protected secret, and the token of
//! any `Bearer …` it sees, with [`REDACTED`].
//!
//! The secrets are process-wide on purpose: the lenient readers run inside serde and have no
//! context to carry a key through, and a run has one key. [`protect`] is called once the key is
//! known, before any request is sent.

use std::borrow::Cow;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a scrubbed secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for: a key of one or two characters would redact
/// ordinary text (and no real key is that short).
const MIN_SECRET: usize = 4;

/// The shortest run after `Bearer ` that is taken for a token.
const MIN_TOKEN: usize = 8;

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());
/// Whether [`SECRETS`] holds any: most strings are scrubbed with no key protected at all.
static ANY_SECRET: AtomicBool = AtomicBool::new(false);

/// Adds a secret to scrub from provider text from now on.
pub fn protect(secret: &str) {
    if secret.len() < MIN_SECRET {
        return;
    }
    let mut secrets = SECRETS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // JSON may write `/` as `\/` (PHP does by default): that spelling is the secret too.
    let escaped = secret.replace('/', "\\/");
    for spelling in [secret, escaped.as_str()] {
        if !secrets.iter().any(|s| s == spelling) {
            secrets.push(spelling.to_owned());
        }
    }
    ANY_SECRET.store(true, Ordering::Release);
}

/// `text` with every protected secret and every bearer token replaced by [`REDACTED`].
pub fn text(text: &str) -> Cow<'_, str> {
    match bytes(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only whole secrets and ASCII tokens are replaced by ASCII, so UTF-8 stays valid; the
        // lossy conversion never has anything to replace.
        Cow::Owned(scrubbed) => Cow::Owned(String::from_utf8_lossy(&scrubbed).into_owned()),
    }
}

/// A request path (as received, percent-encoded) with the key and any bearer token replaced:
/// what `listen` writes to its log. A secret spelled with percent escapes is found too; such a
/// path is then kept decoded (and scrubbed), since that is the spelling the secret was found in.
pub fn path(path: &str) -> Cow<'_, str> {
    let scrubbed = text(path);
    if !path.contains('%') {
        return scrubbed;
    }
    let decoded = percent_decode(scrubbed.as_bytes());
    match bytes(&decoded) {
        Cow::Owned(cleaned) => Cow::Owned(String::from_utf8_lossy(&cleaned).into_owned()),
        Cow::Borrowed(_) => scrubbed,
    }
}

/// `%XX` escapes decoded; anything else kept as it is.
fn percent_decode(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%'
            && let (Some(&hi), Some(&lo)) = (input.get(i + 1), input.get(i + 2))
            && let (Some(hi), Some(lo)) = (hex(hi), hex(lo))
        {
            out.push(hi << 4 | lo);
            i += 3;
            continue;
        }
        out.push(input[i]);
        i += 1;
    }
    out
}

/// An owned string, scrubbed without a copy when there is nothing to scrub.
pub fn string(text: String) -> String {
    match self::text(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(scrubbed) => scrubbed,
    }
}

/// Every string in a JSON value, scrubbed in place; true when something was replaced.
pub fn value(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => match text(s) {
            Cow::Owned(scrubbed) => {
                *s = scrubbed;
                true
            }
            Cow::Borrowed(_) => false,
        },
        serde_json::Value::Array(items) => {
            items.iter_mut().fold(false, |any, v| self::value(v) | any)
        }
        serde_json::Value::Object(map) => {
            map.values_mut().fold(false, |any, v| self::value(v) | any)
        }
        _ => false,
    }
}

/// [`text`] for raw bytes (a response body as received).
pub fn bytes(input: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Cow<'_, [u8]> = Cow::Borrowed(input);
    // Every provider string comes here: the usual short one is done without a lock or a scan.
    if input.len() < MIN_SECRET {
        return out;
    }
    if ANY_SECRET.load(Ordering::Acquire) {
        let secrets = SECRETS
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for secret in secrets.iter() {
            if let Some(replaced) = replace_all(&out, secret.as_bytes()) {
                out = Cow::Owned(replaced);
            }
        }
    }
    // Too short to hold `bearer` and a token.
    if out.len() >= "bearer ".len() + MIN_TOKEN
        && let Some(replaced) = redact_bearer_tokens(&out)
    {
        out = Cow::Owned(replaced);
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn replace_all(input: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let first = find(input, needle)?;
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(&input[..first]);
    out.extend_from_slice(REDACTED.as_bytes());
    let mut rest = &input[first + needle.len()..];
    while let Some(at) = find(rest, needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(REDACTED.as_bytes());
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    Some(out)
}

/// Replaces the token after every `bearer` (any case) followed by blanks: whatever an echoed
/// `Authorization` header carried, it was somebody's credential.
fn redact_bearer_tokens(input: &[u8]) -> Option<Vec<u8>> {
    const WORD: &[u8] = b"bearer";
    let is_token = |b: u8| !(b.is_ascii_whitespace() || b"\"'<>,;\\".contains(&b));
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while i + WORD.len() < input.len() {
        // Jump to the next `b`: most text has none near, and this is on every provider string.
        match memchr::memchr2(b'b', b'B', &input[i..]) {
            Some(at) => i += at,
            None => break,
        }
        if i + WORD.len() >= input.len() || !input[i..i + WORD.len()].eq_ignore_ascii_case(WORD) {
            i += 1;
            continue;
        }
        let mut start = i + WORD.len();
        while start < input.len() && matches!(input[start], b' ' | b'\t') {
            start += 1;
        }
        let mut end = start;
        while end < input.len() && is_token(input[end]) {
            end += 1;
        }
        // A credential is long; "bearer of news" is prose.
        if start == i + WORD.len()
            || end - start < MIN_TOKEN
            || &input[start..end] == REDACTED.as_bytes()
        {
            i += WORD.len();
            continue;
        }
        let buffer = out.get_or_insert_with(|| Vec::with_capacity(input.len()));
        buffer.extend_from_slice(&input[copied..start]);
        buffer.extend_from_slice(REDACTED.as_bytes());
        copied = end;
        i = end;
    }
    let mut buffer = out?;
    buffer.extend_from_slice(&input[copied..]);
    Some(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bearer_tokens_are_redacted_in_any_case() {
        assert_eq!(
            text("echo: Authorization: Bearer abc.def-123, next"),
            "echo: Authorization: Bearer [redacted], next"
        );
        assert_eq!(text("BEARER\txyz12345"), "BEARER\t[redacted]");
        assert_eq!(text("a bearer of news"), "a bearer of news");
        assert_eq!(text("bearer short"), "bearer short");
        assert_eq!(text("bearer"), "bearer");
        assert_eq!(text("bearers"), "bearers");
        assert_eq!(text("no tokens here"), "no tokens here");
    }

    #[test]
    fn protected_secrets_are_redacted_everywhere() {
        protect("kja-unit-secret-77");
        assert_eq!(
            text("key=kja-unit-secret-77;again:kja-unit-secret-77"),
            "key=[redacted];again:[redacted]"
        );
        assert_eq!(
            bytes(b"{\"text\":\"kja-unit-secret-77\"}").as_ref(),
            b"{\"text\":\"[redacted]\"}"
        );
        protect("kja/unit/slash");
        assert_eq!(text(r#""kja\/unit\/slash""#), r#""[redacted]""#);
        // Too short to search for without redacting ordinary words.
        protect("ab");
        assert_eq!(text("abc"), "abc");
    }

    proptest! {
        #[test]
        fn scrubbing_never_panics_and_keeps_utf8(s in ".{0,200}") {
            let scrubbed = text(&s);
            prop_assert!(!scrubbed.is_empty() || s.is_empty());
        }

        #[test]
        fn an_embedded_secret_never_survives(prefix in ".{0,40}", suffix in ".{0,40}") {
            protect("kja-prop-secret-1234");
            let input = format!("{prefix}kja-prop-secret-1234{suffix}");
            prop_assert!(!text(&input).contains("kja-prop-secret-1234"));
        }

        /// A request path: the key never survives, raw or with any of its bytes
        /// percent-encoded; any path is scrubbed without a panic.
        #[test]
        fn a_secret_in_a_path_never_survives(
            prefix in "[ -~]{0,30}",
            encoded in prop::collection::vec(any::<bool>(), 20),
            lower in any::<bool>(),
        ) {
            const SECRET: &str = "kja-path-secret-5678";
            protect(SECRET);
            let spelled: String = SECRET
                .bytes()
                .zip(&encoded)
                .map(|(b, &e)| match (e, lower) {
                    (true, false) => format!("%{b:02X}"),
                    (true, true) => format!("%{b:02x}"),
                    (false, _) => (b as char).to_string(),
                })
                .collect();
            let input = format!("/hook/{prefix}{spelled}");
            let scrubbed = path(&input);
            prop_assert!(!scrubbed.contains(SECRET), "{}", scrubbed);
            prop_assert!(!scrubbed.contains(&spelled), "{}", scrubbed);
        }

        #[test]
        fn any_path_is_scrubbed_without_a_panic(s in "[%0-9a-fA-F/ -~]{0,80}") {
            let _ = path(&s);
        }
    }
}
