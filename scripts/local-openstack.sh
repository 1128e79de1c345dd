#!/usr/bin/env bash
# A real OpenStack (Zed, Debian 12 packages) on 127.0.0.1 for the OpenStack source's integration tests.
#
#   scripts/local-openstack.sh up      install the packages if missing; first run: configure, create the
#                                      databases, seed the cloud (~100 s); later runs start the daemons (~30 s)
#   scripts/local-openstack.sh down    stop exactly the processes `up` started (pid + start time recorded)
#   scripts/local-openstack.sh env     print the WIKISYNC_OPENSTACK_* lines of a read-only account, and the
#                                      WIKISYNC_TEST_OPENSTACK_* lines the tests use to boot servers
#
# Keystone 22 under uwsgi, Nova 26 (api, conductor, scheduler, compute with compute_driver = fake.FakeDriver),
# Placement under uwsgi, Glance (file store), Neutron server API only (ml2 with a loopback mechanism driver
# that binds every port, no agents: Nova's boot, server views and delete call Neutron), RabbitMQ and a private
# PostgreSQL 15 cluster (Keystone on SQLite fails under concurrent writes). No systemd, nothing of the
# system's own services is used or started. Every daemon runs under `nice -n 19`.
#
# Fixed ports, 127.0.0.1 only: keystone 35357, nova 8774, placement 8778, glance 9292, neutron 9696,
# amqp 5672, rabbit distribution 25672, epmd 4369, postgres 25432. Needs root (the services run as root,
# PostgreSQL as the postgres user). State lives in .servers/openstack/ when the postgres user can reach
# that folder, else in /tmp/wikisync-openstack; `up` says which.
#
# Seed (first run): projects bots and tools (with descriptions), archive (disabled) and service; users
# admin (admin on admin), alice (member of bots), bob (member of tools), wikisync (reader on bots and tools,
# with an application credential on bots; reader on domain default, checked on every start), carol in group bots-admins (admin on bots); flavors m1.tiny,
# m1.small, m1.medium; a public 1 MiB raw image debian-12-tiny; a shared flat network shared-net.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/common.sh

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin   # Debian's python, not a pyenv shim
MARK=$ROOT/.servers/openstack
N="nice -n 19"
KS=http://127.0.0.1:35357/v3
PGPORT=25432
PGBIN=/usr/lib/postgresql/15/bin
PORTS="35357 8774 8778 9292 9696 5672 25672 $PGPORT"
PACKAGES=(keystone nova-api nova-conductor nova-scheduler placement-api glance-api neutron-common
    rabbitmq-server python3-psycopg2 uwsgi-plugin-python3 python3-openstackclient postgresql-15)

say() { echo "local-openstack: $*" >&2; }
die() { say "$*"; exit 1; }

# The state folder: the repo's .servers/openstack when postgres can write below it, else /tmp. The choice
# is remembered in .servers/openstack/statedir so down and env find the same cloud.
state_dir() {
    local marker=$MARK/statedir
    if [ ! -f "$marker" ]; then
        mkdir -p "$MARK/state/pg"
        chown postgres: "$MARK/state/pg" 2>/dev/null || true
        if runuser -u postgres -- test -w "$MARK/state/pg" 2>/dev/null; then
            echo "$MARK/state" >"$marker"
        else
            rm -rf "$MARK/state"
            say "postgres cannot reach $MARK; keeping the cloud in /tmp/wikisync-openstack"
            echo /tmp/wikisync-openstack >"$marker"
        fi
    fi
    cat "$marker"
}

B=$(state_dir)
PIDS=$B/pids.txt

# --- pid tracking: "name pid start-time"; a pid only counts when its start time is still the recorded one,
# so a pid the kernel has handed to another process since is never signalled.
start_time() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }
rec() { local t; t=$(start_time "$2") || die "$1 (pid $2) exited at once; see the logs in $B"; echo "$1 $2 $t" >>"$PIDS"; }
alive() { [ "$(start_time "$1" 2>/dev/null)" = "$2" ]; }
descendants() { local p=$1 c; echo "$p"; for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do descendants "$c"; done; }

