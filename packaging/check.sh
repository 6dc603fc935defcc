#!/usr/bin/env bash
# Proves the Debian package: builds it (packaging/build-deb.sh), lists it, installs it on this
# machine, checks what an operator relies on, runs `listen` the way its unit does, then removes
# and purges it and checks what is left.
#
#   sudo bash packaging/check.sh                # installs cargo-deb first when it is missing
#   sudo bash packaging/check.sh --no-install   # skips when cargo-deb is not installed (CI)
#
# It changes the machine: run it on a scratch Debian or Ubuntu machine (as root). It refuses to
# start where kiriminaja is already installed or has left state. It prints one line per check and
# exits non-zero on the first failure; it exits 0 with a "SKIPPED:" line when it cannot run here
# (not root, no dpkg, cargo-deb unavailable).
#
# systemd is not PID 1 on every machine (containers, CI), so `listen` is first started as its unit
# starts it: its ExecStart= line, its Environment= lines and UMask=, as an unprivileged user from
# DynamicUser='s range that has no other file on the machine, with the key in a credentials
# directory laid out as systemd lays it out, and its state directory created as StateDirectory=
# creates it. Then, where systemd-nspawn is installed (Debian: systemd-container), systemd itself
# is booted in a container and starts the units for real; elsewhere a NOTE says it was not.
# Never checked: the timer firing on its schedule, and a running service restarted by an upgrade
# (dpkg's try-restart needs the machine's own systemd).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'check: %s\n' "$*"; }
ok() { printf 'check: ok    %s\n' "$*"; }
fail() {
    printf 'check: FAIL  %s\n' "$*"
    exit 1
}
skip() {
    printf 'check: SKIPPED: %s\n' "$*"
    exit 0
}

build_args=()
for arg in "$@"; do
    case $arg in
    --no-install) build_args+=(--no-install) ;;
    *) fail "unknown argument $arg (usage: check.sh [--no-install])" ;;
    esac
done

[ "$(id -u)" = 0 ] || skip "needs root (dpkg -i); run: sudo bash packaging/check.sh"
command -v dpkg >/dev/null && command -v dpkg-deb >/dev/null ||
    skip "no dpkg: not a Debian-like machine"
command -v cargo >/dev/null || skip "no cargo: the package cannot be built here"
for tool in curl setpriv gzip; do
    command -v "$tool" >/dev/null || skip "needs $tool, which this machine does not have"
done
# The second letter of the status: n not installed, i installed, c config-files, others half-done.
if dpkg-query -W -f='${db:Status-Abbrev}' kiriminaja 2>/dev/null | grep -q '^.[^n]'; then
    skip "kiriminaja is installed on this machine ($(dpkg-query -W -f='${db:Status-Abbrev}${Version}' kiriminaja)); this check would replace and remove it: use a scratch machine"
fi
for leftover in /var/lib/kiriminaja /var/lib/private/kiriminaja /etc/kiriminaja; do
    [ ! -e "$leftover" ] || skip "$leftover exists (kiriminaja's state or settings): use a scratch machine"
done

unit_dir=/usr/lib/systemd/system
state=/var/lib/kiriminaja
key_file=/etc/kiriminaja/api_key
# Our own prefix: a sweep of /tmp/tmp.* by something else on the machine cannot take it.
work=$(mktemp -d /var/tmp/kiriminaja-check-work.XXXXXX)
credentials_root=
installed=no
listen_pid=
nspawn_pid=
nspawn_root=
cleanup() {
    if [ -n "$nspawn_pid" ]; then
        kill "$nspawn_pid" 2>/dev/null || true
        wait "$nspawn_pid" 2>/dev/null || true
    fi
    if [ -n "$nspawn_root" ]; then rm -rf "$nspawn_root"; fi
    if [ -n "$listen_pid" ]; then
        kill "$listen_pid" 2>/dev/null || true
        wait "$listen_pid" 2>/dev/null || true
    fi
    rm -rf "$work" "$state" "$key_file" ${credentials_root:+"$credentials_root"}
    if [ "$installed" = yes ]; then
        dpkg --purge kiriminaja >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# --- build ----------------------------------------------------------------------------------
say "building the package (packaging/build-deb.sh; a release build takes minutes)"
set +e
bash packaging/build-deb.sh ${build_args[@]+"${build_args[@]}"} >"$work/deb-path" 2>"$work/build.log"
built=$?
set -e
case $built in
0) ;;
3)
    tail -n 5 "$work/build.log"
    skip "cargo-deb is not installed${build_args[*]:+ (--no-install)}, or could not be installed: cargo install --locked cargo-deb"
    ;;
