//! The table and the timeline fed arbitrary parcels, express or instant (answers split on 0xFF, a width in the
//! first byte): every line fits the width, one line per row. Must never panic.
#![no_main]

use kiriminaja::api;
use kiriminaja::render::table::{self, Row};
use kiriminaja::render::{Painter, timeline};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((width, rest)) = data.split_first() else {
        return;
    };
    let width = usize::from(*width).max(1);
    let mut rows = Vec::new();
    for body in rest.split(|b| *b == 0xFF).take(16) {
        match api::saved_parcel_from_body("OID-FUZZ", body) {
            Ok(parcel) => {
                let mut out = Vec::new();
                timeline::parcel(&mut out, &parcel, Painter { color: true }, Some(width))
                    .expect("to a Vec");
                rows.push(Row::parcel(&parcel));
            }
            Err(err) => rows.push(Row::error(&err)),
        }
    }
    for (fit, paint) in [(Some(width), false), (None, false), (Some(width), true)] {
        let mut out = Vec::new();
        table::render(&mut out, &rows, Painter { color: paint }, fit).expect("to a Vec");
        let text = String::from_utf8(out).expect("UTF-8 out");
        assert_eq!(text.lines().count(), rows.len() + 1, "one line per row");
    }
});
