# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kiriminaja_global_optspecs
    string join \n config= profile= base-url= color= store= no-store h/help V/version
end

function __fish_kiriminaja_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kiriminaja_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kiriminaja_using_subcommand
    set -l cmd (__fish_kiriminaja_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -s V -l version -d 'Print version'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "track" -d 'Show where parcels are: a timeline for one, a table for many'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "watch" -d 'Follow parcels until they reach a final status, printing only what changes'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "decode-event" -d 'Decode captured push (webhook) payloads offline: show, verify, JSON for jq'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "listen" -d 'Receive push events as a service: verified, on disk before acknowledged, forwarded'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "parcels" -d 'List what the parcel store knows: a summary and a table, or JSON'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "sync" -d 'Pull open parcels whose news is stale, record the answers, print what changed'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "store" -d 'Manage the parcel store: import, path, stats, prune'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "callback" -d 'Register the URL KiriminAja sends push events to'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "config" -d 'Set up and inspect the configuration (API key, base URL, profiles)'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "man" -d 'Print the manual page (roff), or write a page per command to a folder'
complete -c kiriminaja -n "__fish_kiriminaja_needs_command" -f -a "help" -d 'Print the help of kiriminaja or of a command (`kiriminaja help config init`)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -s f -l file -d 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l from-file -d 'Render a saved provider response instead of calling the API (`-` for stdin; no key needed)' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l service -d 'Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or express then instant [default: auto, or `service` in the config file]' -r -f -a "auto\t'Express first; on its "not found", instant'
express\t'Express couriers only (JNE, J&T, SiCepat, …)'
instant\t'Instant deliveries only (GoSend, GrabExpress)'"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l concurrency -d 'Requests in flight at once, for batches' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l retries -d 'Retries of a request after a connection error, a timeout, HTTP 429 or 5xx' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l timeout -d 'Time limit for each request, e.g. 10s or 1m [default: 30s, or `timeout` in the config file]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l raw -d 'Print every body the provider answered with, "not found" answers included'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l timeline -d 'With several IDs, print each parcel\'s timeline after the table'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l cached -d 'Answer from the parcel store only, with no request, saying how old its news is (an ID the store does not know: exit 3)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand track" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -s f -l file -d 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l service -d 'Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or express then instant [default: auto, or `service` in the config file]' -r -f -a "auto\t'Express first; on its "not found", instant'
express\t'Express couriers only (JNE, J&T, SiCepat, …)'
instant\t'Instant deliveries only (GoSend, GrabExpress)'"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l interval -d 'Poll at this fixed interval (1s to 1d) instead of the adaptive 1 → 2 → 5 → 15 minutes (instant deliveries: 30s → 1 → 2 → 5 minutes)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l timeout -d 'Stop and exit 8 if parcels are still moving after this long, e.g. 2h or 2d (at most 365d)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l exec -d 'Run CMD through `sh -c` after each change, with KIRIMINAJA_QUERY, KIRIMINAJA_STATUS_CODE, KIRIMINAJA_CATEGORY, KIRIMINAJA_FINAL and KIRIMINAJA_TEXT set' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l concurrency -d 'Requests in flight at once, for batches' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l request-timeout -d 'Time limit for each request [default: 30s, or `timeout` in the config file]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l verify -d 'Require captured HTTP requests carrying your API key as bearer token; payloads that fail are not printed, and the run exits 4'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l strict -d 'Make an unknown method, or a time field that is not a time, an error (exit 6) instead of a warning'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand decode-event" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l addr -d 'Address to listen on, HOST:PORT (port 0 picks a free one; 0.0.0.0:PORT behind a proxy)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l path -d 'Accept only this path, e.g. /webhooks/kiriminaja (others get 404) [default: any path]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l log -d 'The event log (JSON Lines, appended) [default: events.jsonl in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l forward-to -d 'Forward each logged event, in order, to your app (https, or http to loopback only)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l exec -d 'Run CMD through `sh -c` per event: the payload on stdin, KIRIMINAJA_METHOD, KIRIMINAJA_EVENT, KIRIMINAJA_ORDER_IDS and KIRIMINAJA_ORDER_IDS_JSON (whole ids, at most 64 KiB each), KIRIMINAJA_ORDER_COUNT and KIRIMINAJA_ORDER_IDS_LEFT_OUT set' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l max-connections -d 'Open connections at most; a new one closes the oldest idle one when all are taken' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l read-timeout -d 'Time for a request\'s headers, and then its body, to arrive (else 408 or closed)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l category -d 'Only parcels in this category (new, transit, attempt, final, unknown; repeatable)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l stuck -d 'Only open parcels whose latest status happened at least DURATION ago (e.g. 3d)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l courier -d 'Only parcels of this courier (its code: jne, sicepat, gosend, ...)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l since -d 'Only parcels first seen within DURATION (e.g. 7d)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l limit -d 'At most N parcels in the table or JSON (the summary counts them all) [default: table 200, JSON all]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l open -d 'Only parcels not in a final status'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l fail-if-empty -d 'Exit 3 when no parcel matched'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand parcels" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l older-than -d 'Pull parcels whose last news is older than this [default: 6h]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l max -d 'Pull at most N parcels in this run (the stalest first)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l concurrency -d 'Requests in flight at once, for batches' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l retries -d 'Retries of a request after a connection error, a timeout, HTTP 429 or 5xx' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l timeout -d 'Time limit for each request, e.g. 10s or 1m [default: 30s, or `timeout` in the config file]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -f -a "import" -d 'Feed the store from files: listen\'s logs, push payloads, captured requests, saved tracking responses (importing twice changes nothing)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -f -a "path" -d 'Print the path of the store that would be used'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -f -a "stats" -d 'Parcels by category, history entries, size on disk, schema version'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and not __fish_seen_subcommand_from import path stats prune" -f -a "prune" -d 'Remove final parcels whose last news is older than DURATION; print how many'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from import" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from import" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from import" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from import" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from import" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from import" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from path" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from path" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from path" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from path" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from path" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from path" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -l final-older-than -d 'e.g. 90d' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand store; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and not __fish_seen_subcommand_from set" -f -a "set" -d 'Register URL as the callback for your key (POST /api/mitra/set_callback)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand callback; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -f -a "init" -d 'Write the API key (and production or sandbox) to the config file, mode 0600'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -f -a "show" -d 'Show the effective settings and where each comes from (the key redacted)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -f -a "path" -d 'Print the path of the config file that would be used'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and not __fish_seen_subcommand_from init show path check" -f -a "check" -d 'Ask the API whether the key works (one harmless tracking request)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Replace a key that is already there'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l no-input -d 'Never prompt: fail instead when the key is not piped on stdin'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l jq -d 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print JSON: one object per line (schema in the README)'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from path" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from path" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from path" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from check" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from check" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from check" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from check" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from check" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from check" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand completions" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand completions" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand completions" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand completions" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand completions" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand completions" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand completions" -s h -l help -d 'Print help'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -l dir -d 'Write kiriminaja.1 and a page per command (kiriminaja-track.1, …) into DIR instead of printing the top page' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand man" -s h -l help -d 'Print help'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand help" -l config -d 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir\'s kiriminaja/config.toml]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand help" -l profile -d 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand help" -l base-url -d 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]' -r
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand help" -l color -d 'When to color output' -r -f -a "auto\t'Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb'
always\t''
never\t''"
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand help" -l store -d 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]' -r -F
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand help" -l no-store -d 'Use no parcel store: nothing is recorded or read from it'
complete -c kiriminaja -n "__fish_kiriminaja_using_subcommand help" -s h -l help -d 'Print help'
