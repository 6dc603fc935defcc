//! `listen`'s event log as it finds it at start, and a forwarding cursor beside it: any file is
//! either refused and left untouched, or opened with at most a torn record of its own cut off
//! (or a newline added to a whole one); any cursor text gives a place inside the log (or in a
//! file rotated away from it).
#![no_main]

use kiriminaja::listen::follow::{Cursor, Place};
use kiriminaja::listen::log::EventLog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("events.jsonl");
    // The first byte says how much of the rest is the cursor's text.
    let split = data.first().map_or(0, |b| usize::from(*b % 48));
    let rest = data.get(1..).unwrap_or_default();
    let (cursor_text, log) = rest.split_at(split.min(rest.len()));
    std::fs::write(&path, log).expect("a log");
    let cursor = Cursor::new(dir.path().join("events.jsonl.cursor"), "fuzz");
    std::fs::write(&cursor.path, cursor_text).expect("a cursor");
    let current = std::fs::File::open(&path).expect("the log");
    // A place in the log itself is inside it; a place in another file beside it (a cursor text
    // naming that file's identity) is that file's business.
    if let Place::Log(offset) = cursor.load(&path, 0, &current) {
        assert!(offset <= log.len() as u64, "a cursor inside the log");
    }
    match EventLog::open(&path) {
        Ok(opened) => {
            opened.close();
            let after = std::fs::read(&path).expect("the log");
            let ended = [log, b"\n"].concat();
            assert!(
                after == ended || log.starts_with(&after),
                "only a torn tail cut, or a newline added"
            );
        }
        Err(_) => assert_eq!(
            std::fs::read(&path).expect("the log"),
            log,
            "a refused file is untouched"
        ),
    }
});