*)
    tail -n 30 "$work/build.log"
    fail "packaging/build-deb.sh failed (exit $built)"
    ;;
esac
deb=$(tail -n 1 "$work/deb-path")
[ -f "$deb" ] || fail "no package at '$deb'"
ok "built $deb ($(du -h "$deb" | cut -f1))"

# --- list -----------------------------------------------------------------------------------
say "dpkg-deb -c $(basename "$deb"):"
dpkg-deb -c "$deb" | tee "$work/contents" | sed 's/^/    /'
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
pages=$(find "$(dirname "$deb")/../release/man" -name '*.1.gz' | wc -l)
expected=(
    ./usr/bin/kiriminaja
    ./usr/share/man/man1/kiriminaja.1.gz
    ./usr/share/man/man1/kiriminaja-track.1.gz
    ./usr/share/man/man1/kiriminaja-listen.1.gz
    ./usr/share/bash-completion/completions/kiriminaja
    ./usr/share/zsh/vendor-completions/_kiriminaja
    ./usr/share/fish/vendor_completions.d/kiriminaja.fish
    ./usr/share/doc/kiriminaja/README.md
    ./usr/share/doc/kiriminaja/CHANGELOG.md
    ./usr/share/doc/kiriminaja/SECURITY.md
    ./usr/share/doc/kiriminaja/LICENSE-MIT
    ./usr/share/doc/kiriminaja/LICENSE-APACHE
    ./usr/share/doc/kiriminaja/copyright
    ./usr/lib/systemd/system/kiriminaja-listen.service
    ./usr/lib/systemd/system/kiriminaja-sync.service
    ./usr/lib/systemd/system/kiriminaja-sync.timer
    ./etc/kiriminaja/config.toml
)
for path in "${expected[@]}"; do
    grep -q " $path\$" "$work/contents" || fail "the package has no $path"
done
in_package=$(grep -c ' \./usr/share/man/man1/.*\.1\.gz$' "$work/contents")
[ "$in_package" = "$pages" ] || fail "$in_package man pages in the package, $pages generated"
if grep -q ' \./usr/share/man/man1/.*\.1$' "$work/contents"; then
    fail "a man page is not gzipped"
fi
ok "the package holds the binary, $pages gzipped man pages, 3 completions, 6 docs, 3 units, the config"
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
[ "$conffiles" = /etc/kiriminaja/config.toml ] || fail "conffiles: '$conffiles'"
ok "conffiles: /etc/kiriminaja/config.toml"

# --- install --------------------------------------------------------------------------------
installed=yes
dpkg -i "$deb" >"$work/dpkg-i.log" 2>&1 || {
    cat "$work/dpkg-i.log"
    # Another package manager at work (unattended-upgrades) is the machine's business.
    grep -q 'lock' "$work/dpkg-i.log" && skip "dpkg is locked by another process"
    fail "dpkg -i"
}
ok "dpkg -i: $(dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}' kiriminaja)"
for unit in kiriminaja-listen.service kiriminaja-sync.service kiriminaja-sync.timer; do
    if [ -e "/etc/systemd/system/multi-user.target.wants/$unit" ] ||
        [ -e "/etc/systemd/system/timers.target.wants/$unit" ]; then
        fail "$unit was enabled by the package"
    fi
done
ok "no unit enabled by the package"

shown=$(/usr/bin/kiriminaja --version)
[ "$shown" = "kiriminaja $version" ] || fail "/usr/bin/kiriminaja --version: '$shown'"
ok "/usr/bin/kiriminaja --version: $shown"

