#!/usr/bin/env bash
# npm run test:node -- VERSION [jest options]: the whole suite (npm test: build, lint,
# type-check, every test) on another Node, which scripts/node.sh installs from the npm
# registry into a cache folder on first use. VERSION is a major (22, 24: the release that
# .ci/node-versions names, which CI tests) or an exact version. The build is made by that
# Node (its own V8 code cache), as `npm ci` does for a user of that Node.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=${1:?usage: npm run test:node -- VERSION [jest options], e.g. npm run test:node -- 24}
shift
pinned=$(grep -E "^${spec//./\\.}(\\.|$)" .ci/node-versions | tail -1 || true)
node=$(scripts/node.sh "${pinned:-$spec}")
export PATH="$(dirname "$node"):$PATH"
echo "npm test on Node $(node --version) ($node)" >&2
exec npm test -- "$@"
