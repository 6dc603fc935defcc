//! Provider timestamps in, RFC 3339 out.
//!
//! The provider writes local WIB time (`2021-07-14 16:00:00`, UTC+07:00) in tracking responses and
//! short push events, and ISO 8601 UTC (`2025-01-09T06:02:03.000000Z`) in complete push events and
//! the instant API. Both become a [`Moment`]; we always show and serialize it in WIB so that one
//! parcel's times line up whatever the source.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{self, Offset, TimeZone};
use serde::{Serialize, Serializer};

/// Indonesia's western time zone, in which the provider writes local times.
pub const WIB: Offset = tz::offset(7);

/// A point in time read from the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(Timestamp);

impl Moment {
    /// Reads a provider timestamp. `None` for anything that is not a real time (`""`, `"-"`,
    /// `"0000-00-00 00:00:00"`, …): a bad time is missing data, not an error.
    pub fn parse(text: &str) -> Option<Moment> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        // With an offset or `Z`: an exact instant.
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Some(Moment(ts));
        }
        // Without one: civil time in WIB (`2021-07-14 16:00:00`, also with `T` or no seconds).
        let civil: DateTime = text.parse().ok()?;
        let zoned = civil.to_zoned(TimeZone::fixed(WIB)).ok()?;
        Some(Moment(zoned.timestamp()))
    }

    pub fn timestamp(self) -> Timestamp {
        self.0
    }

    pub fn from_timestamp(ts: Timestamp) -> Moment {
        Moment(ts)
    }

    pub fn now() -> Moment {
        Moment(Timestamp::now())
    }

    /// `2021-07-14 16:00` in WIB, for people.
    pub fn human(self) -> String {
        self.0
            .to_zoned(TimeZone::fixed(WIB))
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }
}

impl Moment {
    /// `2021-07-14 16:00 WIB`, for people, where the zone is worth saying.
    pub fn human_wib(self) -> String {
        format!("{} WIB", self.human())
    }
}

/// RFC 3339 with the WIB offset: `2021-07-14T16:00:00+07:00`.
impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.display_with_offset(WIB))
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wib_civil_time() {
        let m = Moment::parse("2021-07-14 16:00:00").unwrap();
        assert_eq!(m.to_string(), "2021-07-14T16:00:00+07:00");
        assert_eq!(m.human(), "2021-07-14 16:00");
    }

    #[test]
    fn utc_iso_time_is_shown_in_wib() {
        let m = Moment::parse("2025-01-09T06:02:03.000000Z").unwrap();
        assert_eq!(m.to_string(), "2025-01-09T13:02:03+07:00");
    }

    #[test]
    fn non_times_are_none() {
        for text in [
            "",
            " ",
            "-",
            "0000-00-00 00:00:00",
            "null",
            "yesterday",
            "2021-13-40 99:00:00",
        ] {
            assert_eq!(Moment::parse(text), None, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC*") {
            let _ = Moment::parse(&text);
        }

        #[test]
        fn round_trips_through_rfc3339(secs in 0i64..4_000_000_000) {
            let m = Moment(Timestamp::from_second(secs).unwrap());
            prop_assert_eq!(Moment::parse(&m.to_string()), Some(m));
        }
    }
}