if ! command -v man >/dev/null; then
    say "NOTE  no man-db on this machine: man -w not checked"
elif page=$(man -w kiriminaja-track 2>&1); then
    [ "$page" = /usr/share/man/man1/kiriminaja-track.1.gz ] || fail "man -w kiriminaja-track: $page"
    MANWIDTH=80 man kiriminaja-track 2>/dev/null | grep -q 'EXIT STATUS' ||
        fail "man kiriminaja-track does not render"
    ok "man -w kiriminaja-track: $page (renders)"
elif grep -rqs 'path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/; then
    # Minimal images tell dpkg to drop every man page (the package has them: listed above).
    say "NOTE  dpkg here is told not to install man pages (/etc/dpkg/dpkg.cfg.d): man -w not checked"
else
    fail "man -w kiriminaja-track: $page"
fi

# bash: the installed script, loaded as bash-completion loads it when it is installed (else
# sourced from its path), then asked what `kiriminaja tr<TAB>` completes to.
completed=$(bash --norc --noprofile -c '
    if [ -r /usr/share/bash-completion/bash_completion ]; then
        . /usr/share/bash-completion/bash_completion
        __load_completion kiriminaja || exit 1
        echo "loader: bash-completion" >&2
    else
        . /usr/share/bash-completion/completions/kiriminaja
        echo "loader: none (bash-completion is not installed): sourced from its path" >&2
    fi
    spec=$(complete -p kiriminaja) || exit 1
    echo "$spec" >&2
    function=$(printf "%s\n" "$spec" | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
    COMP_WORDS=(kiriminaja tr)
    COMP_CWORD=1
    COMP_LINE="kiriminaja tr"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$function" kiriminaja tr kiriminaja
    printf "%s\n" "${COMPREPLY[@]}"
' 2>"$work/completion.log") || {
    cat "$work/completion.log"
    fail "bash completion did not load"
}
sed 's/^/    /' "$work/completion.log"
[ "$completed" = track ] || fail "kiriminaja tr<TAB> completes to '$completed'"
ok "bash: kiriminaja tr<TAB> -> $completed"

# --- units ----------------------------------------------------------------------------------
command -v systemd-analyze >/dev/null || say "NOTE  no systemd-analyze on this machine: units not verified"
for unit in kiriminaja-listen.service kiriminaja-sync.service kiriminaja-sync.timer; do
    command -v systemd-analyze >/dev/null || break
    # Any word from verify (an unknown key, a missing binary or man page) is a failure.
    if ! systemd-analyze verify "$unit_dir/$unit" >"$work/verify.log" 2>&1 || [ -s "$work/verify.log" ]; then
        cat "$work/verify.log"
        fail "systemd-analyze verify $unit"
    fi
    ok "systemd-analyze verify $unit: no complaint"
done
# The sync units run `kiriminaja sync` (the parcel store's pull fallback).
if /usr/bin/kiriminaja sync --help >/dev/null 2>&1; then
    ok "kiriminaja sync exists (what kiriminaja-sync.service runs)"
else
    say "NOTE  this build has no \`kiriminaja sync\`: kiriminaja-sync.service would fail (exit 2) until it does"
fi
exposure=$(command -v systemd-analyze >/dev/null && systemd-analyze security --offline=true "$unit_dir/kiriminaja-listen.service" 2>/dev/null |
    sed -n 's/.*Overall exposure level for \([^:]*\): \([0-9.]*\) \([A-Z]*\).*/\2 \3/p' || true)
say "systemd-analyze security kiriminaja-listen.service: exposure ${exposure:-unknown} (0 best, 10 worst)"

# --- listen, as its unit starts it ----------------------------------------------------------
unit_file="$unit_dir/kiriminaja-listen.service"
value() { sed -n "s/^$1=//p" "$unit_file"; }
read -r -a command <<<"$(value ExecStart)"
mapfile -t environment < <(value Environment)
umask_value=$(value UMask)
[ "$(value DynamicUser)" = yes ] || fail "the listen unit does not set DynamicUser=yes"
[ "$(value StateDirectory)" = kiriminaja ] || fail "the listen unit's StateDirectory= is not kiriminaja"
credential=$(value LoadCredential)
[ "${credential%%:*}" = api_key ] && [ "${credential#*:}" = "$key_file" ] ||
    fail "the listen unit's LoadCredential= is '$credential'"
say "ExecStart=${command[*]}"

# The operator's step (README, "Run it as a service"): the key in a root-only file.
key="kja-check-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
(umask 077 && printf '%s\n' "$key" >"$key_file")

# A user from DynamicUser='s range (61184-65519) that owns nothing on this machine.
uid=61184
while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
# StateDirectory=kiriminaja with StateDirectoryMode=0700 (without DynamicUser='s private/ link).
install -d -m 0700 -o "$uid" -g "$uid" "$state"
# LoadCredential=api_key:/etc/kiriminaja/api_key: a copy of the file, readable by the service
# only, in a directory named by $CREDENTIALS_DIRECTORY.
# (systemd: /run/credentials/UNIT/, in a folder anyone may enter.)
credentials_root=$(mktemp -d /run/kiriminaja-check.XXXXXX)
chmod 0755 "$credentials_root"
credentials="$credentials_root/kiriminaja-listen.service"
install -d -m 0500 -o "$uid" -g "$uid" "$credentials"
install -m 0400 -o "$uid" -g "$uid" "$key_file" "$credentials/api_key"

# The unit listens on 127.0.0.1:8080; if something here already does, port 0 instead.
for i in "${!command[@]}"; do
    [ "${command[$i]}" = --addr ] || continue
    if ! command -v ss >/dev/null || ss -Hltn "sport = :${command[$((i + 1))]##*:}" | grep -q .; then
        say "${command[$((i + 1))]} is in use on this machine (or no ss to tell): 127.0.0.1:0 instead"
        command[i + 1]=127.0.0.1:0
    fi
done
(
    cd /
    umask "${umask_value:-0022}"
    exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs \
        --inh-caps=-all --bounding-set=-all \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME=/ LANG=C.UTF-8 \
        USER=kiriminaja LOGNAME=kiriminaja \
        CREDENTIALS_DIRECTORY="$credentials" STATE_DIRECTORY="$state" "${environment[@]}" \
        "${command[@]}"
) >"$work/listen.out" 2>"$work/listen.err" &
listen_pid=$!
addr=
for _ in $(seq 200); do
    addr=$(sed -n 's|^kiriminaja: listening on http://\([^ ]*\).*|\1|p' "$work/listen.err")
    [ -n "$addr" ] && break
    kill -0 "$listen_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$addr" ]; then
    cat "$work/listen.err"
    fail "listen did not start as the unit starts it"
