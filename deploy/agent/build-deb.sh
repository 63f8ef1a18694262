#!/usr/bin/env bash
# Builds the branchwatch-agent .deb from a single executable made by `pnpm build:agent`.
#   deploy/agent/build-deb.sh [--arch x64|arm64] [--out DIR]
# Writes DIR/branchwatch-agent_VERSION_ARCH.deb (DIR defaults to dist/).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
arch=x64
out="$repo/dist"
while [ $# -gt 0 ]; do
  case "$1" in
  --arch) arch=$2; shift 2 ;;
  --out) out=$2; shift 2 ;;
  *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$arch" in
x64) debarch=amd64 ;;
arm64) debarch=arm64 ;;
*) echo "--arch must be x64 or arm64" >&2; exit 2 ;;
esac

binary="$out/branchwatch-agent-linux-$arch"
[ -x "$binary" ] || { echo "$binary is missing: run pnpm build:agent first" >&2; exit 1; }
version=$(node -p "require('$repo/agent/package.json').version")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$binary" "$root/usr/bin/branchwatch-agent"
install -D -m 0644 "$here/branchwatch-agent.service" "$root/lib/systemd/system/branchwatch-agent.service"
install -D -m 0640 "$here/debian/agent.yaml" "$root/etc/branchwatch/agent.yaml"
install -D -m 0644 "$repo/docs/agent-install.md" "$root/usr/share/doc/branchwatch-agent/agent-install.md"
install -d "$root/DEBIAN"
for script in postinst prerm postrm; do
  install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"
done
echo /etc/branchwatch/agent.yaml >"$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: branchwatch-agent
Version: $version
Architecture: $debarch
Maintainer: Branchwatch <branchwatch@localhost>
Depends: fping, passwd
Installed-Size: $size
Section: net
Priority: optional
Homepage: https://github.com/branchwatch/branchwatch
Description: Branchwatch branch agent
 Probes a branch office's links, phones and cameras (ICMP, TCP, HTTP, DNS,
 SNMP, SIP, ONVIF) and reports to a Branchwatch hub over MQTT, keeping
 results in an on-disk spool while the hub is unreachable.
CONTROL

deb="$out/branchwatch-agent_${version}_${debarch}.deb"
# --root-owner-group: files owned by root in the package whoever builds it (no fakeroot).
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
