#!/usr/bin/env bash
# up|down|env for every server the integration tests use. Each server has its own script in
# scripts/ with the same three verbs; this one only fans out.
set -euo pipefail
cd "$(dirname "$0")/.."
verb=${1:?usage: servers.sh up|down|env}
servers=(local-wiki.sh)
for s in local-irc.sh local-ldap.sh local-postgres.sh; do [ -x "scripts/$s" ] && servers+=("$s"); done
for s in "${servers[@]}"; do
    [ -x "scripts/$s" ] || continue
    case $verb in
        up) "scripts/$s" up >&2 ;;
        down) "scripts/$s" down >&2 || true ;;
        env) "scripts/$s" env ;;
        *) echo "usage: servers.sh up|down|env" >&2; exit 2 ;;
    esac
done
