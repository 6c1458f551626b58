#!/usr/bin/env bash
# The local stack runs a real PostgreSQL 15 and MariaDB 10.11 that judge RDS IAM
# tokens through PAM (dev/databases/). Install whatever of Debian's packages is
# missing; with everything present this is a few dpkg-query calls.
# Runs unattended (CI=true, no stdin): every prompt is answered in advance.
set -euo pipefail

# server and client of each engine; pam_script hands the whole token to a sh
# check that asks the stand-in over HTTP (curl, jq); openssl makes the local CA;
# nss_wrapper lets the mariadb client resolve the RDS name to 127.0.0.1.
PACKAGES=(postgresql postgresql-client mariadb-server mariadb-client libpam-script libnss-wrapper curl jq openssl)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done

# Debian's libpam-script adds itself to /etc/pam.d/common-* for every service on
# the machine (su, login, …); only our own service file should use it.
disable_system_wide_pam_script() {
  if grep -qs pam_script /etc/pam.d/common-auth /etc/pam.d/common-account /etc/pam.d/common-session /etc/pam.d/common-password; then
    pam-auth-update --package --remove pam_script
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then disable_system_wide_pam_script; fi
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing for the local databases: ${missing[*]}. Install them first: sudo bash scripts/ensure-databases.sh" >&2
  exit 1
fi

echo "Installing for the local databases: ${missing[*]}…" >&2
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive

# Installing the postgresql package would otherwise create and start a `main`
# cluster on port 5432; the stack makes its own under <home>/postgres.
mkdir -p /etc/postgresql-common
if grep -qs '^[[:space:]]*create_main_cluster' /etc/postgresql-common/createcluster.conf; then
  sed -i 's/^[[:space:]]*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
else
  echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
fi

# Nor should mariadb-server start a system service on 3306: a policy-rc.d that
# says "no" (Docker images ship one already; leave theirs alone).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi

apt-get update -qq
# Only what is missing: naming an installed server would upgrade it. Keep our
# createcluster.conf if the package ships its own.
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" >/dev/null
disable_system_wide_pam_script
echo "Installed in $(($(date +%s) - started)) s." >&2