wait_http() {   # URL SECONDS
    local i
    for ((i = 0; i < ${2:-120} * 2; i++)); do curl -s -o /dev/null -m 2 "$1" && return 0; sleep 0.5; done
    die "$1 did not answer within ${2:-120} s; see the logs in $B"
}

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    # Without a policy-rc.d that refuses, the postinst scripts would start keystone, nova, rabbitmq and
    # postgres as system services; every debconf question of these packages defaults to "no".
    local temporary=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && temporary=1
    fi
    local t0=$SECONDS
    $N env DEBIAN_FRONTEND=noninteractive bash -c "source scripts/lib/common.sh && apt_install ${missing[*]}" || {
        [ $temporary = 1 ] && rm -f /usr/sbin/policy-rc.d; die "installing ${missing[*]} failed"; }
    [ $temporary = 1 ] && rm -f /usr/sbin/policy-rc.d
    say "installed ${#missing[@]} packages in $((SECONDS - t0)) s"
}

secret() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

ksa() {   # the [keystone_authtoken]-style block of service user $1
    printf 'auth_url = %s\nauth_type = password\nproject_domain_name = Default\nuser_domain_name = Default\nproject_name = service\nusername = %s\npassword = %s\n' \
        "$KS" "$1" "$SERVICE_PW"
}

