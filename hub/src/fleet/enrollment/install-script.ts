/**
 * The script behind the one-line install command (`curl -fsSL HUB/install.sh | sudo sh -s --
 * --token TOKEN`): downloads the newest agent .deb for this machine from the hub, installs it
 * with apt (which brings fping), enrolls with the token and starts the service. POSIX sh, as
 * `sh` is dash on Debian.
 */
export function installScript(hubOrigin: string): string {
  return `#!/bin/sh
# Branchwatch agent installer, served by ${hubOrigin}
set -eu
HUB='${hubOrigin}'
TOKEN=''
NAME=''
while [ $# -gt 0 ]; do
  case "$1" in
    --token) TOKEN="$2"; shift 2 ;;
    --name) NAME="$2"; shift 2 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$TOKEN" ] || { echo "install.sh: --token TOKEN is required" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo sh)" >&2; exit 1; }
command -v dpkg >/dev/null || { echo "install.sh: needs a Debian or Ubuntu system" >&2; exit 1; }
ARCH=$(dpkg --print-architecture)
DEB=$(mktemp /tmp/branchwatch-agent.XXXXXX.deb)
trap 'rm -f "$DEB"' EXIT
echo "downloading the agent for $ARCH from $HUB"
curl -fsSL -o "$DEB" "$HUB/downloads/agent/deb/$ARCH"
chmod 0644 "$DEB"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y "$DEB" || { apt-get update && apt-get install -y "$DEB"; }
if [ -n "$NAME" ]; then
  branchwatch-agent enroll --hub "$HUB" --token "$TOKEN" --name "$NAME"
else
  branchwatch-agent enroll --hub "$HUB" --token "$TOKEN"
fi
if [ -d /run/systemd/system ]; then
  systemctl enable branchwatch-agent >/dev/null 2>&1 || true
  systemctl restart branchwatch-agent
  echo "branchwatch-agent is running: journalctl -u branchwatch-agent -f"
fi
`;
}