fi
ok "listen runs as uid $uid: $(head -n 1 "$work/listen.err")"
grep -qF "$key" "/proc/$listen_pid/environ" 2>/dev/null && fail "the key is in listen's environment"

push() { # bearer → HTTP status
    printf 'Authorization: Bearer %s\n' "$1" >"$work/headers"
    curl -sS --max-time 20 -o /dev/null -w '%{http_code}' -H @"$work/headers" \
        -H 'Content-Type: application/json' -H 'User-Agent: KiriminAja-Push-Services' \
        --data-binary '{"method":"finished_packages","data":[{"order_id":"OID-CHECK-1","awb":"AWB-CHECK-1","finished_at":"2025-01-11 16:00:00"}]}' \
        "http://$addr/webhooks/kiriminaja"
}
status=$(push "$key")
[ "$status" = 200 ] || fail "a verified push was answered $status"
ok "a verified push (bearer from the credential) is answered 200"
status=$(push "not-the-key")
[ "$status" = 401 ] || fail "a push with the wrong bearer was answered $status"
ok "a push with the wrong bearer is answered 401"

log="$state/events.jsonl"
[ -f "$log" ] || fail "no event log at $log"
grep -q '"OID-CHECK-1"' "$log" || fail "the event is not in $log"
[ "$(grep -c . "$log")" = 1 ] || fail "$log holds $(grep -c . "$log") records, 1 expected"
grep -qF "$key" "$log" && fail "the key is in the event log"
owner=$(stat -c '%u %a' "$log")
[ "$owner" = "$uid 600" ] || fail "$log is owned/mode '$owner', expected '$uid 600'"
ok "the event is in $log (uid $uid, mode 600, no key)"
elsewhere=$(find /etc /var /tmp /root /home /run /srv /opt /dev/shm -xdev -user "$uid" \
    ! -path "$state" ! -path "$state/*" ! -path "$credentials" ! -path "$credentials/*" \
    2>/dev/null || true)
