#!/usr/bin/env bash
# The console's browser tests (tests/browser) drive Debian's Chromium through playwright-core:
# `npx playwright install` downloads a browser build, which this machine (and CI) cannot fetch.
# Install Debian's package when it is missing; with it present this is one dpkg-query call.
set -euo pipefail
if dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed' && [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium not found for the browser tests. Install it first: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "Installing Debian's Chromium for the browser tests…" >&2
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3 4 5; do
  # Another apt/dpkg may hold the lock for a while; retry rather than fail the run.
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then break; fi
  [ "$attempt" -eq 5 ] && exit 1
  sleep 10
done
/usr/bin/chromium --version
