//! A stream of push payloads (back to back, JSON Lines, pretty-printed, garbage between): framed
//! and each frame decoded. Must never panic; frames never overlap and never go backwards.
#![no_main]

use kiriminaja::push::decode;
use kiriminaja::push::frame::{Body, Framer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut framer = Framer::with_limit(data, 1, 4096);
    let mut last = (0, 0);
    while let Ok(Some(frame)) = framer.next_frame() {
        assert!((frame.line, frame.column) >= last, "frames go forward");
        last = (frame.line, frame.column);
        if let Body::Bytes(bytes) = frame.body {
            assert!(bytes.len() <= 4096 + 1, "a frame is bounded");
            let _ = decode::decode(&bytes);
        }
    }
});
