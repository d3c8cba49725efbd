# The mock appliance for the CI scripts that test it with outside tools (.ci/run,
# .ci/vendor-contract): sourced, not run. Each script may run several mocks, one at a time.
#
#   start_mock BINARY [MOCK ARGUMENTS...]   sets mock_pid, mock_url, mock_dir
#   mock_token                              prints a fresh access token of the running mock
#   stop_mock                               stops it; fails if it recorded answers that broke
#                                           its own document

mock_pid=
mock_url=
mock_dir=

start_mock() {
  local binary=$1
  shift
  mock_dir=$(mktemp -d)
  # Port 0 lets the system pick a free port; the base URL is the first line the mock prints.
  "$binary" --listen 127.0.0.1:0 "$@" >"$mock_dir/stdout" 2>"$mock_dir/stderr" &
  mock_pid=$!
  for _ in $(seq 100); do
    if [ -s "$mock_dir/stdout" ] || ! kill -0 "$mock_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  mock_url=$(head -n 1 "$mock_dir/stdout")
  if [ -z "$mock_url" ]; then
    echo "the mock did not start:"
    cat "$mock_dir/stderr"
    return 1
  fi
}

mock_token() {
  python3 - "$mock_url" <<'PY'
import json, sys, urllib.parse, urllib.request
form = urllib.parse.urlencode(
    {"grant_type": "Password", "Username": "administrator", "Password": "vbazure-mock"}
).encode()
with urllib.request.urlopen(sys.argv[1] + "/api/oauth2/token", data=form, timeout=10) as answer:
    print(json.load(answer)["access_token"])
PY
}

stop_mock() {
  [ -n "$mock_pid" ] || return 0
  # The mock exits 1 on SIGTERM if any of its answers broke its document (it sent a 500
  # instead).
  # (A mock that has already died is reported below with its status.)
  kill -TERM "$mock_pid" 2>/dev/null || true
  local status=0
  wait "$mock_pid" || status=$?
  mock_pid=
  if [ "$status" -ne 0 ]; then
    echo "the mock recorded answers that broke its document:"
    grep "broke the spec" "$mock_dir/stderr" || cat "$mock_dir/stderr"
    rm -rf "$mock_dir"
    return 1
  fi
  rm -rf "$mock_dir"
}

# A mock left running by a failed step is stopped on exit, and its files removed.
trap 'if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi; if [ -n "$mock_dir" ]; then rm -rf "$mock_dir"; fi' EXIT
