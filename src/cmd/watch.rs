//! `kiriminaja watch`: the IDs, settings and client resolved from the command line, then the
//! parcels followed by [`crate::watch`].

use crate::cli::{GlobalArgs, WatchArgs};
use crate::config::Service;
use crate::exit::Exit;
use crate::model::Kind;
use crate::output::Output;
use crate::watch::{self, Schedule};

pub fn run(global: &GlobalArgs, args: &WatchArgs, out: &mut Output) -> anyhow::Result<Exit> {
    // Watching an ID twice would print every change twice.
    let (ids, _) = crate::ids::distinct(&crate::ids::collect(
        &args.input.ids,
        args.input.file.as_deref(),
    )?);
    let settings = crate::cmd::settings_with_service(global, args.request_timeout, args.service)?;
    // No retries inside a poll: the watch loop itself backs off and reports outages.
    let client = crate::cmd::client(&settings, 0)?;
    // A pinned service is the endpoint from the start; in auto, the first answer decides.
    let kind = match settings.service.value {
        Service::Express => Some(Kind::Express),
        Service::Instant => Some(Kind::Instant),
        Service::Auto => None,
    };
    let options = watch::Options {
        ids,
        kind,
        schedule: args.interval.map_or(Schedule::Adaptive, Schedule::Fixed),
        json: args.json.enabled(),
        exec: args.exec.clone(),
        timeout: args.timeout,
        concurrency: args.net.concurrency.get(),
    };
    let store = crate::cmd::store::open_optional(global, Some(&settings));
    watch::run(&client, store, options, out)
}
