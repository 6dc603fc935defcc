
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kiriminaja' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kiriminaja'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kiriminaja' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('track', 'track', [CompletionResultType]::ParameterValue, 'Show where parcels are: a timeline for one, a table for many')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow parcels until they reach a final status, printing only what changes')
            [CompletionResult]::new('decode-event', 'decode-event', [CompletionResultType]::ParameterValue, 'Decode captured push (webhook) payloads offline: show, verify, JSON for jq')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Receive push events as a service: verified, on disk before acknowledged, forwarded')
            [CompletionResult]::new('parcels', 'parcels', [CompletionResultType]::ParameterValue, 'List what the parcel store knows: a summary and a table, or JSON')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Pull open parcels whose news is stale, record the answers, print what changed')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Manage the parcel store: import, path, stats, prune')
            [CompletionResult]::new('callback', 'callback', [CompletionResultType]::ParameterValue, 'Register the URL KiriminAja sends push events to')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Set up and inspect the configuration (API key, base URL, profiles)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff), or write a page per command to a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print the help of kiriminaja or of a command (`kiriminaja help config init`)')
            break
        }
        'kiriminaja;track' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Render a saved provider response instead of calling the API (`-` for stdin; no key needed)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or express then instant [default: auto, or `service` in the config file]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once, for batches')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a request after a connection error, a timeout, HTTP 429 or 5xx')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each request, e.g. 10s or 1m [default: 30s, or `timeout` in the config file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print every body the provider answered with, "not found" answers included')
            [CompletionResult]::new('--timeline', '--timeline', [CompletionResultType]::ParameterName, 'With several IDs, print each parcel''s timeline after the table')
            [CompletionResult]::new('--cached', '--cached', [CompletionResultType]::ParameterName, 'Answer from the parcel store only, with no request, saying how old its news is (an ID the store does not know: exit 3)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;watch' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and # comments skipped)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or express then instant [default: auto, or `service` in the config file]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Poll at this fixed interval (1s to 1d) instead of the adaptive 1 → 2 → 5 → 15 minutes (instant deliveries: 30s → 1 → 2 → 5 minutes)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop and exit 8 if parcels are still moving after this long, e.g. 2h or 2d (at most 365d)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD through `sh -c` after each change, with KIRIMINAJA_QUERY, KIRIMINAJA_STATUS_CODE, KIRIMINAJA_CATEGORY, KIRIMINAJA_FINAL and KIRIMINAJA_TEXT set')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once, for batches')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each request [default: 30s, or `timeout` in the config file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;decode-event' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Require captured HTTP requests carrying your API key as bearer token; payloads that fail are not printed, and the run exits 4')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Make an unknown method, or a time field that is not a time, an error (exit 6) instead of a warning')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;listen' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on, HOST:PORT (port 0 picks a free one; 0.0.0.0:PORT behind a proxy)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Accept only this path, e.g. /webhooks/kiriminaja (others get 404) [default: any path]')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The event log (JSON Lines, appended) [default: events.jsonl in the platform data dir]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Forward each logged event, in order, to your app (https, or http to loopback only)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD through `sh -c` per event: the payload on stdin, KIRIMINAJA_METHOD, KIRIMINAJA_EVENT, KIRIMINAJA_ORDER_IDS and KIRIMINAJA_ORDER_IDS_JSON (whole ids, at most 64 KiB each), KIRIMINAJA_ORDER_COUNT and KIRIMINAJA_ORDER_IDS_LEFT_OUT set')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Open connections at most; a new one closes the oldest idle one when all are taken')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'Time for a request''s headers, and then its body, to arrive (else 408 or closed)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;parcels' {
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only parcels in this category (new, transit, attempt, final, unknown; repeatable)')
            [CompletionResult]::new('--stuck', '--stuck', [CompletionResultType]::ParameterName, 'Only open parcels whose latest status happened at least DURATION ago (e.g. 3d)')
            [CompletionResult]::new('--courier', '--courier', [CompletionResultType]::ParameterName, 'Only parcels of this courier (its code: jne, sicepat, gosend, ...)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only parcels first seen within DURATION (e.g. 7d)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N parcels in the table or JSON (the summary counts them all) [default: table 200, JSON all]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--open', '--open', [CompletionResultType]::ParameterName, 'Only parcels not in a final status')
            [CompletionResult]::new('--fail-if-empty', '--fail-if-empty', [CompletionResultType]::ParameterName, 'Exit 3 when no parcel matched')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;sync' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Pull parcels whose last news is older than this [default: 6h]')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'Pull at most N parcels in this run (the stalest first)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once, for batches')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a request after a connection error, a timeout, HTTP 429 or 5xx')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each request, e.g. 10s or 1m [default: 30s, or `timeout` in the config file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;store' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Feed the store from files: listen''s logs, push payloads, captured requests, saved tracking responses (importing twice changes nothing)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the store that would be used')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Parcels by category, history entries, size on disk, schema version')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove final parcels whose last news is older than DURATION; print how many')
            break
        }
        'kiriminaja;store;import' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;store;path' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;store;stats' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;store;prune' {
            [CompletionResult]::new('--final-older-than', '--final-older-than', [CompletionResultType]::ParameterName, 'e.g. 90d')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;callback' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Register URL as the callback for your key (POST /api/mitra/set_callback)')
            break
        }
        'kiriminaja;callback;set' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the API key (and production or sandbox) to the config file, mode 0600')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the effective settings and where each comes from (the key redacted)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file that would be used')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Ask the API whether the key works (one harmless tracking request)')
            break
        }
        'kiriminaja;config;init' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a key that is already there')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead when the key is not piped on stdin')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;config;show' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter each JSON object through a jq expression; print strings raw and other results as compact JSON, one per line, as `jq -r` does (implies --json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per line (schema in the README)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;config;path' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;config;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kiriminaja;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kiriminaja;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write kiriminaja.1 and a page per command (kiriminaja-track.1, …) into DIR instead of printing the top page')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kiriminaja;help' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir''s kiriminaja/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Use no parcel store: nothing is recorded or read from it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