[ -z "$elsewhere" ] || fail "listen wrote outside its state directory: $elsewhere"
ok "nothing written outside $state: $(cd "$state" && ls | tr '\n' ' ')"

started=$(date +%s)
kill -TERM "$listen_pid"
set +e
wait "$listen_pid"
code=$?
set -e
listen_pid=
took=$(($(date +%s) - started))
[ "$code" = 0 ] || fail "listen exited $code after SIGTERM"
timeout_stop=$(value TimeoutStopSec)
[ "$took" -lt "${timeout_stop%s}" ] || fail "listen took ${took}s to stop; TimeoutStopSec=$timeout_stop"
ok "SIGTERM: exit 0 in ${took}s (TimeoutStopSec=$timeout_stop)"
grep -qF "$key" "$work/listen.out" "$work/listen.err" && fail "the key was printed"
say "listen's stderr:"
sed 's/^/    /' "$work/listen.err"

# --- under systemd itself, when this machine can boot it in a container ---------------------
# systemd is not PID 1 here (containers, CI), but with systemd-nspawn (Debian: systemd-container)
# it can be booted in a container that shares this machine's /usr (where the package is) and a
# copy of its /etc (where the key is), with a network of its own. Then DynamicUser=,
# StateDirectory=, LoadCredential= and the sandbox are systemd's own, not an emulation.
if ! command -v systemd-nspawn >/dev/null; then
    say "NOTE  no systemd-nspawn here (Debian: systemd-container): the units were not started by systemd"
