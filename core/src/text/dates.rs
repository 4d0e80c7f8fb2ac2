//! Dates, with the `time` crate's calendar: the one reader of an RFC 3339 time (the server's
//! `created_at`, a machine's `last_backup_at`) into Unix seconds, and Unix seconds written as UTC
//! text (the error log, the install id's row, the client area, a host without PHP's `date()`).

use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// 0001-01-01T00:00:00Z, the first second a date here may show.
const FIRST: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z, the last second a date here may show.
const LAST: i64 = 253_402_300_799;

/// Unix seconds of an RFC 3339 time: `2026-11-29T15:02:03Z`, `t` and `z` in either case, a space
/// for `T` (RFC 3339's own note allows it), fractional seconds (dropped), any `±hh:mm` offset. A
/// leap second (`23:59:60`, the last second of a month in UTC) counts as `:59`: WHMCS's dates
/// have no second 60. `None` when it is not such a time, or its UTC falls outside the years
/// 0001–9999.
pub fn unix_time(rfc3339: &str) -> Option<i64> {
    // `time` takes any character between the date and the time; RFC 3339 names these three.
    if !matches!(rfc3339.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let utc = OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()?
        .checked_to_offset(UtcOffset::UTC)?;
    (utc.year() >= 1).then_some(utc.unix_timestamp())
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    utc(i64::try_from(secs).unwrap_or(LAST))
}

/// Unix second `secs` as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian calendar); a second before
/// the year 0001 or after 9999 shows as the first or last second of that range.
pub fn utc(secs: i64) -> String {
    let at = utc_of(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Unix second `secs` to the minute, as `YYYY-MM-DD HH:MM UTC` (the client area's dates; the
/// same range as [`utc`]).
pub fn utc_to_minute(secs: i64) -> String {
    let at = utc_of(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// The UTC date and time of `secs`, held within the years 0001–9999.
fn utc_of(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs.clamp(FIRST, LAST))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_910_399), "2026-11-28T23:59:59Z");
        assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
        assert_eq!(utc(FIRST), "0001-01-01T00:00:00Z");
        assert_eq!(utc(LAST), "9999-12-31T23:59:59Z");
        assert_eq!(utc(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(utc(i64::MIN), "0001-01-01T00:00:00Z");
        assert_eq!(utc_to_minute(1_796_040_059), "2026-11-30 12:00 UTC");
        assert_eq!(utc_to_minute(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_now().len(), "2026-11-28T23:59:59Z".len());
    }

    #[test]
    fn reads_rfc_3339_into_unix_seconds() {
        for (time, want) in [
            ("2026-11-29T15:02:03Z", "2026-11-29T15:02:03Z"),
            ("2026-11-29T15:02:03.25+00:00", "2026-11-29T15:02:03Z"),
            ("2026-11-29T15:02:03.999999999999Z", "2026-11-29T15:02:03Z"),
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
            ("2016-12-31T18:59:60-05:00", "2016-12-31T23:59:59Z"),
            ("2026-11-29T15:02:03+01:00", "2026-11-29T14:02:03Z"),
            ("2026-12-31T20:00:00-05:30", "2027-01-01T01:30:00Z"),
            ("2024-02-29t10:00:00.123456789z", "2024-02-29T10:00:00Z"),
            ("2026-03-01 00:00:00-00:01", "2026-03-01T00:01:00Z"),
            ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
            ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ] {
            assert_eq!(unix_time(time).map(utc).as_deref(), Some(want), "{time}");
        }
        assert_eq!(unix_time("1970-01-01T00:00:00Z"), Some(0));
        for bad in [
            "",
            "2026-11-29",
            "2026-11-29X15:02:03Z",
            "2026-11-29\u{e9}15:02:03Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-11-29T24:00:00Z",
            "2026-11-29T15:60:00Z",
            "2026-11-29T15:02:61Z",
            "2026-11-29T15:02:60Z",
            "2026-11-29T15:02:03",
            "2026-11-29T15:02:03+0100",
            "2026-11-29T15:02:03+24:00",
            "2026-11-29T15:02:03+01:60",
            "2026-11-29T15:02:03.Z",
            "2026-11-29T15:02:03Zjunk",
            " 2026-11-29T15:02:03Z",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:30:00-01:00",
            "+2026-11-29T15:02:03Z",
            "２０２６-11-29T15:02:03Z",
        ] {
            assert_eq!(unix_time(bad), None, "{bad}");
        }
    }
}
