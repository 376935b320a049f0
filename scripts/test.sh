#!/usr/bin/env bash
# `npm test`: the static checks (types, lint, unused exports, format) run beside the unit tests, which use one
# core; then the app is built and the browser tests drive it. Each part's output is printed whole, in order,
# and the run fails if any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
started=$SECONDS

(npm run --silent typecheck && npm run --silent lint && npm run --silent format:check) >"$logs/checks" 2>&1 &
checks=$!
npm run --silent test:unit
unit=$?
wait "$checks"
checked=$?
cat "$logs/checks"
echo "checks: exit $checked · unit tests: exit $unit · $((SECONDS - started)) s"
[ "$checked" -eq 0 ] && [ "$unit" -eq 0 ] || exit 1

npm run --silent test:e2e
e2e=$?
echo "browser tests: exit $e2e · total $((SECONDS - started)) s"
exit "$e2e"
