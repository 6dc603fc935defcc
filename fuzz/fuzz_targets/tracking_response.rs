//! A tracking API answer, as received from the express or the instant endpoint, or saved to a
//! file: read leniently into a parcel, which always serializes to our strict schema. Must never
//! panic. The first byte picks the HTTP status and the reader.
#![no_main]

use kiriminaja::api;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, body)) = data.split_first() else {
        return;
    };
    let status = 200 + u16::from(*first % 4) * 100;
    let parsed = match first / 4 % 3 {
        0 => api::parcel_from_body("OID-FUZZ", status, body),
        1 => api::instant_parcel_from_body("INS-FUZZ", status, body),
        _ => api::saved_parcel_from_body("saved", body),
    };
    match parsed {
        Ok(parcel) => {
            let json = serde_json::to_vec(&parcel).expect("a parcel always serializes");
            let value: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON out");
            assert!(value["status"]["category"].is_string());
        }
        Err(err) => {
            let _ = (err.to_string(), err.exit(), err.hint());
        }
    }
});