else
    nspawn_root=$(mktemp -d /var/tmp/kiriminaja-check.XXXXXX)
    chmod 0755 "$nspawn_root" # the container's /: mktemp made it root's only
    mkdir -p "$nspawn_root"/{usr,var/lib,dev,proc,sys,run,tmp,root}
    cp -a /etc "$nspawn_root/etc"
    rm -f "$nspawn_root/etc/os-release" "$nspawn_root/etc/machine-id"
    cp /usr/lib/os-release "$nspawn_root/etc/os-release"
    for link in bin lib lib64 sbin; do
        if [ -L "/$link" ]; then ln -s "usr/$link" "$nspawn_root/$link"; fi
    done
    # basic.target: none of this machine's own services are started in there.
    systemd-nspawn -D "$nspawn_root" --bind-ro=/usr --private-network --register=no --keep-unit \
        --console=passive --boot -- systemd.unit=basic.target >"$work/nspawn.log" 2>&1 &
    nspawn_pid=$!
    leader=
    booted=no
    for _ in $(seq 300); do
        # (nspawn's first child is a helper that forks the container's init, then goes.)
        leader=$(pgrep -P "$nspawn_pid" -x systemd | head -n 1 || true)
        if [ -n "$leader" ] && nsenter -t "$leader" -a systemctl is-system-running 2>/dev/null |
            grep -qE '^(running|degraded)$'; then
            booted=yes
            break
        fi
        kill -0 "$nspawn_pid" 2>/dev/null || break
        sleep 0.2
    done
    if [ "$booted" = no ]; then
        sed 's/^/    /' "$work/nspawn.log"
        say "NOTE  systemd could not be booted in a container here: the units were not started by systemd"
    else
        inside() { nsenter -t "$leader" -a "$@"; }
        ok "systemd $(inside systemctl --version | head -n 1 | cut -d' ' -f2) booted in a container"
        inside systemctl start kiriminaja-listen.service || {
            inside journalctl -u kiriminaja-listen --no-pager | tail -n 20
            fail "systemctl start kiriminaja-listen.service"
        }
        for _ in $(seq 100); do
            inside journalctl -u kiriminaja-listen --no-pager 2>/dev/null | grep -q 'listening on' && break
            sleep 0.1
        done
        status=$(inside curl -sS --max-time 20 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" \
            -H 'Content-Type: application/json' \
            --data-binary '{"method":"finished_packages","data":[{"order_id":"OID-CHECK-2","awb":"AWB-CHECK-2","finished_at":"2025-01-11 16:00:00"}]}' \
            http://127.0.0.1:8080/webhooks/kiriminaja || true)
        [ "$status" = 200 ] || {
            inside journalctl -u kiriminaja-listen --no-pager | tail -n 20
            fail "under systemd, a verified push was answered '$status'"
        }
        owner=$(inside stat -c '%U %a' /var/lib/private/kiriminaja/events.jsonl)
        [ "$owner" = "kiriminaja 600" ] || fail "under systemd, events.jsonl is '$owner'"
        inside grep -q '"OID-CHECK-2"' /var/lib/kiriminaja/events.jsonl || fail "under systemd, the event is not logged"
        [ "$(inside readlink /var/lib/kiriminaja)" = private/kiriminaja ] || fail "under systemd, /var/lib/kiriminaja is not DynamicUser's link"
        ok "under systemd: kiriminaja-listen.service (DynamicUser kiriminaja, key from LoadCredential=) answers a verified push 200, logs it in /var/lib/kiriminaja (mode 600)"
        main=$(inside systemctl show -p MainPID --value kiriminaja-listen.service)
        policy=
        for task in $(inside ls "/proc/$main/task"); do
            if [ "$(inside cat "/proc/$main/task/$task/comm" 2>/dev/null)" = store-feed ]; then
                policy=$(inside chrt -p "$task" 2>/dev/null | head -n 1 || true)
            fi
        done
        case "$policy" in
            *SCHED_IDLE*) ok "under systemd: the store's feeder thread runs under SCHED_IDLE (receiving comes first)" ;;
            *) fail "under systemd, the store's feeder thread runs under '${policy:-no policy: no feeder thread}'" ;;
        esac
        inside systemctl stop kiriminaja-listen.service
        result=$(inside systemctl show -p Result --value kiriminaja-listen.service)
        code=$(inside systemctl show -p ExecMainStatus --value kiriminaja-listen.service)
        [ "$result/$code" = success/0 ] || fail "under systemd, the stop ended '$result', exit $code"
        ok "under systemd: systemctl stop: result success, exit 0"
        shown=$(inside systemd-run --wait --pipe --quiet -p DynamicUser=yes -p User=kiriminaja \
            -p "LoadCredential=$credential" -p Environment=KIRIMINAJA_CONFIG=/etc/kiriminaja/config.toml \
            /usr/bin/kiriminaja config show --jq .api_key.source)
        case $shown in
        "systemd credential /run/credentials/"*/api_key) ok "under systemd: config show: the key's source is '$shown'" ;;
        *) fail "under systemd, config show says the key comes from '$shown'" ;;
        esac
        inside systemctl start kiriminaja-sync.service >/dev/null 2>&1 || true
        code=$(inside systemctl show -p ExecMainStatus --value kiriminaja-sync.service)
        if /usr/bin/kiriminaja sync --help >/dev/null 2>&1; then
            [ "$code" = 0 ] || {
                inside journalctl -u kiriminaja-sync --no-pager | tail -n 20
                fail "under systemd, kiriminaja-sync.service exited $code"
            }
            ok "under systemd: kiriminaja-sync.service ran kiriminaja sync: exit 0"
        else
            say "NOTE  under systemd: kiriminaja-sync.service started kiriminaja, which has no sync yet: exit $code"
        fi
        inside systemctl enable --now kiriminaja-sync.timer >/dev/null 2>&1 || fail "under systemd, the timer does not start"
        ok "under systemd: kiriminaja-sync.timer: next run $(inside systemctl show -p NextElapseUSecRealtime --value kiriminaja-sync.timer)"
    fi
    kill "$nspawn_pid" 2>/dev/null || true
    wait "$nspawn_pid" 2>/dev/null || true
    nspawn_pid=
    rm -rf "$nspawn_root"
    nspawn_root=
