#!/usr/bin/env bash
# Installs the real peers the test suite talks to, from Debian's packages:
#   fping     - the agent's ICMP probe; iputils-ping - its fallback when fping is absent
#   chromium  - the browser of the UI tests (driven by playwright-core)
#   snmpd, snmp, lldpd - SNMP agent, tools and LLDP for the SNMP probe tests
#   kamailio, sip-tester - a SIP registrar and sipp for the SIP probe tests
#   dnsmasq-base - a DNS server for the DNS probe tests
#   nftables, iproute2 - network namespaces and packet loss for the accuracy tests
#   gcc, libc6-dev - build the impairment relay (test/impairment) at test time
#   mosquitto - the external MQTT 5 broker of the scale-out test (test/external-broker.test.ts)
#   nginx     - the TLS reverse proxy of deploy/nginx, started on loopback by its test
#   systemd   - systemd-analyze verify of the unit files (test/deploy/systemd.test.ts); not started
#   curl      - the documented install commands, run as written (test/packaging/install-walk.test.ts)
# Run as root (or with sudo) once per machine.
set -euo pipefail
packages=(mosquitto fping iputils-ping gcc libc6-dev chromium snmpd snmp lldpd kamailio sip-tester dnsmasq-base nftables iproute2 nginx victoria-metrics dovecot-imapd systemd curl)
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
