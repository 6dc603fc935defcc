#!/usr/bin/env bash
# Builds the Debian package with cargo-deb, from [package.metadata.deb] in Cargo.toml, and prints
# its path on stdout (target/debian/kiriminaja_VERSION-1_ARCH.deb).
#
#   bash packaging/build-deb.sh
#
# cargo-deb is installed from crates.io when it is missing (`cargo install --locked cargo-deb`,
# a few minutes on two cores). The man pages are not committed: they are generated here from the
# binary just built, by the same code as `kiriminaja man --dir`, and gzipped. The
# completions are the committed ones (a test keeps them equal to what the binary generates).
#
# --no-install: never install cargo-deb (exit 3 when it is missing), for CI.
#
# Exit status: 0 built; 3 cargo-deb is missing and could not be installed (offline, no cargo,
# --no-install); anything else: the build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'build-deb: %s\n' "$*" >&2; }

install_cargo_deb=yes
for arg in "$@"; do
    case $arg in
    --no-install) install_cargo_deb=no ;;
    *)
        say "unknown argument $arg (usage: build-deb.sh [--no-install])"
        exit 2
        ;;
    esac
done

if ! cargo deb --version >/dev/null 2>&1; then
    if [ "$install_cargo_deb" = no ]; then
        say "cargo-deb is not installed (--no-install)"
        exit 3
    fi
    say "cargo-deb is missing: cargo install --locked cargo-deb"
    if ! cargo install --locked cargo-deb >&2; then
        say "cargo-deb could not be installed"
        exit 3
    fi
fi
say "$(cargo deb --version)"

# Where cargo puts its products (CARGO_TARGET_DIR and build.target-dir are honoured).
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
if [ -z "$target_dir" ]; then
    say "cannot find cargo's target directory"
    exit 1
fi

cargo build --release --locked >&2
man_dir="$target_dir/release/man"
rm -rf "$man_dir"
"$target_dir/release/kiriminaja" man --dir "$man_dir" >&2
# Debian's man pages are gzipped; -n: no name or time inside, so a rebuild is byte for byte equal.
gzip -9n "$man_dir"/*.1

# --no-build: the binary above is the one the pages were generated from.
deb=$(cargo deb --no-build --locked | tail -n 1)
say "built $deb"
printf '%s\n' "$deb"
