//! An answer's body read into a parcel, or into the error it stands for: the provider's refusal
//! (`status: false`), or a body that is not a tracking answer at all.

use crate::instant::RawInstant;
use crate::model::{Parcel, RawResponse, Refusal};

use super::error::{ApiError, ErrorKind};
use super::short;

/// A successful answer: the body as received (for `--raw`) and the parcel it describes.
#[derive(Debug)]
pub struct Tracked {
    pub body: Vec<u8>,
    pub parcel: Parcel,
}

/// Reads a saved or received tracking body into a parcel, or the error it stands for.
pub fn parcel_from_body(query: &str, status: u16, body: &[u8]) -> Result<Parcel, ApiError> {
    let read = RawResponse::from_slice(body).map(|raw| raw.into_parcel(query));
    refusal_to_error(query, status, body, read)
}

/// [`parcel_from_body`] for a body of the instant tracking endpoint.
pub fn instant_parcel_from_body(query: &str, status: u16, body: &[u8]) -> Result<Parcel, ApiError> {
    let read = RawInstant::from_slice(body).map(|raw| raw.into_parcel(query));
    refusal_to_error(query, status, body, read)
}

/// A saved body of either endpoint, told apart by its shape (`--from-file`).
pub fn saved_parcel_from_body(query: &str, body: &[u8]) -> Result<Parcel, ApiError> {
    if crate::instant::looks_instant(body) {
        instant_parcel_from_body(query, 200, body)
    } else {
        parcel_from_body(query, 200, body)
    }
}

fn refusal_to_error(
    query: &str,
    status: u16,
    body: &[u8],
    read: Result<Result<Parcel, Refusal>, serde_json::Error>,
) -> Result<Parcel, ApiError> {
    let error = |kind| ApiError {
        query: query.to_owned(),
        kind,
        body: None,
    };
    let parcel = read.map_err(|e| {
        error(ErrorKind::Unreadable {
            status,
            detail: describe_unreadable(body, &e),
        })
    })?;
    parcel.map_err(|refusal| match refusal {
        Refusal::NotFound(text) => error(ErrorKind::NotFound(short(&text))),
        Refusal::NoTrackingData => error(ErrorKind::Unreadable {
            status,
            detail: "JSON without tracking data".to_owned(),
        }),
    })
}

pub(super) fn describe_unreadable(body: &[u8], err: &serde_json::Error) -> String {
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return "empty body".to_owned();
    }
    if trimmed.first() == Some(&b'<') {
        return format!("an HTML page, not JSON ({})", snippet(trimmed));
    }
    if err.is_eof() {
        return format!("truncated JSON ({err})");
    }
    format!("not JSON ({err})")
}

/// The start of a body, printable and short, for error messages.
pub(super) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(60)]);
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{:?}", clean.trim())
}
