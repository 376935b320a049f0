#!/usr/bin/env bash
# `npm test`: the static checks (types, lint, unused exports, format) run beside the unit tests, which use one
# core, and the app is built; then the browser tests drive it. Each part's output is printed whole, in order,
# and the run fails if any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
started=$SECONDS

# The app the browser tests drive is built here too, while the unit tests run.
(npm run --silent typecheck && npm run --silent lint && npm run --silent format:check && npx vite build --logLevel warn) >"$logs/checks" 2>&1 &
checks=$!
npm run --silent test:unit
unit=$?
wait "$checks"
checked=$?
cat "$logs/checks"
echo "checks: exit $checked · unit tests: exit $unit · $((SECONDS - started)) s"
[ "$checked" -eq 0 ] && [ "$unit" -eq 0 ] || exit 1

npx vitest run --project 'e2e*' # e2e, and e2e-alone when HEALTHSHED_E2E_WORKERS > 1 (vite.config.ts)
e2e=$?
echo "browser tests: exit $e2e · total $((SECONDS - started)) s"
exit "$e2e"
