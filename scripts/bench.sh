#!/usr/bin/env bash
# Runs issue 6's benchmarks against a fresh local wiki and writes tests/WikiSync.Benchmarks/RESULTS.md.
# Not part of scripts/test.sh (an integration test runs the harness with tiny sizes).
#   scripts/bench.sh                 everything, full sizes (about 30-60 minutes on 2 cores)
#   scripts/bench.sh --smoke         tiny sizes, to check the harness
#   scripts/bench.sh --only refresh --pages 200 --runs 3   (scenarios: micro refresh changed scale sal sal-history cloud)
#   scripts/bench.sh --only cloud    (issue 13: boot -> page over the local OpenStack, and a full pass of 100 servers)
#   scripts/bench.sh --only sal-history --history 100,100000,1000000 --runs 3   (issue 14: SAL cost against history)
#   WIKISYNC_BENCH_EXECUTABLE=/path/wikisync scripts/bench.sh ...   (measure that build instead of this tree's)
# Ports: WIKISYNC_LOCAL_WIKI_PORT (default 8095 here, so a test wiki on 8089 is left alone),
# WIKISYNC_LOCAL_IRC_PORT, WIKISYNC_BENCH_PROXY_PORT (default: any free port).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
ensure_dotnet_env
export WIKISYNC_LOCAL_WIKI_PORT=${WIKISYNC_LOCAL_WIKI_PORT:-8095}

scripts/install-deps.sh
command -v node >/dev/null || apt_install nodejs npm

started=()
# The cloud scenario brings the local OpenStack up itself; a cloud that was running before is left running.
openstack_was_up=0
if (exec 3<>/dev/tcp/127.0.0.1/35357) 2>/dev/null; then openstack_was_up=1; fi
cleanup() {
    for s in "${started[@]}"; do scripts/$s down >/dev/null 2>&1 || true; done
    [ "$openstack_was_up" = 1 ] || scripts/local-openstack.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

# A fresh wiki: whatever an earlier run (or the tests, which share .local-wiki) left is thrown away.
scripts/local-wiki.sh reset >&2
started+=(local-wiki.sh)
eval "$(scripts/local-wiki.sh env)"
if [ -x scripts/local-irc.sh ]; then
    scripts/local-irc.sh up >&2 && started+=(local-irc.sh) && eval "$(scripts/local-irc.sh env)"
fi

(cd tests/WikiSync.Benchmarks/mwn && npm ci --no-audit --no-fund --silent)

dotnet build src/WikiSync.Cli -c Release -nologo -v quiet
dotnet build tests/WikiSync.Benchmarks -c Release -nologo -v quiet
# WikiSync is measured as installed: the ReadyToRun build of scripts/publish.sh, or the build
# WIKISYNC_BENCH_EXECUTABLE names (another commit's publish.sh output, to set before and after side by side).
WIKISYNC_TEST_EXECUTABLE=${WIKISYNC_BENCH_EXECUTABLE:-$(scripts/publish.sh "$PWD/.servers/bench-wikisync")}
export WIKISYNC_TEST_EXECUTABLE
# The compiler servers the builds leave behind would share the two cores with the measurements.
dotnet build-server shutdown >/dev/null 2>&1 || true
dotnet tests/WikiSync.Benchmarks/bin/Release/net10.0/WikiSync.Benchmarks.dll "$@"
