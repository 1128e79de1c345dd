#!/usr/bin/env bash
# Installs what is missing, starts the real servers the tests need, builds, runs every test project,
# stops what it started, and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/common.sh

ensure_dotnet_env
scripts/install-deps.sh || { echo "test.sh: installing dependencies failed" >&2; exit 1; }

cleanup() {
    scripts/servers.sh down >/dev/null 2>&1 || true
    scripts/local-openstack.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

scripts/servers.sh up || { echo "test.sh: starting the test servers failed" >&2; exit 1; }
eval "$(scripts/servers.sh env)"
# The local OpenStack (issue 13) takes minutes to install and start: it comes up while the build and the unit
# tests run. Its settings are not exported here (the tests read its `env` themselves), so no other test sees
# WIKISYNC_OPENSTACK_* variables.
mkdir -p artifacts
scripts/local-openstack.sh up >artifacts/local-openstack-up.log 2>&1 &
openstack_up=$!

dotnet build WikiSync.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; skipped=0; status=0
results="$ROOT/artifacts/test-results"; mkdir -p "$results"

# run_tests LOG PROJECT [dotnet test args...]: runs one test project and adds its totals to the sums.
run_tests() {
    local log="$results/$1.log" project=$2; shift 2
    dotnet test "$project" -c Release --no-build -nologo \
        --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    # vstest's summary is either one line, "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12",
    # or, with the console logger at normal verbosity, "Total tests: 12" followed by "     Passed: 12" etc.
    local line f p s
    line=$(grep -E '^(Passed|Failed)!' "$log" | tail -1)
    if [ -n "$line" ]; then
        f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")
        p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")
        s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")
    elif grep -qE '^Total tests: *[0-9]+' "$log"; then
        count() { grep -E "^ +$1: *[0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
        f=$(count Failed); p=$(count Passed); s=$(count Skipped)
    else
        failed=$((failed + 1)); status=1; return
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

run_tests WikiSync.Tests tests/WikiSync.Tests
# Started or not, the integration tests run: the OpenStack ones then fail naming the script's error.
wait "$openstack_up" || echo "test.sh: the local OpenStack did not start (artifacts/local-openstack-up.log)" >&2
run_tests WikiSync.IntegrationTests tests/WikiSync.IntegrationTests
# Issue 5: the core and SAL tests pass with the PostgreSQL store too; every state folder gets a database of its own.
WIKISYNC_TEST_STORE=postgres run_tests WikiSync.IntegrationTests.postgres tests/WikiSync.IntegrationTests \
    --filter "FullyQualifiedName~WikiSync.IntegrationTests.Sync.|FullyQualifiedName~WikiSync.IntegrationTests.AdminLog."

# Issue 15: the MediaWiki extension's own tests (plain PHP: marker parity with the service, guard decisions,
# manifest, messages, php -l). Their last line is "N passed, N failed".
php tests/mediawiki/run.php 2>&1 | tee "$results/mediawiki.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
if line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$results/mediawiki.log" | tail -1); then
    passed=$((passed + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
else
    failed=$((failed + 1)); status=1
fi

# The failed tests by name, right above the totals: the part of the output a CI summary keeps.
grep -hE '^ +Failed [A-Za-z_][A-Za-z0-9_.]*' "$results"/*.log | sed -E 's/^ +Failed /failed: /' | sort -u
grep -hE '^FAIL' "$results/mediawiki.log" | sed -E 's/^/failed: /' || true
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
