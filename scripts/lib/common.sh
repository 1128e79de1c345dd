# Shared helpers for the scripts. Sourced, not run.

# Keep dotnet quiet and offline-friendly on a fresh machine.
ensure_dotnet_env() {
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# apt_install PKG...: installs the Debian packages that are not installed yet.
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}" >&2
    if [ ! -f /var/lib/apt/.wikisync-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
        apt-get update -qq && touch /var/lib/apt/.wikisync-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# wait_for_port HOST PORT SECONDS
wait_for_port() {
    local host=$1 port=$2 seconds=${3:-30} i
    for ((i = 0; i < seconds * 10; i++)); do
        (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# with_lock FOLDER COMMAND...: runs COMMAND holding FOLDER/lock, so test fixtures of parallel test
# collections that all call `up` at once start one server rather than racing each other. A server started
# under the lock must not inherit it: start it with `9>&-`.
with_lock() {
    local dir=$1; shift
    mkdir -p "$dir"
    (
        flock -w 300 9 || { echo "$(basename "$0"): another run has held $dir/lock for over 5 minutes" >&2; exit 1; }
        "$@"
    ) 9>"$dir/lock"
}
