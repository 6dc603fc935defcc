//! A config file of any content, resolved with and without a profile. Must never panic, and an
//! error never quotes a number the file gave as `api_key`.
#![no_main]

use std::io::Write;

use kiriminaja::config::{self, Overrides};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::NamedTempFile::new() else {
        return;
    };
    if file.write_all(data).is_err() {
        return;
    }
    for profile in [None, Some("x".to_owned())] {
        let flags = Overrides {
            config: Some(file.path().to_owned()),
            profile,
            base_url: None,
            timeout: None,
            service: None,
        };
        match config::resolve(&flags, &|_| None) {
            Ok(settings) => {
                let _ = settings.api_key.map(|k| k.value.redacted());
            }
            Err(err) => {
                let message = err.to_string();
                let text = String::from_utf8_lossy(data);
                if let Some(value) = text
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("api_key"))
                    .filter_map(|l| l.trim().strip_prefix('='))
                    .map(str::trim)
                    .find(|v| v.len() >= 8 && v.bytes().all(|b| b.is_ascii_digit()))
                {
                    assert!(!message.contains(value), "key quoted: {message}");
                }
            }
        }
    }
});
