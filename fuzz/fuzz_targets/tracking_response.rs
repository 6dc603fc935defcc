//! A tracking API answer, as received: read leniently into a parcel, which always serializes to
//! our strict schema. Must never panic.
#![no_main]

use kiriminaja::api;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((first, rest)) => (200 + u16::from(*first % 8) * 100, rest),
        None => (200, data),
    };
    match api::parcel_from_body("OID-FUZZ", status, body) {
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
