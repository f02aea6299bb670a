#!/usr/bin/env bash
# Drives a REAL mise through the toolget backend plugin (mise-plugin/) and checks what a mise
# user sees. Deterministic and offline: mise runs in a throwaway, isolated home, and the only
# network traffic is toolget's, to TOOLGET_GITHUB_API_URL (a fake GitHub on 127.0.0.1).
#
# Usage:
#   MISE_BIN=/path/to/mise TOOLGET_BIN=/path/to/toolget \
#   [TOOLGET_GITHUB_API_URL=http://127.0.0.1:PORT] [TOOLGET_HOME=DIR] \
#     tests/mise/run-scenarios.sh <version> [<other-version>]
#
# <version> must be a release of mozilla/sccache that toolget can install, whose `sccache
# --version` prints it. Optional: TOOLGET_MISSING_VERSION (default 9.9.9) names a release that
# does not exist; KEEP_TMP=1 keeps the temporary directory; TOOLGET_STUB_LOG, when set (the
# stub toolget writes its argv there), is also checked for the exact specs passed.
# Exits non-zero at the first failing scenario, printing what mise printed.
set -euo pipefail

version=${1:?usage: MISE_BIN=… TOOLGET_BIN=… $0 <version>}
: "${MISE_BIN:?set MISE_BIN to a mise binary (scripts/fetch-mise prints one)}"
: "${TOOLGET_BIN:?set TOOLGET_BIN to the toolget binary under test}"
missing=${TOOLGET_MISSING_VERSION:-9.9.9}
# A second existing release that is not installed before the options scenario.
other_version=${2:-${TOOLGET_OTHER_VERSION:-0.13.0}}
plugin_dir=$(cd "$(dirname "$0")/../../mise-plugin" && pwd)
mise_bin=$(cd "$(dirname "$MISE_BIN")" && pwd)/$(basename "$MISE_BIN")
toolget_bin=$(cd "$(dirname "$TOOLGET_BIN")" && pwd)/$(basename "$TOOLGET_BIN")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/toolget-mise.XXXXXX")
tmp=$(cd "$tmp" && pwd -P)
cleanup() {
  if [ "${KEEP_TMP:-}" = 1 ]; then
    echo "run-scenarios: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

# Isolation: no MISE_* setting of the caller leaks in, and every directory mise reads or writes
# is under $tmp. The working directory is under $tmp too, with MISE_CEILING_PATHS stopping the
# search for mise.toml files there, so no project config around the caller is picked up.
for var in $(compgen -e | grep '^MISE_' || true); do unset "$var"; done
export MISE_DATA_DIR="$tmp/data" MISE_CONFIG_DIR="$tmp/config" MISE_CACHE_DIR="$tmp/cache"
export MISE_STATE_DIR="$tmp/state" MISE_GLOBAL_CONFIG_FILE="$tmp/config/config.toml"
export MISE_USE_VERSIONS_HOST=false MISE_CEILING_PATHS="$tmp" MISE_YES=1 NO_COLOR=1
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
export XDG_CACHE_HOME="$tmp/home/.cache" XDG_STATE_HOME="$tmp/home/.local/state"
export TOOLGET_HOME="${TOOLGET_HOME:-$tmp/toolget}" TOOLGET_BIN="$toolget_bin"
mkdir -p "$HOME" "$tmp/work" "$MISE_CONFIG_DIR"
cd "$tmp/work"

passed=0
out="$tmp/last.out"
err="$tmp/last.err"

scenario() {
  current=$1
  echo "--- $current" >&2
}
ok() {
  passed=$((passed + 1))
  echo "    ok" >&2
}
fail() {
  echo "FAIL [$current]: $*" >&2
  if [ -s "$out" ]; then
    echo "  stdout of the last command:" >&2
    sed 's/^/    /' "$out" >&2
  fi
  if [ -s "$err" ]; then
    echo "  stderr of the last command:" >&2
    sed 's/^/    /' "$err" >&2
  fi
  echo "scenarios: $passed passed, 1 failed" >&2
  exit 1
}
# run CMD...: runs it, keeping stdout/stderr in $out/$err and the exit code in $rc.
run() {
  echo "    \$ $*" >&2
  set +e
  "$@" >"$out" 2>"$err"
  rc=$?
  set -e
}
must_succeed() {
  run "$@"
  [ "$rc" = 0 ] || fail "\`$*\` exited $rc, expected success"
}
must_fail() {
  run "$@"
  [ "$rc" != 0 ] || fail "\`$*\` succeeded, expected a failure"
}
stdout_has() { grep -qF -- "$1" "$out" || fail "stdout lacks \`$1\`"; }
stderr_has() { grep -qF -- "$1" "$err" || fail "stderr lacks \`$1\`"; }
stub_saw() {
  if [ -n "${TOOLGET_STUB_LOG:-}" ]; then
    grep -qxF -- "$1" "$TOOLGET_STUB_LOG" || fail "toolget was never called with the argument \`$1\`"
  fi
}
real() { readlink -f -- "$1"; }

mise=("$mise_bin")

scenario "mise runs and is isolated"
must_succeed "${mise[@]}" --version
echo "    mise $(cat "$out")" >&2
ok

scenario "mise plugins link toolget ./mise-plugin"
must_succeed "${mise[@]}" plugins link toolget "$plugin_dir"
must_succeed "${mise[@]}" plugins ls
grep -qx toolget "$out" || fail "\`mise plugins ls\` does not list toolget"
ok

scenario "mise ls-remote toolget:sccache lists versions oldest first"
must_succeed "${mise[@]}" ls-remote toolget:sccache
[ -s "$out" ] || fail "no versions listed"
grep -qx -- "$version" "$out" || fail "$version is not listed"
sort -V -C "$out" || fail "versions are not in ascending order"
[ "$(sort -u "$out" | wc -l)" = "$(wc -l <"$out")" ] || fail "a version is listed twice"
cp "$out" "$tmp/ls-remote"
newest=$(tail -n 1 "$out")
# The list must be exactly toolget's non-prerelease versions, in toolget's order. The entries
# of `versions` are flat objects, so grep can take them apart without a JSON tool.
must_succeed "$toolget_bin" versions sccache --json
grep -o '{[^{}]*}' "$out" | grep -v '"prerelease": *true' |
  sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' >"$tmp/stable"
grep -o '{[^{}]*}' "$out" | grep '"prerelease": *true' |
  sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' >"$tmp/prerelease"
diff "$tmp/stable" "$tmp/ls-remote" >&2 ||
  fail "mise ls-remote differs from toolget's stable versions (diff above: < toolget, > mise)"
echo "    toolget lists $(wc -l <"$tmp/stable") stable and $(wc -l <"$tmp/prerelease") prerelease versions" >&2
must_succeed "${mise[@]}" latest toolget:sccache
[ "$(cat "$out")" = "$newest" ] || fail "mise latest says $(cat "$out"), the newest listed is $newest"
ok

scenario "mise install toolget:sccache@$version links toolget's store into the install path"
must_succeed "${mise[@]}" install "toolget:sccache@$version"
link="$MISE_DATA_DIR/installs/toolget-sccache/$version/bin/sccache"
[ -L "$link" ] || fail "$link is not a symlink into toolget's store"
target=$(real "$link")
[ -x "$target" ] || fail "$link points at $target, which is not an executable"
case "$target" in "$tmp/data/"*) fail "$link resolves inside mise's data dir ($target), not toolget's store" ;; esac
stub_saw "sccache@$version"
ok

