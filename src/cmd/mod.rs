//! One module per subcommand, and what they all share: settings resolved from the global flags,
//! and the one HTTP client of a run.

pub mod cached;
pub mod callback;
pub mod completions;
pub mod config;
pub mod decode_event;
pub mod help;
pub mod listen;
pub mod man;
pub mod parcels;
pub mod store;
pub mod sync;
pub mod track;
pub mod watch;

use std::time::Duration;

use crate::api;
use crate::cli::GlobalArgs;
use crate::config::{Overrides, Service, Settings, env_var, resolve};
use crate::output;

/// The first retry delay; later ones double, with jitter.
const BACKOFF: Duration = Duration::from_millis(500);

/// Resolves settings from the global flags, the environment and the config file, and prints
/// their warnings.
pub fn settings(global: &GlobalArgs, timeout: Option<Duration>) -> anyhow::Result<Settings> {
    settings_with_service(global, timeout, None)
}

/// [`settings`] for the commands that track, with their `--service` flag.
pub fn settings_with_service(
    global: &GlobalArgs,
    timeout: Option<Duration>,
    service: Option<Service>,
) -> anyhow::Result<Settings> {
    let overrides = Overrides {
        service,
        ..overrides(global, timeout)
    };
    let settings = resolve(&overrides, &env_var)?;
    for warning in &settings.warnings {
        output::warn(warning);
    }
    Ok(settings)
}

/// The global flags as config overrides.
pub fn overrides(global: &GlobalArgs, timeout: Option<Duration>) -> Overrides {
    Overrides {
        config: global.config.clone(),
        profile: global.profile.clone(),
        base_url: global.base_url.clone(),
        timeout,
        service: None,
    }
}

/// The one HTTP client of a run.
pub fn client(settings: &Settings, retries: u32) -> anyhow::Result<api::Client> {
    let key = settings.require_key()?;
    api::Client::new(
        key,
        api::ClientOptions {
            base_url: settings.base_url.value.clone(),
            timeout: settings.timeout.value,
            retries,
            backoff: BACKOFF,
            service: settings.service.value,
        },
    )
}
