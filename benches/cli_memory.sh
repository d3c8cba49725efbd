#!/usr/bin/env bash
# Peak resident memory of the CLI deleting 10,000 VMs from a file with --wait, against the mock
# appliance running as a separate process (so only the CLI is measured). GNU time's
# "Maximum resident set size" is the peak RSS of the process. Target: under 100 MB.
#   bash benches/cli_memory.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
limit_kb=$((100 * 1024))

cargo build --release -q -p vbazure-cli -p vbazure-mock
work=$(mktemp -d)
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

target/release/vbazure-mock --listen 127.0.0.1:0 --finish-after-polls 2 > "$work/mock.out" 2> "$work/mock.err" &
mock_pid=$!
for _ in $(seq 50); do [ -s "$work/mock.out" ] && break; sleep 0.1; done
url=$(head -n 1 "$work/mock.out")
seq -f "vm-%05g" 1 "$count" > "$work/ids.txt"

VBAZURE_URL=$url VBAZURE_USERNAME=administrator VBAZURE_PASSWORD=vbazure-mock \
  /usr/bin/time -v target/release/vbazure --output json delete-backups --from-file "$work/ids.txt" \
  --wait --concurrency 32 --poll-interval 10ms > "$work/out.jsonl" 2> "$work/time.txt" || {
    echo "the CLI failed:"; cat "$work/time.txt"; exit 1; }

sessions=$(wc -l < "$work/out.jsonl")
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
echo "VMs: $count, sessions written: $sessions, wall clock: $elapsed"
echo "peak RSS of the CLI: $((peak_kb / 1024)) MB ($peak_kb kB); target: under 100 MB"
[ "$sessions" -eq "$count" ] || { echo "expected $count sessions"; exit 1; }
[ "$peak_kb" -lt "$limit_kb" ] || { echo "over the target"; exit 1; }
