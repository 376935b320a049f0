#!/usr/bin/env bash
# `npm test`. Three things start at once, as no one of them keeps both cores busy alone:
#   - the unit tests (one core);
#   - the static checks (types, lint, unused exports, format);
#   - the app's build, then the browser tests of project e2e, one file at a time.
# When the unit tests are done the core they held runs project e2e-late (the longest browser-test file) beside
# e2e. Then the browser tests that time themselves or measure memory (project e2e-alone, vite.config.ts) run with
# nothing beside them. Each part's output is printed whole, in order, and the run fails if any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
started=$SECONDS
elapsed() { echo "$((SECONDS - started)) s"; }

(npx vite build --logLevel warn && touch "$logs/built" && npx vitest run --project e2e) >"$logs/e2e" 2>&1 &
browser=$!
(npm run --silent typecheck && npm run --silent lint && npm run --silent format:check) >"$logs/checks" 2>&1 &
checks=$!
npm run --silent test:unit
unit=$?
echo "unit tests: exit $unit · $(elapsed)"

# The late file needs the build; if the build failed, e2e's log says so and the late file is not run.
while [ ! -e "$logs/built" ] && kill -0 "$browser" 2>/dev/null; do sleep 1; done
late=1
if [ -e "$logs/built" ]; then
  npx vitest run --project e2e-late >"$logs/late" 2>&1 &
  late_pid=$!
fi

wait "$checks"
checked=$?
cat "$logs/checks"
echo "checks: exit $checked · $(elapsed)"
wait "$browser"
e2e=$?
cat "$logs/e2e"
echo "build and browser tests: exit $e2e · $(elapsed)"
if [ -n "${late_pid:-}" ]; then
  wait "$late_pid"
  late=$?
  cat "$logs/late"
fi
echo "browser tests started late: exit $late · $(elapsed)"

npx vitest run --project e2e-alone
alone=$?
echo "browser tests run alone: exit $alone · total $(elapsed)"
[ "$unit" -eq 0 ] && [ "$checked" -eq 0 ] && [ "$e2e" -eq 0 ] && [ "$late" -eq 0 ] && [ "$alone" -eq 0 ]
