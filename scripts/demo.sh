#!/usr/bin/env bash
# The README's first command: brings up a local MediaWiki, runs `wikisync sync` with the repository's jobs/
# and templates/ and the sample inventory scripts/demo/inventory.yaml (creating the project pages from the
# skeleton), puts a hand-written paragraph on each project page (as the Editor account, once), and prints
# the URLs of the pages. A second run edits nothing: every page comes back "unchanged".
#   scripts/demo.sh            the pages, then exit (the wiki stays up)
#   scripts/demo.sh --serve    the pages, then the service: the local IRC server (scripts/local-irc.sh) and
#                              `wikisync run` with its status page on WIKISYNC_HTTP_PORT (default 8090),
#                              until Ctrl-C, which stops what this run of the demo started and only that
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/common.sh
ensure_dotnet_env

serve=false
case ${1:-} in
    "") ;;
    --serve) serve=true ;;
    *) echo "usage: scripts/demo.sh [--serve]" >&2; exit 2 ;;
esac

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# What this run started, for --serve to stop on Ctrl-C (a server that was up before is left alone).
wiki_started=false irc_started=false run_pid=
stop_what_we_started() {
    if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
        kill -TERM "$run_pid" 2>/dev/null || true
        wait "$run_pid" 2>/dev/null || true
    fi
    if $irc_started; then scripts/local-irc.sh down >&2 || true; fi
    if $wiki_started; then scripts/local-wiki.sh down >&2 || true; fi
}
if $serve; then
    trap stop_what_we_started EXIT
    trap 'exit 130' INT TERM
    scripts/local-wiki.sh status >/dev/null 2>&1 || wiki_started=true
fi

scripts/local-wiki.sh up
eval "$(scripts/local-wiki.sh env)"
export WIKISYNC_INVENTORY=${WIKISYNC_INVENTORY:-$ROOT/scripts/demo/inventory.yaml}
export WIKISYNC_DATA=${WIKISYNC_DATA:-$ROOT/.state/demo}
export WIKISYNC_JOBS=${WIKISYNC_JOBS:-$ROOT/jobs}
export WIKISYNC_TEMPLATES=${WIKISYNC_TEMPLATES:-$ROOT/templates}

echo "demo: building" >&2
# No build servers: nothing of the demo's outlives it.
dotnet build src/WikiSync.Cli -c Release -nologo -v quiet --disable-build-servers >&2
wikisync=$ROOT/src/WikiSync.Cli/bin/Release/net10.0/wikisync

status=0
# First, a few Server Admin Log entries, once, so the project pages show the log under its day heading (before the
# sync, so the project index, a 10-minute job that `log` does not publish, lists them at once).
if [ ! -f "$WIKISYNC_DATA/demo-sal-logged" ]; then
    "$wikisync" log bots "restarted the web frontends after the kernel upgrade" --author alice >&2 || status=$?
    "$wikisync" log bots "deployed bots-web-2 with the new puppet role, see T12345" --author bob >&2 || status=$?
    "$wikisync" log maps "rebuilt the tile cache" --author carol >&2 || status=$?
    touch "$WIKISYNC_DATA/demo-sal-logged"
fi

"$wikisync" sync || status=$?

# A person's part of each project page, written once; WikiSync keeps it byte for byte from then on.
projects=$(sed -n 's/^  - name: *//p' "$WIKISYNC_INVENTORY")
for project in $projects; do
    php scripts/demo/hand-edit.php "$WIKISYNC_WIKI_API" "$WIKISYNC_TEST_EDITOR_USER" "$WIKISYNC_TEST_EDITOR_PASSWORD" \
        "Nova Resource:$project" \
        "'''Hand-written:''' the $project team wrote this paragraph by hand. WikiSync never touches it; it only refreshes the sections between its markers." >&2
done

echo
echo "Pages on the local wiki:"
base=${WIKISYNC_LOCAL_WIKI_URL:-${WIKISYNC_WIKI_API%api.php}index.php?title=}
for project in $projects; do
    echo "  ${base}Nova_Resource:$project"
done
echo "  ${base}Nova_Resource:Projects"
$serve || exit $status

# --serve: the service an operator leaves running, with the IRC server the bot joins.
eval "$(scripts/local-irc.sh env)"
answers "$WIKISYNC_LOCAL_IRC_PORT" || irc_started=true
scripts/local-irc.sh up
export WIKISYNC_HTTP_PORT=${WIKISYNC_HTTP_PORT:-8090}
if answers "$WIKISYNC_HTTP_PORT"; then
    echo "demo: port $WIKISYNC_HTTP_PORT is taken; choose another with WIKISYNC_HTTP_PORT" >&2
    exit 2
fi
"$wikisync" run </dev/null >&2 &
run_pid=$!
for ((i = 0; i < 600; i++)); do
    answers "$WIKISYNC_HTTP_PORT" || ! kill -0 "$run_pid" 2>/dev/null && break
    sleep 0.1
done
if ! answers "$WIKISYNC_HTTP_PORT"; then
    echo "demo: wikisync run did not open port $WIKISYNC_HTTP_PORT (its log is above)" >&2
    code=1
    if ! kill -0 "$run_pid" 2>/dev/null; then wait "$run_pid" || code=$?; run_pid=; fi
    exit $code
fi
channel=${WIKISYNC_IRC_CHANNELS%%,*}
first=${projects%%$'\n'*}
echo
echo "The service is running (wikisync run); Ctrl-C stops it and the servers this demo started."
echo "  Status page: http://127.0.0.1:$WIKISYNC_HTTP_PORT/"
echo "  IRC server:  $WIKISYNC_IRC_SERVER (no TLS, no password): join $channel with any IRC client; the bot is $WIKISYNC_IRC_NICK"
echo "  Then type:   !log $first restarted the web frontends"
echo "  The entry appears on ${base}Nova_Resource:$first/SAL and on the project page."

# Ctrl-C interrupts the wait; the host finishes the page in hand, then the servers this run started stop.
trap 'kill -TERM "$run_pid" 2>/dev/null || true' INT TERM
code=0
while kill -0 "$run_pid" 2>/dev/null; do
    code=0
    wait "$run_pid" || code=$?
done
run_pid=
exit $code
