//! Values given as text (flags, environment, the config file): base URLs (https, or http only to
//! loopback), and durations within bounds.

use std::time::Duration;

use reqwest::Url;

use super::{PRODUCTION_URL, SANDBOX_URL};

/// `production`, `sandbox`, or an `https://` URL; `http://` only to a loopback host, because
/// the bearer key must not cross a network in clear text.
pub fn parse_base_url(text: &str) -> Result<Url, String> {
    let text = text.trim();
    let text = match text {
        "production" => PRODUCTION_URL,
        "sandbox" => SANDBOX_URL,
        other => other,
    };
    // Messages name the URL without any user name or password it carried.
    let shown = without_userinfo(text);
    let mut url = Url::parse(text).map_err(|e| format!("'{shown}' is not a URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback(&url) {
                return Err(format!(
                    "refusing plain http:// to {}: the API key would cross the network unencrypted",
                    url.host_str().unwrap_or("?")
                ));
            }
        }
        other => return Err(format!("unsupported scheme '{other}' in '{shown}'")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("'{shown}' has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials in the URL are not supported".to_owned());
    }
    url.set_query(None);
    url.set_fragment(None);
    // Endpoints are joined onto the base, so a path prefix must end in a slash to be kept.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// A URL we send to or register that is not the API: `https://`, or `http://` to a loopback host
/// only (`why` says what would be exposed otherwise). `what` names it in messages.
pub fn parse_https_url(text: &str, what: &str, why: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim())
        .map_err(|e| format!("{what} '{}' is not a URL ({e})", without_userinfo(text)))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "refusing plain http:// to {} for {what}: {why}",
                url.host_str().unwrap_or("?")
            ));
        }
        other => return Err(format!("unsupported scheme '{other}' in {what}")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{what} '{}' has no host", without_userinfo(text)));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("credentials in the {what} are not supported"));
    }
    Ok(url)
}

/// `scheme://user:pass@host/…` → `scheme://…@host/…`, for any scheme, parsable or not.
pub(super) fn without_userinfo(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://…{}", &rest[at..]),
        None => text.to_owned(),
    }
}

pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The longest request timeout (flag or config file): longer is a typo, not a wish.
pub const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(3600);

/// A request timeout (`30s`, `2m`): more than zero, at most [`MAX_REQUEST_TIMEOUT`].
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    parse_duration_within(text, Duration::ZERO, MAX_REQUEST_TIMEOUT)
}

/// A humantime duration (`30s`, `2m`, `1h 30m`) more than zero, at least `min` and at most
/// `max`. Every duration the user gives is bounded, so no time arithmetic can overflow.
pub fn parse_duration_within(text: &str, min: Duration, max: Duration) -> Result<Duration, String> {
    let d = humantime::parse_duration(text.trim())
        .map_err(|e| format!("'{text}' is not a duration ({e}); try 30s, 2m or 1h"))?;
    if d.is_zero() {
        return Err("must be more than zero".to_owned());
    }
    if d < min {
        return Err(format!(
            "must be at least {}",
            humantime::format_duration(min)
        ));
    }
    if d > max {
        return Err(format!(
            "must be at most {}",
            humantime::format_duration(max)
        ));
    }
    Ok(d)
}
