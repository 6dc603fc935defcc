//! Captured HTTP requests, one after another: each head read and checked on its own, each body
//! exactly what its own head announced. A verdict never covers more than its own body.
#![no_main]

use std::io::BufReader;

use kiriminaja::config::ApiKey;
use kiriminaja::push::decode;
use kiriminaja::push::request::{self, BodyLength, Start};
use libfuzzer_sys::fuzz_target;

/// The key the seed corpus's genuine requests carry.
const KEY: &str = "kja-fuzz-4d1f8b2c9e7a6035";

fuzz_target!(|data: &[u8]| {
    let key = ApiKey::new(KEY).expect("a key");
    let mut reader = BufReader::with_capacity(64, data);
    for _ in 0..64 {
        let head = match request::read_start(&mut reader) {
            Ok(Start::Request(head)) => head,
            Ok(Start::Payloads(_)) | Err(_) => return,
        };
        let (_, verified) = head.check(Some(&key));
        if verified == Some(true) {
            // Only a head that carries the key can be verified.
            let text = String::from_utf8_lossy(data);
            assert!(text.contains(KEY), "verified without the key");
        }
        let Ok(length) = head.body_length() else {
            return;
        };
        let Ok(body) = request::read_body(&mut reader, length, 1 << 20) else {
            return;
        };
        if let BodyLength::Fixed(n) = length {
            assert_eq!(body.bytes.len() as u64, n, "exactly the announced bytes");
        }
        let _ = decode::decode(&body.bytes);
        if length == BodyLength::ToEnd {
            return;
        }
    }
});
