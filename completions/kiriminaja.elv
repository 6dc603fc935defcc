
use builtin;
use str;

set edit:completion:arg-completer[kiriminaja] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kiriminaja'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kiriminaja'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand track 'Show where parcels are: a timeline for one, a table for many'
            cand watch 'Follow parcels until they reach a final status, printing only what changes'
            cand decode-event 'Decode captured push (webhook) payloads offline: show, verify, JSON for jq'
            cand listen 'Receive push events as a service: verified, on disk before acknowledged, forwarded'
            cand callback 'Register the URL KiriminAja sends push events to'
            cand config 'Set up and inspect the configuration (API key, base URL, profiles)'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (roff), or write a page per command to a folder'
            cand help 'Print the help of kiriminaja or of a command (`kiriminaja help config init`)'
        }
        &'kiriminaja;track'= {
            cand -f 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)'
            cand --file 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)'
            cand --jq 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)'
            cand --from-file 'Render a saved provider response instead of calling the API (`-` for stdin; no key needed)'
            cand --service 'Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or express then instant [default: auto, or `service` in the config file]'
            cand --concurrency 'Requests in flight at once, for batches'
            cand --retries 'Retries of a request after a connection error, a timeout, HTTP 429 or 5xx'
            cand --timeout 'Time limit for each request, e.g. 10s or 1m [default: 30s, or `timeout` in the config file]'
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand --json 'Print JSON: one object per line (schema in the README)'
            cand --raw 'Print every body the provider answered with, "not found" answers included'
            cand --timeline 'With several IDs, print each parcel''s timeline after the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;watch'= {
            cand -f 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)'
            cand --file 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)'
            cand --service 'Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or express then instant [default: auto, or `service` in the config file]'
            cand --jq 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)'
            cand --interval 'Poll at this fixed interval (1s to 1d) instead of the adaptive 1 → 2 → 5 → 15 minutes (instant deliveries: 30s → 1 → 2 → 5 minutes)'
            cand --timeout 'Stop and exit 8 if parcels are still moving after this long, e.g. 2h or 2d (at most 365d)'
            cand --exec 'Run CMD through `sh -c` after each change, with KIRIMINAJA_QUERY, KIRIMINAJA_STATUS_CODE, KIRIMINAJA_CATEGORY, KIRIMINAJA_FINAL and KIRIMINAJA_TEXT set'
            cand --concurrency 'Requests in flight at once, for batches'
            cand --request-timeout 'Time limit for each request [default: 30s, or `timeout` in the config file]'
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand --json 'Print JSON: one object per line (schema in the README)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;decode-event'= {
            cand --jq 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)'
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand --json 'Print JSON: one object per line (schema in the README)'
            cand --verify 'Require captured HTTP requests carrying your API key as bearer token; payloads that fail are not printed, and the run exits 4'
            cand --strict 'Make an unknown method, or a time field that is not a time, an error (exit 6) instead of a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;listen'= {
            cand --addr 'Address to listen on, HOST:PORT (port 0 picks a free one; 0.0.0.0:PORT behind a proxy)'
            cand --path 'Accept only this path, e.g. /webhooks/kiriminaja (others get 404) [default: any path]'
            cand --log 'The event log (JSON Lines, appended) [default: events.jsonl in the platform data dir]'
            cand --jq 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)'
            cand --forward-to 'Forward each logged event, in order, to your app (https, or http to loopback only)'
            cand --exec 'Run CMD through `sh -c` per event: the payload on stdin, KIRIMINAJA_METHOD, KIRIMINAJA_EVENT, KIRIMINAJA_ORDER_IDS and KIRIMINAJA_ORDER_IDS_JSON set'
            cand --max-connections 'Open connections at most; a new one closes the oldest idle one when all are taken'
            cand --read-timeout 'Time for a request''s headers, and then its body, to arrive (else 408 or closed)'
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand --json 'Print JSON: one object per line (schema in the README)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;callback'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand set 'Register URL as the callback for your key (POST /api/mitra/set_callback)'
        }
        &'kiriminaja;callback;set'= {
            cand --jq 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)'
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand --json 'Print JSON: one object per line (schema in the README)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;config'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand init 'Write the API key (and production or sandbox) to the config file, mode 0600'
            cand show 'Show the effective settings and where each comes from (the key redacted)'
            cand path 'Print the path of the config file that would be used'
            cand check 'Ask the API whether the key works (one harmless tracking request)'
        }
        &'kiriminaja;config;init'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand --force 'Replace a key that is already there'
            cand --no-input 'Never prompt: fail instead when the key is not piped on stdin'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;config;show'= {
            cand --jq 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)'
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand --json 'Print JSON: one object per line (schema in the README)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;config;path'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;config;check'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kiriminaja;completions'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kiriminaja;man'= {
            cand --dir 'Write kiriminaja.1 and a page per command (kiriminaja-track.1, …) into DIR instead of printing the top page'
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kiriminaja;help'= {
            cand --config 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]'
            cand --profile 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]'
            cand --base-url 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]'
            cand --color 'When to color output'
            cand -h 'Print help'
            cand --help 'Print help'
        }
    ]
    $completions[$command]
}
