//! One push payload: decoded, then rendered both ways. Must never panic.
#![no_main]

use kiriminaja::push::decode;
use kiriminaja::render::{self, Painter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(event) = decode::decode(data) {
        let json = serde_json::to_vec(&event).expect("an event always serializes");
        // Our output is strict JSON, whatever came in.
        serde_json::from_slice::<serde_json::Value>(&json).expect("valid JSON out");
        let mut human = Vec::new();
        render::event::payload(&mut human, &event, Painter { color: true }).expect("to a Vec");
    }
});