scenario "mise exec toolget:sccache@$version -- sccache --version"
must_succeed "${mise[@]}" exec "toolget:sccache@$version" -- sccache --version
stdout_has "$version"
ok

scenario "mise use -g; mise which and the shim run toolget's sccache"
must_succeed "${mise[@]}" use -g "toolget:sccache@$version"
grep -qF 'toolget:sccache' "$MISE_GLOBAL_CONFIG_FILE" || fail "the global config does not name toolget:sccache"
must_succeed "${mise[@]}" which sccache
mise_which=$(cat "$out")
[ "$mise_which" = "$link" ] || fail "mise which sccache is $mise_which, expected $link"
must_succeed "$toolget_bin" which sccache
toolget_which=$(cat "$out")
[ "$(real "$mise_which")" = "$(real "$toolget_which")" ] ||
  fail "mise which ($mise_which -> $(real "$mise_which")) and toolget which ($toolget_which -> $(real "$toolget_which")) disagree"
shim="$MISE_DATA_DIR/shims/sccache"
[ -e "$shim" ] || fail "no shim at $shim"
must_succeed "$shim" --version
stdout_has "$version"
ok

scenario "installing a version that does not exist fails with toolget's message"
must_fail "${mise[@]}" install "toolget:sccache@$missing"
stderr_has "toolget install sccache@$missing"
stderr_has "error:"
stderr_has "$missing"
[ ! -e "$MISE_DATA_DIR/installs/toolget-sccache/$missing" ] || fail "mise kept an install dir for $missing"
ok

