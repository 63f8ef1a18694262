#!/usr/bin/env bash
# Installs the real peers the test suite talks to, from Debian's packages:
#   fping     - the agent's ICMP probe
#   chromium  - the browser of the UI tests (driven by playwright-core)
# Run as root (or with sudo) once per machine.
set -euo pipefail
packages=(fping chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies present: ${packages[*]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
