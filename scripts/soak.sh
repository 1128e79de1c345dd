#!/usr/bin/env bash
# Issue 7's full reliability suite: the same tests scripts/test.sh runs in their short version, at full
# size (WIKISYNC_SOAK=full: 20 pages / 500 hand edits / 200 syncs, 1,000 SAL entries with 5 SIGKILLs,
# 20 rounds of random faults), then one table of what was injected, found and recovered.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/common.sh
ensure_dotnet_env
scripts/install-deps.sh >&2 || exit 1

cleanup() { scripts/servers.sh down >/dev/null 2>&1 || true; }
trap cleanup EXIT
scripts/servers.sh up || exit 1
eval "$(scripts/servers.sh env)"

rm -rf artifacts/soak artifacts/captured-output
dotnet build tests/WikiSync.IntegrationTests -c Release -nologo -v quiet || exit 1
WIKISYNC_SOAK=full dotnet test tests/WikiSync.IntegrationTests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~WikiSync.IntegrationTests.Reliability" \
    --logger "console;verbosity=normal" --results-directory artifacts/test-results 2>&1 | tee artifacts/soak.log
status=${PIPESTATUS[0]}

# One figure a line from every test's artifacts/soak/*.json, summed by name.
python3 - <<'PY'
import glob, json, collections
t = collections.Counter()
for f in glob.glob("artifacts/soak/*.json"):
    t.update(json.load(open(f)))
rows = [
    ("faults injected / recovered", f"{t['faults_injected']} / {t['faults_recovered']}"),
    ("history: bot revisions / human edits / violations", f"{t['history_bot_revisions']} / {t['history_human_edits']} / {t['history_violations']}"),
    ("SAL entries sent / accepted / published / doubled / missing", f"{t['sal_sent']} / {t['sal_accepted']} / {t['sal_published']} / {t['sal_doubled']} / {t['sal_missing']}"),
    ("hostile strings tried / structure changes", f"{t['hostile_tried']} / {t['hostile_changes']}"),
    ("secrets found", f"{t['secrets_found']}"),
]
w = max(len(r[0]) for r in rows)
print()
print(f"{'figure'.ljust(w)} | value")
print(f"{'-' * w}-|------")
for name, value in rows:
    print(f"{name.ljust(w)} | {value}")
PY
exit "$status"
