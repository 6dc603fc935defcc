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
        // The provider's two usual shapes are read directly (a large share of a push stream's
        // time went to the general parser); anything else, including a date that does not
        // exist, goes to jiff's parser below, which decides.
        if let Some(moment) = Moment::parse_usual(text.as_bytes()) {
            return Some(moment);
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

    /// `2021-07-14 16:00:00` (WIB) and `2025-01-09T06:02:03.000000Z` (UTC, 0 to 9 fraction
    /// digits); `None` for anything else.
    fn parse_usual(text: &[u8]) -> Option<Moment> {
        fn digits(bytes: &[u8]) -> Option<i32> {
            bytes.iter().try_fold(0i32, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + i32::from(b - b'0'))
            })
        }
        let (civil, offset) = match text {
            [date @ .., b' ', _, _, b':', _, _, b':', _, _] if date.len() == 10 => {
                (&text[..19], WIB)
            }
            [.., b'Z'] if text.len() >= 20 && text[10] == b'T' => (text, Offset::UTC),
            _ => return None,
        };
        if civil.len() < 19 || civil[4] != b'-' || civil[7] != b'-' || civil[13] != b':' {
            return None;
        }
        let nanos = match &civil[19..] {
            [] => 0,
            [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => {
                digits(fraction)? * 10i32.pow(9 - fraction.len() as u32)
            }
            [b'Z'] => 0,
            _ => return None,
        };
        let second = digits(&civil[17..19])?;
        if second > 59 {
            // A leap second: jiff's parser has its own rule for it.
            return None;
        }
        let civil = DateTime::new(
            i16::try_from(digits(&civil[0..4])?).ok()?,
            i8::try_from(digits(&civil[5..7])?).ok()?,
            i8::try_from(digits(&civil[8..10])?).ok()?,
            i8::try_from(digits(&civil[11..13])?).ok()?,
            i8::try_from(digits(&civil[14..16])?).ok()?,
            i8::try_from(second).ok()?,
            nanos,
        )
        .ok()?;
        offset.to_timestamp(civil).ok().map(Moment)
    }

    /// The time on a WIB clock.
    fn wib(self) -> DateTime {
        WIB.to_datetime(self.0)
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
        let t = self.wib();
        if (0..=9999).contains(&t.year()) {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute()
            )
        } else {
            self.0
                .to_zoned(TimeZone::fixed(WIB))
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        }
    }

    /// RFC 3339 in WIB, written into `buf` without the formatting machinery (a large stream
    /// writes millions); `None` for a year outside 0 to 9999, which [`fmt::Display`] handles.
    fn rfc3339(self, buf: &mut [u8; 40]) -> Option<&str> {
        fn put(buf: &mut [u8], at: usize, width: usize, mut n: u32) {
            for i in (at..at + width).rev() {
                buf[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        }
        let t = self.wib();
        let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
        buf[..19].copy_from_slice(b"0000-00-00T00:00:00");
        put(buf, 0, 4, year);
        put(buf, 5, 2, t.month() as u32);
        put(buf, 8, 2, t.day() as u32);
        put(buf, 11, 2, t.hour() as u32);
        put(buf, 14, 2, t.minute() as u32);
        put(buf, 17, 2, t.second() as u32);
        let mut len = 19;
        let nanos = t.subsec_nanosecond();
        if nanos > 0 {
            // As jiff writes it: the fraction without its trailing zeros.
            buf[19] = b'.';
            put(buf, 20, 9, nanos as u32);
            len = 29;
            while buf[len - 1] == b'0' {
                len -= 1;
            }
        }
        buf[len..len + 6].copy_from_slice(b"+07:00");
        std::str::from_utf8(&buf[..len + 6]).ok()
    }
}

impl Moment {
    /// [`Moment::human_wib`] written to `out` (no allocation).
    pub fn write_human_wib(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self.rfc3339(&mut [0; 40]) {
            Some(text) => {
                out.write_all(&text.as_bytes()[..10])?;
                out.write_all(b" ")?;
                out.write_all(&text.as_bytes()[11..16])?;
                out.write_all(b" WIB")
            }
            None => out.write_all(self.human_wib().as_bytes()),
        }
    }

    /// `2021-07-14 16:00 WIB`, for people, where the zone is worth saying.
    pub fn human_wib(self) -> String {
        // From the RFC 3339 text: `2021-07-14T16:00:00+07:00` → `2021-07-14 16:00 WIB`.
        match self.rfc3339(&mut [0; 40]) {
            Some(text) => {
                let mut human = String::with_capacity(20);
                human.push_str(&text[..10]);
                human.push(' ');
                human.push_str(&text[11..16]);
                human.push_str(" WIB");
                human
            }
            None => format!("{} WIB", self.human()),
        }
    }
}

/// RFC 3339 with the WIB offset: `2021-07-14T16:00:00+07:00`.
impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rfc3339(&mut [0; 40]) {
            Some(text) => f.write_str(text),
            None => write!(f, "{}", self.0.display_with_offset(WIB)),
        }
    }
}

