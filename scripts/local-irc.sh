#!/usr/bin/env bash
# up|down|env for a throwaway ngircd on 127.0.0.1 (port WIKISYNC_LOCAL_IRC_PORT, default 16667) with its
# own configuration and state in .servers/irc/PORT/. Penalties are off and connections per IP are not
# limited, so a burst of 100 `!log` lines from several local clients is neither throttled nor killed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/common.sh

verb=${1:?usage: local-irc.sh up|down|env}
PORT=${WIKISYNC_LOCAL_IRC_PORT:-16667}
STATE=$ROOT/.servers/irc/$PORT
PIDFILE=$STATE/ngircd.pid
CHANNELS="#wikimedia-cloud,#wikimedia-operations"

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

up() {
    command -v ngircd >/dev/null || [ -x /usr/sbin/ngircd ] || apt_install ngircd
    local ngircd
    ngircd=$(command -v ngircd || echo /usr/sbin/ngircd)
    mkdir -p "$STATE"
    if running; then
        echo "local-irc: ngircd already on 127.0.0.1:$PORT" >&2
        return 0
    fi
    cat >"$STATE/ngircd.conf" <<CONF
[Global]
    Name = irc.wikisync.test
    Info = WikiSync test IRC server
    Listen = 127.0.0.1
    Ports = $PORT
    MotdPhrase = "WikiSync test server"
[Limits]
    MaxConnections = 0
    MaxConnectionsIP = 0
    MaxJoins = 0
    MaxNickLength = 30
    MaxPenaltyTime = 0
    PingTimeout = 120
    PongTimeout = 20
[Options]
    DNS = no
    Ident = no
    PAM = no
    SyslogFacility = local7
CONF
    # -n keeps it in the foreground so that \$! is its pid; the pid file is ours, not ngircd's.
    nohup "$ngircd" -n -f "$STATE/ngircd.conf" >"$STATE/ngircd.log" 2>&1 9>&- &
    echo $! >"$PIDFILE"
    if ! wait_for_port 127.0.0.1 "$PORT" 20; then
        echo "local-irc: ngircd did not open port $PORT; see $STATE/ngircd.log" >&2
        tail -20 "$STATE/ngircd.log" >&2 || true
        exit 1
    fi
    echo "local-irc: ngircd on 127.0.0.1:$PORT (state in $STATE)" >&2
}

down() {
    if running; then
        local pid
        pid=$(cat "$PIDFILE")
        kill "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" || true
    fi
    rm -f "$PIDFILE"
}

env_lines() {
    echo "export WIKISYNC_LOCAL_IRC_PORT=$PORT"
    echo "export WIKISYNC_IRC_SERVER=127.0.0.1:$PORT"
    echo "export WIKISYNC_IRC_NICK=wikisync-bot"
    echo "export WIKISYNC_IRC_CHANNELS='$CHANNELS'"
}

case $verb in
    up) with_lock "$STATE" up ;;
    down) with_lock "$STATE" down ;;
    env) env_lines ;;
    *) echo "usage: local-irc.sh up|down|env" >&2; exit 2 ;;
esac
