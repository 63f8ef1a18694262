#!/usr/bin/env bash
# The real peers the test suite talks to, from Debian's (or Ubuntu's) packages:
#   fping     - the agent's ICMP probe; iputils-ping - its fallback when fping is absent
#   chromium  - the browser of the UI tests (driven by playwright-core)
#   snmpd, snmp, lldpd - SNMP agent, tools and LLDP for the SNMP probe tests
#   kamailio, sip-tester - a SIP registrar and sipp for the SIP probe tests
#   dnsmasq-base - a DNS server for the DNS probe tests
#   nftables, iproute2 - network namespaces and packet loss for the accuracy tests
#   gcc, libc6-dev - build the impairment relay (test/impairment) at test time
#   mosquitto - the external MQTT 5 broker of the scale-out test (test/external-broker.test.ts)
#   nginx     - the TLS reverse proxy of deploy/nginx, started on loopback by its test
#   victoria-metrics - the InfluxDB line-protocol receiver of the export test
#   dovecot-imapd - the IMAP server of the mail-to-ticket tests
#   clamav-daemon - clamd, the malware scanner of the attachment tests (test/peers/clamd.ts);
#                   the tests start their own on loopback with a signature database of their own
#   slapd, ldap-utils - an LDAP directory for the LDAP sign-in tests (test/peers/slapd.ts): the
#                   tests start their own slapd on loopback with their own config and data
#   systemd   - systemd-analyze verify of the unit files (test/deploy/systemd.test.ts); not started
#   curl      - the documented install commands, run as written (test/packaging/install-walk.test.ts)
#   poppler-utils - pdftotext, which reads exported PDF reports back in the report tests
#   openssl   - makes the certificates of the TLS tests (test/support/tls.ts, the SAML IdP, the
#               HTTP probe's peers); named here, not left to come with dovecot or nginx
#   binutils  - strip, for the agent's single executable in the .deb the install tests build
#
#   scripts/install-test-deps.sh           installs what is missing (as root, or through sudo)
#   scripts/install-test-deps.sh --check   says what is missing; exits 1 if anything is
#   scripts/install-test-deps.sh --auto    what `pnpm test` runs first: nothing when all is
#                                          there, else installs what is missing, or stops at
#                                          once naming what is missing and the command
#
# The suite runs as root (its tests make network namespaces and install the agent's .deb), so
# --check and --auto also stop when not run as root, and when user postgres (which runs the
# tests' PostgreSQL) cannot enter the folders down to the clone.
set -euo pipefail
packages=(mosquitto fping iputils-ping gcc libc6-dev chromium snmpd snmp lldpd kamailio sip-tester dnsmasq-base nftables iproute2 nginx victoria-metrics dovecot-imapd clamav-daemon slapd ldap-utils systemd curl poppler-utils openssl binutils)
mode=${1:-install}
case "$mode" in
install | --check | --auto) ;;
*) echo "usage: $0 [--check | --auto]" >&2; exit 2 ;;
esac
INSTALL_COMMAND="sudo bash scripts/install-test-deps.sh"

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "The test suite runs on Debian or Ubuntu: it needs these packages from their archives:" >&2
  echo "  ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "$mode" != install ] && [ "$(id -u)" -ne 0 ]; then
  echo "The test suite needs root: its tests make network namespaces and install the agent's .deb." >&2
  echo "Run it as root, for example in a container or a virtual machine." >&2
  [ ${#missing[@]} -eq 0 ] || echo "Missing test packages as well: ${missing[*]} ($INSTALL_COMMAND)" >&2
  exit 1
fi

# Root in a container may still lack the privilege to make network namespaces (Docker drops
# CAP_SYS_ADMIN unless run with --privileged): the namespace tests would fail one by one.
if [ "$mode" != install ] && command -v unshare >/dev/null && ! unshare --net true 2>/dev/null; then
  echo "The tests make network namespaces, and this root may not (unshare --net is refused)." >&2
  echo "In a container, run it with that privilege, for example docker run --privileged." >&2
  exit 1
fi

# PostgreSQL refuses to run as root, so the tests' embedded servers run as user postgres, whose
# programs are in this clone's node_modules: every folder down to the clone must let others in.
# A clone in root's home (mode 700) does not; initdb would fail in every test with EACCES.
if [ "$mode" != install ]; then
  folder=$(cd "$(dirname "$0")/.." && pwd)
  while :; do
    perms=$(stat -c %a "$folder")
    if [ $((8#$perms & 1)) -eq 0 ]; then
      echo "The tests run PostgreSQL as user postgres (it refuses to run as root), which cannot enter" >&2
      echo "$folder (mode $perms) above this clone. Clone the repository where every user may enter," >&2
      echo "for example /srv/branchwatch, or let others enter that folder: chmod o+x $folder" >&2
      exit 1
    fi
    [ "$folder" = / ] && break
    folder=$(dirname "$folder")
  done
fi

if [ ${#missing[@]} -eq 0 ]; then
  [ "$mode" = install ] && echo "test dependencies present: ${packages[*]}"
  exit 0
fi

if [ "$mode" = --check ]; then
  echo "Missing system packages the tests talk to: ${missing[*]}" >&2
  echo "Install them with: $INSTALL_COMMAND" >&2
  exit 1
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing the system packages the tests talk to: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
