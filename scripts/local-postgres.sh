#!/usr/bin/env bash
# up|down|env for a throwaway PostgreSQL 15 cluster on 127.0.0.1 (port WIKISYNC_LOCAL_PG_PORT, default
# 15432), trust auth on loopback only, database `wikisync_test`. Runs as the `postgres` user because
# initdb refuses root. Data lives in .servers/postgres/ when the postgres user can reach that folder;
# otherwise (repo under a home or a 0700 folder) in /tmp/wikisync-pg-PORT, and `up` says so.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/common.sh

verb=${1:?usage: local-postgres.sh up|down|env}
PORT=${WIKISYNC_LOCAL_PG_PORT:-15432}
PG_VERSION=15
BIN=/usr/lib/postgresql/$PG_VERSION/bin
STATE=$ROOT/.servers/postgres
DB=wikisync_test

as_postgres() {
    # From /: the repo folder may be closed to postgres, and pg tools complain about the cwd.
    if [ "$(id -un)" = postgres ]; then (cd / && "$@"); else (cd / && runuser -u postgres -- "$@"); fi
}

# The data folder: in the repo when postgres can write there, else under /tmp. The choice is
# remembered in .servers/postgres/datadir-PORT so down/env find the same cluster.
data_dir() {
    local marker=$STATE/datadir-$PORT
    if [ -f "$marker" ]; then cat "$marker"; return; fi
    mkdir -p "$STATE"
    local candidate=$STATE/data-$PORT
    mkdir -p "$candidate"
    chown postgres: "$candidate" 2>/dev/null || true
    if as_postgres test -w "$candidate" 2>/dev/null; then
        echo "$candidate" >"$marker"
    else
        rmdir "$candidate" 2>/dev/null || true
        candidate=/tmp/wikisync-pg-$PORT
        echo "local-postgres: postgres cannot reach $STATE; keeping data in $candidate" >&2
        echo "$candidate" >"$marker"
    fi
    cat "$marker"
}

running() {
    local data=$1
    [ -f "$data/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

up() {
    [ -x "$BIN/initdb" ] || apt_install postgresql-$PG_VERSION
    local data
    data=$(data_dir)
    mkdir -p "$data"
    chown postgres: "$data"
    chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
        as_postgres "$BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        # Loopback only, trust: a throwaway test cluster, never reachable from outside.
        cat >"$data/pg_hba.conf" <<'EOF'
local all all trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128 trust
EOF
        chown postgres: "$data/pg_hba.conf"
    fi
    if ! running "$data"; then
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            echo "local-postgres: port $PORT is taken by another process; set WIKISYNC_LOCAL_PG_PORT" >&2
            exit 1
        fi
        # Sockets in the data folder: /var/run/postgresql may not exist on a machine without the service.
        as_postgres "$BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $data -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 9>&-
    fi
    wait_for_port 127.0.0.1 "$PORT" 30 || { echo "local-postgres: port $PORT did not open; see $data/server.log" >&2; exit 1; }
    if ! as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -Atqc "select 1 from pg_database where datname='$DB'" postgres | grep -q 1; then
        as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    fi
    echo "local-postgres: PostgreSQL $PG_VERSION on 127.0.0.1:$PORT, database $DB (data in $data)" >&2
}

down() {
    local marker=$STATE/datadir-$PORT data
    [ -f "$marker" ] || return 0
    data=$(cat "$marker")
    if running "$data"; then
        as_postgres "$BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    fi
}

env_lines() {
    echo "export WIKISYNC_LOCAL_PG_PORT=$PORT"
    echo "export WIKISYNC_TEST_PG=\"Host=127.0.0.1;Port=$PORT;Username=postgres;Database=$DB\""
}

case $verb in
    up) with_lock "$STATE" up ;;
    down) with_lock "$STATE" down ;;
    env) env_lines ;;
    *) echo "usage: local-postgres.sh up|down|env" >&2; exit 2 ;;
esac
