#!/usr/bin/env bash
# Installs every Debian package the tests and the demo need. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
apt_install mediawiki php8.2-cli php8.2-sqlite3 php8.2-cgi micro-httpd \
    ngircd slapd ldap-utils libldap-2.5-0 time postgresql-15 chromium python3-feedparser
