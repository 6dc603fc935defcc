//! `listen`'s event log: any body a sender can send is written as exactly one line that reads
//! back to the same body, byte for byte; any line read from a log (torn, hostile) never panics.
#![no_main]

use kiriminaja::push::record::{self, Received, Record};
use kiriminaja::time::Moment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // As a line of a log someone else wrote.
    if let Some(read) = Record::parse(data) {
        let _ = (read.body_bytes(), read.request());
    }
    // As a body received: the user agent from the first bytes, the rest the body.
    let split = data.first().map_or(0, |b| usize::from(*b % 16)).min(data.len());
    let (agent, body) = data.split_at(split);
    let agent = String::from_utf8_lossy(agent);
    let received = Received {
        received_at: Moment::now(),
        remote: "127.0.0.1:1",
        path: "/hook",
        user_agent: Some(&agent),
        content_type: Some("application/json"),
        body,
    };
    let mut line = Vec::new();
    record::write(&received, &mut line);
    assert_eq!(line.iter().filter(|b| **b == b'\n').count(), 1, "one line");
    assert!(line.ends_with(b"\n"));
    let read = Record::parse(&line[..line.len() - 1]).expect("a record reads back");
    assert_eq!(&read.body_bytes()[..], body, "the body byte for byte");
});
