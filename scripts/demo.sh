#!/usr/bin/env bash
# The README's first command: brings up a local MediaWiki, runs `wikisync sync` with the repository's jobs/
# and templates/ and the sample inventory scripts/demo/inventory.yaml (creating the project pages from the
# skeleton), puts a hand-written paragraph on each project page (as the Editor account, once), and prints
# the URLs of the pages. A second run edits nothing: every page comes back "unchanged".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/common.sh
ensure_dotnet_env

scripts/local-wiki.sh up
eval "$(scripts/local-wiki.sh env)"
export WIKISYNC_INVENTORY=${WIKISYNC_INVENTORY:-$ROOT/scripts/demo/inventory.yaml}
export WIKISYNC_DATA=${WIKISYNC_DATA:-$ROOT/.state/demo}
export WIKISYNC_JOBS=${WIKISYNC_JOBS:-$ROOT/jobs}
export WIKISYNC_TEMPLATES=${WIKISYNC_TEMPLATES:-$ROOT/templates}

echo "demo: building" >&2
dotnet build src/WikiSync.Cli -c Release -nologo -v quiet >&2
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
exit $status
