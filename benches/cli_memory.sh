#!/usr/bin/env bash
# Peak resident memory of the CLI deleting 10,000 VMs from a file with --wait (every session
# followed at once by one poller), against the mock appliance running as a separate process (so
# only the CLI is measured). GNU time's "Maximum resident set size" is the peak RSS of the
# process. Target: under 100 MB in each run:
#   v1     one request per VM, by id
#   v8.1   one request per VM, by id
#   v8.1   by name (one listing of the 10,000 protected VMs, matched in the CLI), in batches
#   v8.1   delete-snapshots of the same VMs, by id
#   v8.1   restore-points delete of the VMs' points older than 100 days (every point of the
#          10,000 VMs, about 100,000, listed and held for the plan; about 7,500 deleted)
#   v8.1   restore-points delete of every point the plan allows (about 87,500 sessions, at
#          most --max-running of them, 10,000 by default, followed at once)
#   bash benches/cli_memory.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
limit_kb=$((100 * 1024))
target=${CARGO_TARGET_DIR:-target}

cargo build --release -q -p vbazure-cli -p vbazure-mock
work=$(mktemp -d)
mock_pid=
trap 'if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

# Starts the mock with the arguments given; sets $url and $mock_pid.
start_mock() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  : > "$work/mock.out"
  "$target/release/vbazure-mock" --listen 127.0.0.1:0 --finish-after-polls 2 "$@" \
    > "$work/mock.out" 2> "$work/mock.err" &
  mock_pid=$!
  for _ in $(seq 100); do [ -s "$work/mock.out" ] && break; sleep 0.1; done
  url=$(head -n 1 "$work/mock.out")
  [ -n "$url" ] || { echo "the mock did not start:"; cat "$work/mock.err"; exit 1; }
}

vbazure() {
  VBAZURE_URL=$url VBAZURE_USERNAME=administrator VBAZURE_PASSWORD=vbazure-mock \
    "$target/release/vbazure" "$@"
}

# One measured run: LABEL EXPECTED_LINES ARGS...
measure() {
  local label=$1 expected=$2
  shift 2
  VBAZURE_URL=$url VBAZURE_USERNAME=administrator VBAZURE_PASSWORD=vbazure-mock \
    /usr/bin/time -v "$target/release/vbazure" --output json "$@" \
    > "$work/out.jsonl" 2> "$work/time.txt" || {
      echo "$label: the CLI failed:"; tail -n 40 "$work/time.txt"; exit 1; }
  local sessions peak_kb elapsed
  sessions=$(wc -l < "$work/out.jsonl")
  peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  echo "$label: $count VMs, $sessions session(s) or point(s) written, wall clock $elapsed, peak RSS $((peak_kb / 1024)) MB ($peak_kb kB); target: under 100 MB"
  [ "$sessions" -eq "$expected" ] || { echo "$label: expected $expected sessions"; exit 1; }
  [ "$peak_kb" -lt "$limit_kb" ] || { echo "$label: over the target"; exit 1; }
}

# The sessions are followed at once: the rate bound, not --concurrency, paces the polls.
# --yes: there is no terminal to confirm on (without it the CLI refuses, exit 2).
follow=(--yes --wait --concurrency 32 --poll-interval 10ms --max-requests-per-second 2000)

start_mock --api-versions 1
seq -f "vm-%05g" 1 "$count" > "$work/ids.txt"
measure "v1, by id" "$count" delete-backups --from-file "$work/ids.txt" "${follow[@]}"

start_mock --api-versions 8.1 --generate-vms "$count"
vbazure --output json vms list --all --limit 1000 > "$work/vms.jsonl"
python3 -c '
import json, sys
vms = [json.loads(line) for line in open(sys.argv[1])]
open(sys.argv[2], "w").write("".join(vm["id"] + "\n" for vm in vms))
open(sys.argv[3], "w").write("".join(vm["name"] + "\n" for vm in vms))
' "$work/vms.jsonl" "$work/ids.txt" "$work/names.txt"
[ "$(wc -l < "$work/ids.txt")" -eq "$count" ] || { echo "the mock lists $(wc -l < "$work/ids.txt") VMs"; exit 1; }
measure "v8.1, by id" "$count" delete-backups --from-file "$work/ids.txt" "${follow[@]}"

start_mock --api-versions 8.1 --generate-vms "$count"
measure "v8.1, by name, --batch" "$(( (count + 999) / 1000 ))" \
  delete-backups --by-name --from-file "$work/names.txt" --batch "${follow[@]}"

# The same ids (the mock generates the same VMs), their snapshots.
start_mock --api-versions 8.1 --generate-vms "$count"
measure "v8.1, snapshots by id" "$count" delete-snapshots --kind vm --from-file "$work/ids.txt" "${follow[@]}"

# Restore points: the plan of a dry run is what the deletion must do, point for point; a
# second dry run afterwards must find nothing left to delete.
restore_points() {
  local label=$1
  shift
  vbazure --output json restore-points delete --kind vm --dry-run "$@" > "$work/plan.jsonl" 2> "$work/plan.err"
  measure "$label" "$(wc -l < "$work/plan.jsonl")" restore-points delete --kind vm "$@" "${follow[@]}"
  python3 -c '
import json, sys
planned = {json.loads(line)["id"] for line in open(sys.argv[1])}
ended = [json.loads(line) for line in open(sys.argv[2])]
assert all(step["event"] == "ended" for step in ended), "a point did not end as deleted"
assert {step["restorePoint"] for step in ended} == planned, "the points deleted are not the plan"
' "$work/plan.jsonl" "$work/out.jsonl"
  vbazure --output json restore-points delete --kind vm --dry-run "$@" > "$work/plan.jsonl" 2> "$work/plan.err"
  [ ! -s "$work/plan.jsonl" ] || { echo "$label: $(wc -l < "$work/plan.jsonl") point(s) still planned"; exit 1; }
}

start_mock --api-versions 8.1 --generate-vms "$count"
restore_points "v8.1, restore-points older than 100 days" --older-than 100d
start_mock --api-versions 8.1 --generate-vms "$count"
restore_points "v8.1, every restore point but the newest" --older-than 0d