fi

# An upgrade (here the same version again: dpkg runs the same upgrade steps) keeps the events and
# the operator's edits of the conffile. (A running listen is restarted by systemd's try-restart
# in the postinst, which needs systemd as PID 1: not checked here.)
before=$(sha256sum "$log")
printf '\n# edited by the operator\n' >>/etc/kiriminaja/config.toml
dpkg -i "$deb" >"$work/dpkg-upgrade.log" 2>&1 || {
    cat "$work/dpkg-upgrade.log"
    fail "dpkg -i over the installed package"
}
[ "$(sha256sum "$log")" = "$before" ] || fail "the upgrade changed $log"
grep -q 'edited by the operator' /etc/kiriminaja/config.toml || fail "the upgrade lost the conffile's edit"
ok "upgrade (dpkg -i again): the event log is untouched, the edited conffile kept"

# The service's state is the operator's, not the package's: gone before the removal checks.
rm -rf "$state" "$key_file" "$credentials_root"

# --- remove and purge -----------------------------------------------------------------------
grep -v '/$' "$work/contents" | awk '{print $NF}' | sed 's|^\.||' >"$work/files"
dpkg -r kiriminaja >"$work/dpkg-r.log" 2>&1 || {
    cat "$work/dpkg-r.log"
    fail "dpkg -r"
}
left=$(while read -r path; do if [ -e "$path" ]; then echo "$path"; fi; done <"$work/files")
[ "$left" = /etc/kiriminaja/config.toml ] || fail "after dpkg -r, left: ${left:-nothing}"
[ -z "$(ls -A /usr/share/doc/kiriminaja 2>/dev/null)" ] || fail "after dpkg -r: /usr/share/doc/kiriminaja"
[ "$(ls -A /etc/kiriminaja)" = config.toml ] || fail "after dpkg -r, /etc/kiriminaja holds $(ls -A /etc/kiriminaja)"
# Besides the conffile, Debian's bookkeeping of removed units stays until the purge, as for every
# package whose units dh_installsystemd (here cargo-deb) handles: a mask (UNIT -> /dev/null, so
# that a unit whose files are gone is not started) and deb-systemd-helper's state files.
bookkeeping=$(find /etc/systemd /var/lib/systemd -name '*kiriminaja*' 2>/dev/null | sort)
while read -r path; do
    case $path in
    /etc/systemd/system/kiriminaja-*) [ "$(readlink "$path")" = /dev/null ] || fail "after dpkg -r: $path" ;;
    /var/lib/systemd/deb-systemd-helper-*) ;;
    "") ;;
    *) fail "after dpkg -r: $path" ;;
    esac
done <<<"$bookkeeping"
ok "dpkg -r: of the package's files only the conffile is left ($left); status $(dpkg-query -W -f='${db:Status-Abbrev}' kiriminaja)"
say "  and Debian's masks of the removed units, until the purge: $(grep -c '^/etc' <<<"$bookkeeping") masks, $(grep -c '^/var' <<<"$bookkeeping") deb-systemd-helper state files"
dpkg --purge kiriminaja >"$work/dpkg-purge.log" 2>&1 || {
    cat "$work/dpkg-purge.log"
    fail "dpkg --purge"
}
installed=no
[ ! -e /etc/kiriminaja ] || fail "after dpkg --purge: /etc/kiriminaja"
marks=$(find /etc/systemd /var/lib/systemd -name '*kiriminaja*' 2>/dev/null || true)
[ -z "$marks" ] || fail "after dpkg --purge: $marks"
if dpkg-query -W -f='${db:Status-Abbrev}' kiriminaja 2>/dev/null | grep -q '^.[^n]'; then
    fail "after dpkg --purge: $(dpkg-query -W -f='${db:Status-Abbrev}' kiriminaja)"
fi
ok "dpkg --purge: nothing of kiriminaja is left"
say "passed"
