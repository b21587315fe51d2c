#!/usr/bin/env bash
# Installs the Debian packages the test suite drives as real peers, when they are missing:
# chromium (the e2e suite) and pgbouncer (the managed-PostgreSQL test). Needs root and apt.
#
#   bash scripts/system-packages.sh
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[[ -x /usr/sbin/pgbouncer ]] || command -v pgbouncer >/dev/null 2>&1 || missing+=(pgbouncer)

if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "system-packages.sh: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