impl Moment {
    /// Appends the RFC 3339 text of [`fmt::Display`] to `buf`.
    pub fn write_rfc3339(self, buf: &mut Vec<u8>) {
        match self.rfc3339(&mut [0; 40]) {
            Some(text) => buf.extend_from_slice(text.as_bytes()),
            None => buf.extend_from_slice(self.to_string().as_bytes()),
        }
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.rfc3339(&mut [0; 40]) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.collect_str(&self.0.display_with_offset(WIB)),
        }
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

    /// What jiff's own parser makes of a text.
    fn jiff_parse(text: &str) -> Option<Moment> {
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Some(Moment(ts));
        }
        let civil: DateTime = text.parse().ok()?;
        Some(Moment(
            civil.to_zoned(TimeZone::fixed(WIB)).ok()?.timestamp(),
        ))
    }

    #[test]
    fn usual_shapes_read_directly() {
        let m = Moment::parse_usual(b"2025-01-19T18:06:54.000666Z").unwrap();
        assert_eq!(m.to_string(), "2025-01-20T01:06:54.000666+07:00");
        assert_eq!(
            Moment::parse_usual(b"2024-02-29 23:59:59"),
            jiff_parse("2024-02-29 23:59:59")
        );
        assert_eq!(Moment::parse_usual(b"2023-02-29 10:00:00"), None);
        assert_eq!(Moment::parse_usual(b"2023-02-28 10:00:60"), None);
    }

    proptest! {
        /// The direct reading of the usual shapes agrees with jiff's parser whenever it answers,
        /// including impossible dates and times.
        #[test]
        fn usual_shapes_agree_with_jiff(
            year in 0u32..10000, month in 0u32..14, day in 0u32..33, hour in 0u32..26,
            minute in 0u32..61, second in 0u32..62, fraction in "[0-9]{0,10}", utc: bool,
        ) {
            let text = if utc {
                let dot = if fraction.is_empty() { "" } else { "." };
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{dot}{fraction}Z")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            };
            if let Some(m) = Moment::parse_usual(text.as_bytes()) {
                prop_assert_eq!(Some(m), jiff_parse(&text), "{}", text);
            }
            prop_assert_eq!(Moment::parse(&text), jiff_parse(&text), "{}", text);
        }

        /// The direct writing agrees with jiff's.
        #[test]
        fn rfc3339_agrees_with_jiff(secs in -62_000_000_000i64..250_000_000_000, nanos in prop_oneof![Just(0i32), 0i32..1_000_000_000, (0i32..1000).prop_map(|n| n * 1000)]) {
            let m = Moment(Timestamp::new(secs, if secs < 0 { -nanos } else { nanos }).unwrap());
            let json = serde_json::to_string(&m).unwrap();
            prop_assert_eq!(json, format!("\"{}\"", m.0.display_with_offset(WIB)));
            let human = m.0.to_zoned(TimeZone::fixed(WIB)).strftime("%Y-%m-%d %H:%M").to_string();
            prop_assert_eq!(m.human_wib(), format!("{human} WIB"));
            prop_assert_eq!(m.human(), human);
        }

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