scenario "options in the tool name reach toolget (exe, matching) and share the store"
opts_tool="toolget:mozilla/sccache[exe=sccache,matching=sccache-v]"
must_succeed "${mise[@]}" install "$opts_tool@$version"
stub_saw "mozilla/sccache[exe=sccache,matching=sccache-v]@$version"
must_succeed "${mise[@]}" exec "$opts_tool@$version" -- sccache --version
stdout_has "$version"
opts_link="$MISE_DATA_DIR/installs/toolget-mozilla-sccache/$version/bin/sccache"
[ "$(real "$opts_link")" = "$target" ] ||
  fail "toolget:mozilla/sccache resolves to $(real "$opts_link"), toolget:sccache to $target: not one identity"
# A selection option must reach toolget's resolver, which only runs for a version toolget has
# not installed yet (an installed exact version is one identity and a no-op whatever the
# options): use OTHER_VERSION, a release that is not installed.
must_fail "${mise[@]}" install "toolget:mozilla/sccache[matching=no-such-asset]@$other_version"
stderr_has "toolget install mozilla/sccache[matching=no-such-asset]@$other_version"
stderr_has "(exit 4)"
ok

scenario "options from mise.toml reach toolget; mise's own options (postinstall) stay with mise"
cat >"$tmp/work/mise.toml" <<TOML
[tools]
"toolget:mozilla/sccache" = { version = "$version", exe = "sccache", postinstall = "touch postinstall-ran" }
TOML
must_succeed "${mise[@]}" trust "$tmp/work/mise.toml"
must_succeed "${mise[@]}" install --force "toolget:mozilla/sccache@$version"
stub_saw "mozilla/sccache[exe=sccache]@$version"
[ -e "$tmp/work/postinstall-ran" ] || fail "mise did not run the postinstall option"
must_succeed "${mise[@]}" exec -- sccache --version
stdout_has "$version"
rm -f "$tmp/work/mise.toml"
ok

scenario "without TOOLGET_BIN and with no toolget on PATH, the error says how to install toolget"
run env -u TOOLGET_BIN PATH=/usr/bin:/bin "${mise[@]}" ls-remote toolget:some-uncached-tool
if [ -x /usr/bin/toolget ] || [ -x /bin/toolget ]; then
  echo "    skipped: a toolget is installed in /usr/bin or /bin" >&2
else
  [ "$rc" != 0 ] || fail "ls-remote succeeded without any toolget"
  stderr_has "TOOLGET_BIN"
fi
ok

echo "scenarios: $passed passed, 0 failed" >&2