write_configs() {
    mkdir -p "$B"/{keystone/{fernet-keys,credential-keys,log},placement,glance/{images,log},nova/{log,state,instances,lock},neutron/{log,state,lock,py},rabbitmq/{mnesia,log,home},bin}
    chmod 700 "$B/keystone/fernet-keys" "$B/keystone/credential-keys"
    if [ ! -s "$B/secrets" ]; then
        (umask 077 && cat >"$B/secrets" <<EOF
ADMIN_PW=$(secret)
SERVICE_PW=$(secret)
READER_PW=$(secret)
USER_PW=$(secret)
APPCRED_SECRET=$(secret)
EOF
        )
    fi
    # shellcheck disable=SC1091
    source "$B/secrets"
    local pg="postgresql://postgres@127.0.0.1:$PGPORT"
    cat >"$B/keystone/keystone.conf" <<EOF
[DEFAULT]
log_dir = $B/keystone/log
log_file = keystone.log
[database]
connection = $pg/keystone
[token]
provider = fernet
[fernet_tokens]
key_repository = $B/keystone/fernet-keys
[fernet_receipts]
key_repository = $B/keystone/fernet-keys
[credential]
key_repository = $B/keystone/credential-keys
[oslo_messaging_notifications]
driver = messagingv2
transport_url = rabbit://guest:guest@127.0.0.1:5672/
EOF
    # uwsgi: one thread per process; "Connection: close" because uwsgi's http-socket has no keep-alive
    # and clients that reuse a socket get "connection reset" on a POST otherwise.
    uwsgi_ini() {   # NAME PORT WSGI PROCESSES ENV...
        local name=$1 port=$2 wsgi=$3 processes=$4; shift 4
        {
            printf '[uwsgi]\nplugins = python3\nhttp-socket = 127.0.0.1:%s\nwsgi-file = %s\nmaster = true\n' "$port" "$wsgi"
            printf 'processes = %s\nthreads = 1\nlazy-apps = true\ndie-on-term = true\nbuffer-size = 65535\n' "$processes"
            printf 'add-header = Connection: close\npidfile = %s/%s/uwsgi.pid\nlogto = %s/%s/uwsgi.log\n' "$B" "$name" "$B" "$name"
            local e; for e in "$@"; do printf 'env = %s\n' "$e"; done
        } >"$B/$name/uwsgi.ini"
    }
    uwsgi_ini keystone 35357 /usr/bin/keystone-wsgi-public 2 \
        "OS_KEYSTONE_CONFIG_DIR=$B/keystone" "OS_KEYSTONE_CONFIG_FILES=$B/keystone/keystone.conf"
    uwsgi_ini placement 8778 /usr/bin/placement-api 1 "OS_PLACEMENT_CONFIG_DIR=$B/placement"
    cat >"$B/placement/placement.conf" <<EOF
[DEFAULT]
log_dir = $B/placement
log_file = placement.log
[placement_database]
connection = $pg/placement
[api]
auth_strategy = keystone
[keystone_authtoken]
www_authenticate_uri = $KS
$(ksa placement)
EOF
    cat >"$B/glance/glance-api.conf" <<EOF
[DEFAULT]
log_dir = $B/glance/log
log_file = glance-api.log
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
enabled_backends = file:file
[glance_store]
default_backend = file
[file]
filesystem_store_datadir = $B/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $B/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $B/glance/tasks
[database]
connection = $pg/glance
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[keystone_authtoken]
www_authenticate_uri = $KS
$(ksa glance)
EOF
    # nova.conf is shared by every nova service; nova-db.conf (the database URLs) goes to all but
    # nova-compute, which must not have database access.
    cat >"$B/nova/nova.conf" <<EOF
[DEFAULT]
transport_url = rabbit://guest:guest@127.0.0.1:5672/
compute_driver = fake.FakeDriver
host = wikisync-compute
my_ip = 127.0.0.1
state_path = $B/nova/state
instances_path = $B/nova/instances
log_dir = $B/nova/log
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = 8774
osapi_compute_workers = 1
heal_instance_info_cache_interval = -1
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 5
[keystone_authtoken]
www_authenticate_uri = $KS
$(ksa nova)
[placement]
region_name = RegionOne
$(ksa placement)
[glance]
region_name = RegionOne
[neutron]
region_name = RegionOne
$(ksa neutron)
[notifications]
notification_format = versioned
[oslo_messaging_notifications]
driver = messagingv2
[oslo_concurrency]
lock_path = $B/nova/lock
[vnc]
enabled = false
EOF
    cat >"$B/nova/nova-db.conf" <<EOF
[api_database]
connection = $pg/nova_api
[database]
connection = $pg/nova
EOF
    cat >"$B/neutron/neutron.conf" <<EOF
[DEFAULT]
core_plugin = ml2
service_plugins =
auth_strategy = keystone
bind_host = 127.0.0.1
bind_port = 9696
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 0
transport_url = rabbit://guest:guest@127.0.0.1:5672/
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
state_path = $B/neutron/state
log_dir = $B/neutron/log
log_file = neutron-server.log
api_paste_config = /etc/neutron/api-paste.ini
[database]
connection = $pg/neutron
[keystone_authtoken]
www_authenticate_uri = $KS
$(ksa neutron)
[oslo_concurrency]
lock_path = $B/neutron/lock
EOF
    cat >"$B/neutron/ml2_conf.ini" <<'EOF'
[ml2]
type_drivers = flat
tenant_network_types =
mechanism_drivers = wikisync_loopback
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
EOF
    # Without agents no stock mechanism driver binds a port, and Nova puts a server whose port failed to
    # bind in ERROR. This one binds every port at once; the fake virt driver plugs nothing anyway.
    cat >"$B/neutron/py/wikisync_loopback_mech.py" <<'EOF'
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class LoopbackMechanismDriver(api.MechanismDriver):
    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OTHER, {},
                                status=constants.PORT_STATUS_ACTIVE)
            return
EOF
    mkdir -p "$B/neutron/py/wikisync_loopback_mech-1.0.dist-info"
    printf 'Metadata-Version: 2.1\nName: wikisync-loopback-mech\nVersion: 1.0\n' \
        >"$B/neutron/py/wikisync_loopback_mech-1.0.dist-info/METADATA"
    printf '[neutron.ml2.mechanism_drivers]\nwikisync_loopback = wikisync_loopback_mech:LoopbackMechanismDriver\n' \
        >"$B/neutron/py/wikisync_loopback_mech-1.0.dist-info/entry_points.txt"
    # Launchers for the two services whose Debian packages would start system services on install.
    printf '#!/usr/bin/python3\nimport sys\nfrom nova.cmd.compute import main\nsys.exit(main())\n' >"$B/bin/nova-compute"
    cat >"$B/bin/neutron-server" <<EOF
