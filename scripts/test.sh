#!/usr/bin/env bash
# The project's one test command (`npm test`):
#   1. starts the real test services that are not already running (Kafka, PostgreSQL,
#      kube-apiserver + etcd, the one-node cluster on that apiserver (needs root), the Traefik
#      ingress controller, Prometheus; helm, kubectl and traefik are built on first use),
#   2. type-checks/builds and lints every project,
#   3. runs the unit and integration tests of every project,
#   4. stops the services it started (also on failure or Ctrl-C: the cluster's `stop` restores the
#      host), and exits non-zero on any failure.
# Unit tests alone, without services: `npm run test:unit`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
testenv="$root/scripts/testenv/testenv.sh"

# On a fresh clone, install first (Debian packages, npm packages, the services' runtimes).
[ -d node_modules ] || bash scripts/setup.sh || { echo "test: setup failed" >&2; exit 1; }

started=()
host_before="" # the host as cluster.sh host-state saw it before we started the cluster
cleanup() {
  if [ ${#started[@]} -gt 0 ]; then bash "$testenv" stop "${started[@]}" || true; fi
  if [ -n "$host_before" ]; then
    # The check that `cluster.sh stop` undid everything the node changed on the host.
    local host_after
    host_after=$(bash "$root/scripts/testenv/cluster.sh" host-state)
    if [ "$host_before" != "$host_after" ]; then
      echo "test: FAILED: stopping the cluster did not restore the host (< before start, > after stop):" >&2
      diff <(echo "$host_before") <(echo "$host_after") >&2
      exit 1
    fi
    echo "test: the cluster's stop restored the host ($(echo "$host_after" | wc -l) items compared)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that the EXIT trap runs on a signal too

for service in kafka postgres kube cluster ingress prometheus; do
  if ! bash "$testenv" status "$service" >/dev/null 2>&1; then
    [ "$service" = cluster ] && host_before=$(bash "$root/scripts/testenv/cluster.sh" host-state)
    started+=("$service") # before start: a half-started service is stopped too
    bash "$testenv" start "$service" || { echo "test: could not start $service" >&2; exit 1; }
  fi
done
bash "$testenv" env >/dev/null

results=$(mktemp -d)
export JEST_RESULTS_DIR="$results"
status=0
npx prettier --check . --log-level=warn || status=1
npx nx run-many -t build lint --outputStyle=stream || status=1
# One project at a time: integration tests kill workers, wait for rebalances and session timeouts,
# and on 2 cores two suites side by side make those waits needlessly tight.
npx nx run-many -t test --outputStyle=stream --parallel=1 || { status=1; echo "test: at least one project's tests failed or did not run (see above)"; }

# Closing lines that any CI reader understands, summed over every project's Jest run: each failure
# again (CI logs are often read from the end), then the counts.
node -e '
  const fs = require("fs"); const dir = process.argv[1];
  const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, "");
  const excerpt = (text) => plain(text).split("\n").filter((l) => l.trim() !== "").slice(0, 25).map((l) => "    " + l).join("\n");
  let passed = 0, failed = 0, suites = 0, failedSuites = 0;
  for (const f of fs.readdirSync(dir).sort()) {
    const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    suites += r.numTotalTestSuites; failedSuites += r.numFailedTestSuites;
    for (const suite of r.testResults) {
      const file = require("path").relative(process.cwd(), suite.name);
      const failures = suite.assertionResults.filter((a) => a.status === "failed");
      for (const a of failures) console.log(`FAILED ${file} > ${a.fullName}\n${excerpt(a.failureMessages.join("\n"))}`);
      if (failures.length === 0 && suite.status === "failed") console.log(`FAILED ${file} (suite did not run)\n${excerpt(suite.message)}`);
    }
  }
  console.log(`test suites: ${suites} (${failedSuites} failed)`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
' "$results"
[ "$(ls "$results" | wc -l)" -gt 0 ] || { echo "test: no Jest results were written" >&2; status=1; }
rm -rf "$results"
exit $status
