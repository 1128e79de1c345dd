#!/usr/bin/env bash
# Builds the `wikisync` command to install: a framework-dependent build for this machine's architecture,
# compiled ahead of time (ReadyToRun), so a `wikisync sync` run from cron starts in about half the time of
# a plain build (issue 6: start-up is most of a refresh that changes little). Prints the command's path.
#   scripts/publish.sh [OUTPUT_FOLDER]     (default: dist/wikisync)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
ensure_dotnet_env
out=${1:-dist/wikisync}
case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) echo "publish.sh: no ReadyToRun build for $(uname -m); use 'dotnet build -c Release'" >&2; exit 2 ;;
esac
dotnet publish src/WikiSync.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out" -nologo -v quiet >&2
echo "$out/wikisync"