#!/usr/bin/python3
import sys
sys.path.insert(0, "$B/neutron/py")
from neutron.cmd.eventlet.server import main      # monkey-patches eventlet first
# Zed's port listing touches a backref that exists only once every model is imported and the mappers
# are configured: GET /v2.0/ports answers 500 otherwise.
from neutron.db.migration.models import head      # noqa: F401
import sqlalchemy.orm
sqlalchemy.orm.configure_mappers()
sys.exit(main())
EOF
    chmod +x "$B"/bin/*
    cat >"$B/rabbitmq/env.sh" <<EOF
export HOME=$B/rabbitmq/home RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_CONFIG_FILE=$B/rabbitmq/rabbitmq.conf RABBITMQ_MNESIA_BASE=$B/rabbitmq/mnesia RABBITMQ_LOG_BASE=$B/rabbitmq/log
export RABBITMQ_ENABLED_PLUGINS_FILE=$B/rabbitmq/enabled_plugins RABBITMQ_PID_FILE=$B/rabbitmq/rabbit.pid
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +S 2:2 +A 8"
EOF
    printf 'listeners.tcp.default = 127.0.0.1:5672\nvm_memory_high_watermark.absolute = 512MiB\ndisk_free_limit.absolute = 200MiB\n' \
        >"$B/rabbitmq/rabbitmq.conf"
    echo '[].' >"$B/rabbitmq/enabled_plugins"
}

admin_env() {
    # shellcheck disable=SC1091
    source "$B/secrets"
    export OS_AUTH_URL=$KS OS_IDENTITY_API_VERSION=3 OS_REGION_NAME=RegionOne OS_INTERFACE=public
    export OS_USERNAME=admin OS_PASSWORD=$ADMIN_PW OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
}

# openstack LOG < commands: one client process for many commands (each start costs seconds here).
os_batch() {
    local log=$1
    $N openstack >"$log" 2>&1 || die "openstack commands failed; see $log"
    ! grep -iE '(^|: )(error|unable)|exception|conflict' "$log" >/dev/null || die "openstack commands failed; see $log"
}

running() {   # the last `up` finished and every process it recorded is still alive
    [ -s "$PIDS" ] && [ -e "$B/.up" ] || return 1
    local name pid t
    while read -r name pid t; do alive "$pid" "$t" || return 1; done <"$PIDS"
}

up() {
    local t0=$SECONDS
    if running; then say "already running (state in $B)"; return 0; fi
    [ -s "$PIDS" ] && { say "some processes of the last start are gone; stopping the rest first"; down; }
    install_packages
    local port
    for port in $PORTS; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is taken by a process this script did not start"; fi
    done
    local init=1
    [ -e "$B/.initialized" ] && init=0
    if [ $init = 1 ]; then
        # A half-done first start is begun again from scratch: the databases and seed are all or nothing.
        rm -rf "$B/pg" "$B/keystone" "$B/glance" "$B/nova" "$B/neutron" "$B/rabbitmq" "$B/placement"
    fi
    # Every start writes the configuration again (the secrets are kept), so a changed setting reaches a
    # cloud made by an older version of this script.
    write_configs
    admin_env
    : >"$PIDS"
    # A start that fails half-way stops what it had started rather than leaving a cloud that looks up.
    trap 'say "up failed; stopping what it started"; down' EXIT
    local nv="--config-file $B/nova/nova.conf --config-file $B/nova/nova-db.conf"

    if [ $init = 1 ]; then
        mkdir -p "$B/pg" && chown postgres: "$B/pg" && chmod 700 "$B/pg"
        (cd / && runuser -u postgres -- "$PGBIN/initdb" -D "$B/pg/data" -U postgres -A trust --no-sync >"$B/pg/initdb.log")
    fi
    (cd / && runuser -u postgres -- $N "$PGBIN/pg_ctl" -D "$B/pg/data" -l "$B/pg/pg.log" -w -t 120 start \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $B/pg/data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB -c max_connections=150" \
        >/dev/null 9>&-)
    rec postgres "$(head -1 "$B/pg/data/postmaster.pid")"
    if [ $init = 1 ]; then
        local db
        for db in keystone nova_api nova nova_cell0 placement glance neutron; do
            (cd / && runuser -u postgres -- psql -h 127.0.0.1 -p $PGPORT -U postgres -qc "create database $db")
        done
    fi

    # Our own epmd in the foreground, so its pid is known; one that already runs is someone else's and
    # serves us as well.
    if ! (exec 3<>/dev/tcp/127.0.0.1/4369) 2>/dev/null; then
        (cd / && exec $N /usr/bin/epmd -address 127.0.0.1 >/dev/null 2>&1 </dev/null 9>&-) &
        rec epmd $!
        wait_for_port 127.0.0.1 4369 30 || die "epmd did not open 4369"
    fi
    ( source "$B/rabbitmq/env.sh"; cd "$B"; exec $N /usr/lib/rabbitmq/bin/rabbitmq-server >"$B/rabbitmq/log/stdout.log" 2>&1 </dev/null 9>&- ) &
    rec rabbitmq $!

    local k="--config-file $B/keystone/keystone.conf" sync=
    if [ $init = 1 ]; then
        say "first start: creating the databases and seeding the cloud"
        ( $N placement-manage --config-file "$B/placement/placement.conf" db sync
          $N glance-manage --config-file "$B/glance/glance-api.conf" db_sync
          $N nova-manage $nv api_db sync
          $N nova-manage $nv cell_v2 map_cell0 --database_connection "postgresql://postgres@127.0.0.1:$PGPORT/nova_cell0"
          $N nova-manage $nv cell_v2 create_cell --name cell1
          $N nova-manage $nv db sync
          $N neutron-db-manage --config-file "$B/neutron/neutron.conf" --config-file "$B/neutron/ml2_conf.ini" upgrade heads
        ) >"$B/dbsync.log" 2>&1 </dev/null 9>&- &
        sync=$!
        { $N keystone-manage $k db_sync
          $N keystone-manage $k fernet_setup --keystone-user root --keystone-group root
          $N keystone-manage $k credential_setup --keystone-user root --keystone-group root
          $N keystone-manage $k bootstrap --bootstrap-password "$ADMIN_PW" --bootstrap-region-id RegionOne \
              --bootstrap-admin-url $KS --bootstrap-internal-url $KS --bootstrap-public-url $KS
        } >"$B/keystone/log/manage.log" 2>&1 </dev/null || die "keystone-manage failed; see $B/keystone/log/manage.log"
    fi
    (cd "$B" && exec $N uwsgi --ini "$B/keystone/uwsgi.ini" >/dev/null 2>&1 </dev/null 9>&-) &
    wait_http $KS 120
    rec keystone "$(cat "$B/keystone/uwsgi.pid")"

    if [ $init = 1 ]; then
        seed_identity
        wait $sync || die "a database sync failed; see $B/dbsync.log"
    fi
    seed_domain_reader
    wait_for_port 127.0.0.1 5672 60 || die "RabbitMQ did not open 5672; see $B/rabbitmq/log"
    # Nova and Keystone declare the queues their notifications go to (versioned_notifications.info,
    # notifications.info) and nothing here reads them: capped, so a long test run does not fill RabbitMQ.
    ( source "$B/rabbitmq/env.sh"; $N /usr/lib/rabbitmq/bin/rabbitmqctl -q set_policy --apply-to queues unread-notifications \
        '^(versioned_)?notifications\.[a-z]+$' '{"max-length":1000}' ) >>"$B/rabbitmq/log/policy.log" 2>&1 \
        || die "rabbitmqctl could not cap the notification queues; see $B/rabbitmq/log/policy.log"

    (cd "$B" && exec $N uwsgi --ini "$B/placement/uwsgi.ini" >/dev/null 2>&1 </dev/null 9>&-) &
    (cd "$B" && exec $N glance-api --config-file "$B/glance/glance-api.conf" >"$B/glance/log/stdout.log" 2>&1 </dev/null 9>&-) &
    rec glance-api $!
    (cd "$B" && exec $N "$B/bin/neutron-server" --config-file "$B/neutron/neutron.conf" --config-file "$B/neutron/ml2_conf.ini" \
        >"$B/neutron/log/stdout.log" 2>&1 </dev/null 9>&-) &
    rec neutron-server $!
    wait_http http://127.0.0.1:8778/ 240   # nova-compute must find placement when it starts
    rec placement "$(cat "$B/placement/uwsgi.pid")"
    (cd "$B" && exec $N nova-conductor $nv >"$B/nova/log/conductor.stdout" 2>&1 </dev/null 9>&-) &
    rec nova-conductor $!
    (cd "$B" && exec $N nova-scheduler $nv >"$B/nova/log/scheduler.stdout" 2>&1 </dev/null 9>&-) &
    rec nova-scheduler $!
    (cd "$B" && exec $N "$B/bin/nova-compute" --config-file "$B/nova/nova.conf" >"$B/nova/log/compute.stdout" 2>&1 </dev/null 9>&-) &
    rec nova-compute $!
    (cd "$B" && exec $N nova-api $nv >"$B/nova/log/api.stdout" 2>&1 </dev/null 9>&-) &
    rec nova-api $!
    local u
    for u in http://127.0.0.1:9292/versions http://127.0.0.1:9696/ http://127.0.0.1:8774/; do wait_http $u 240; done

    if [ $init = 1 ]; then
        seed_compute
        touch "$B/.initialized"
    fi
    wait_compute $init
    seed_quota
    trap - EXIT
    touch "$B/.up"
    say "OpenStack up in $((SECONDS - t0)) s (state in $B)"
}

# An admin token by curl: a client process costs seconds of CPU here.
admin_token() {
    curl -s -D - -o /dev/null -X POST $KS/auth/tokens -H 'Content-Type: application/json' -d "$(printf \
        '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"id":"default"},"password":"%s"}}},"scope":{"project":{"name":"admin","domain":{"id":"default"}}}}}' "$ADMIN_PW")" \
        | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r'
}

seed_identity() {
    # Names with spaces go through the API: the client's batch mode splits quoted arguments.
    local token
    token=$(admin_token)
    [ -n "$token" ] || die "Keystone gave the admin no token; see $B/keystone/log"
    ks_post() {   # COLLECTION JSON
        curl -sf -o /dev/null -X POST "$KS/$1" -H "X-Auth-Token: $token" -H 'Content-Type: application/json' -d "$2" \
            || die "Keystone refused POST /v3/$1 $(sed -E 's/"password":"[^"]*"/"password":"…"/' <<<"$2")"
    }
    project() { ks_post projects "{\"project\":{\"name\":\"$1\",\"domain_id\":\"default\",\"enabled\":$2,\"description\":\"$3\"}}"; }
    user() { ks_post users "{\"user\":{\"name\":\"$1\",\"domain_id\":\"default\",\"password\":\"$2\",\"email\":\"$3\",\"description\":\"$4\"}}"; }
    project service true "Service accounts of the OpenStack services"
    project bots true "IRC and wiki bots of the community"
    project tools true "Shared tools: dashboards, query services and small web apps"
    project archive false "Retired project kept for its history"
    user alice "$USER_PW" alice@example.org "Alice Example"
    user bob "$USER_PW" bob@example.org "Bob Example"
    user carol "$USER_PW" carol@example.org "Carol Example"
    user wikisync "$READER_PW" "" "WikiSync, read-only"
    ks_post groups '{"group":{"name":"bots-admins","domain_id":"default","description":"Administrators of the bots project"}}'
    os_batch "$B/seed-identity.log" <<EOF
role create --or-show member
role create --or-show reader
user create --domain default --password $SERVICE_PW nova
user create --domain default --password $SERVICE_PW placement
user create --domain default --password $SERVICE_PW glance
user create --domain default --password $SERVICE_PW neutron
role add --project service --user nova admin
role add --project service --user placement admin
role add --project service --user glance admin
role add --project service --user neutron admin
role add --project bots --user alice member
role add --project tools --user bob member
role add --project tools --user alice reader
role add --project bots --user wikisync reader
role add --project tools --user wikisync reader
group add user bots-admins carol
role add --project bots --group bots-admins admin
service create --name nova compute
service create --name placement placement
service create --name glance image
service create --name neutron network
endpoint create --region RegionOne compute public http://127.0.0.1:8774/v2.1
endpoint create --region RegionOne compute internal http://127.0.0.1:8774/v2.1
endpoint create --region RegionOne placement public http://127.0.0.1:8778
endpoint create --region RegionOne placement internal http://127.0.0.1:8778
endpoint create --region RegionOne image public http://127.0.0.1:9292
endpoint create --region RegionOne image internal http://127.0.0.1:9292
endpoint create --region RegionOne network public http://127.0.0.1:9696
endpoint create --region RegionOne network internal http://127.0.0.1:9696
EOF
    # The application credential of the read-only user: bound to bots, with the reader role only.
    ( export OS_USERNAME=wikisync OS_PASSWORD=$READER_PW OS_PROJECT_NAME=bots
      $N openstack application credential create --secret "$APPCRED_SECRET" --role reader \
          --description "WikiSync tests, read-only" wikisync-bots -f value -c id ) >"$B/appcred.id" 2>"$B/appcred.log" \
        || die "creating the application credential failed; see $B/appcred.log"
}

seed_compute() {
    head -c 1048576 /dev/zero >"$B/debian-12-tiny.img"
    os_batch "$B/seed-compute.log" <<EOF
flavor create --vcpus 1 --ram 64 --disk 1 --id 1 m1.tiny
flavor create --vcpus 1 --ram 128 --disk 2 --id 2 m1.small
flavor create --vcpus 2 --ram 256 --disk 4 --id 3 m1.medium
image create --disk-format raw --container-format bare --file $B/debian-12-tiny.img --public --property os_distro=debian debian-12-tiny
network create --share --provider-network-type flat --provider-physical-network physnet1 shared-net
subnet create --network shared-net --subnet-range 172.16.0.0/24 --no-dhcp shared-subnet
EOF
    rm -f "$B/debian-12-tiny.img"
}

# The read-only account reads every project and its role assignments with a token scoped to domain
# default, which needs the reader role there (Keystone's Zed policies let a domain reader list both).
# Run on every `up`: PUT of an assignment is idempotent, and a cloud seeded by an older version gets it too.
seed_domain_reader() {
    local token uid rid
    token=$(admin_token)
    [ -n "$token" ] || die "Keystone gave the admin no token; see $B/keystone/log"
    ks_id() {   # PATH?QUERY COLLECTION: the id of the one entry listed
        curl -sf "$KS/$1" -H "X-Auth-Token: $token" | /usr/bin/python3 -c \
            'import json,sys; c=json.load(sys.stdin)[sys.argv[1]]; print(c[0]["id"] if len(c)==1 else "")' "$2"
    }
    uid=$(ks_id 'users?name=wikisync&domain_id=default' users) && [ -n "$uid" ] || die "Keystone has no user wikisync"
    rid=$(ks_id 'roles?name=reader' roles) && [ -n "$rid" ] || die "Keystone has no role reader"
    curl -sf -o /dev/null -X PUT "$KS/domains/default/users/$uid/roles/$rid" -H "X-Auth-Token: $token" \
        || die "Keystone refused the reader role on domain default for wikisync"
}

# The benchmark boots 30 servers in one project (20 paced, a burst of 10); Nova's default class (10
# instances, 20 cores) would refuse the 11th. The class lives in Nova's database, so config cannot raise it;
# run on every `up` (a PUT is idempotent) so a cloud seeded by an older version gets it too.
seed_quota() {
    local token
    token=$(admin_token)
    curl -sf -o /dev/null -X PUT http://127.0.0.1:8774/v2.1/os-quota-class-sets/default -H "X-Auth-Token: $token" \
        -H 'Content-Type: application/json' -d '{"quota_class_set":{"instances":100,"cores":200}}' \
        || die "Nova refused the default quota class"
}

# Until the compute host is mapped to its cell (first start) and its service reports up, a boot ends in
# ERROR ("No valid host").
wait_compute() {
    local nv="--config-file $B/nova/nova.conf --config-file $B/nova/nova-db.conf" i token
    token=$(admin_token)
    for ((i = 0; i < 180; i++)); do
        curl -s -m 10 -H "X-Auth-Token: $token" 'http://127.0.0.1:8774/v2.1/os-services?binary=nova-compute' \
            | grep -q '"state": *"up"' && break
        sleep 1
    done
    [ $i -lt 180 ] || die "nova-compute did not report up; see $B/nova/log"
    [ "$1" = 1 ] || return 0
    # The host mapping is kept in the database: only the first start waits for it.
    for ((i = 0; i < 60; i++)); do
        $N nova-manage $nv cell_v2 discover_hosts >/dev/null 2>&1 || true
        $N nova-manage $nv cell_v2 list_hosts 2>/dev/null | grep -q wikisync-compute && return 0
        sleep 2
    done
    die "the compute host was not mapped to cell1; see $B/nova/log"
}

down() {
    [ -s "$PIDS" ] || return 0
    local name pid t all=
    while read -r name pid t; do alive "$pid" "$t" && all="$all $(descendants "$pid" | tr '\n' ' ')"; done <"$PIDS"
    tac "$PIDS" | while read -r name pid t; do
        alive "$pid" "$t" || continue
        case $name in
            postgres) (cd / && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$B/pg/data" -m fast -w -t 60 stop >/dev/null) || kill "$pid" 2>/dev/null || true ;;
            # rabbitmq-server is a shell around beam.smp: signal them both.
            rabbitmq) for p in $(descendants "$pid"); do kill "$p" 2>/dev/null || true; done ;;
            # uwsgi masters die on TERM with their workers; oslo.service parents stop their children.
            *) kill "$pid" 2>/dev/null || true ;;
        esac
    done
    local i left p
    for ((i = 0; i < 60; i++)); do
        left=
        for p in $all; do [ -d "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && left="$left $p"; done
        [ -z "$left" ] && break
        sleep 0.5
    done
    # Still there after 30 s: these very processes (listed above while they were alive and ours) get KILL.
    [ -n "$left" ] && { say "killing what did not stop:$left"; kill -9 $left 2>/dev/null || true; }
    rm -f "$PIDS" "$B/.up"
    say "stopped"
}

env_lines() {
    [ -s "$B/secrets" ] && [ -e "$B/.initialized" ] || die "no cloud yet: run scripts/local-openstack.sh up first"
    # shellcheck disable=SC1091
    source "$B/secrets"
    # Nova's Zed defaults allow the all-projects listing (all_tenants) to admins only, and Keystone's
    # project list to admins and domain readers: the read-only account reads the servers project by project
    # with the reader role, and Keystone's projects and role assignments with a token on domain Default.
    cat <<EOF
export WIKISYNC_OPENSTACK_AUTH_URL=$KS
export WIKISYNC_OPENSTACK_USER_NAME=wikisync
export WIKISYNC_OPENSTACK_PASSWORD='$READER_PW'
export WIKISYNC_OPENSTACK_USER_DOMAIN=Default
export WIKISYNC_OPENSTACK_PROJECT_DOMAIN=Default
export WIKISYNC_OPENSTACK_REGION=RegionOne
export WIKISYNC_OPENSTACK_ALL_PROJECTS=false
export WIKISYNC_OPENSTACK_PROJECTS=bots,tools
export WIKISYNC_OPENSTACK_KEYSTONE_DOMAIN=Default
export WIKISYNC_TEST_OPENSTACK_APPLICATION_CREDENTIAL_ID=$(cat "$B/appcred.id")
export WIKISYNC_TEST_OPENSTACK_APPLICATION_CREDENTIAL_SECRET='$APPCRED_SECRET'
export WIKISYNC_TEST_OPENSTACK_APPLICATION_CREDENTIAL_PROJECT=bots
export WIKISYNC_TEST_OPENSTACK_ADMIN_USER_NAME=admin
export WIKISYNC_TEST_OPENSTACK_ADMIN_PASSWORD='$ADMIN_PW'
export WIKISYNC_TEST_OPENSTACK_ADMIN_PROJECT_NAME=admin
export WIKISYNC_TEST_OPENSTACK_MEMBER_USER_NAME=alice
export WIKISYNC_TEST_OPENSTACK_MEMBER_PASSWORD='$USER_PW'
export WIKISYNC_TEST_OPENSTACK_MEMBER_PROJECT_NAME=bots
EOF
}

case ${1:-} in
    up) with_lock "$MARK" up ;;
    down) with_lock "$MARK" down ;;
    env) env_lines ;;
    *) echo "usage: local-openstack.sh up|down|env" >&2; exit 2 ;;
esac
