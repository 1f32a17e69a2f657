#!/usr/bin/env bash
# fedwasm's commands. On a fresh Debian machine with Go and Node.js:
#   ./build.sh build   write dist/fedwasm/ (loader.js, runtime.wasm, wasm_exec.js) and print their sizes (Go only)
#   ./build.sh demo    build, then serve the demo: host http://127.0.0.1:8080, cart remote on :8081, products remote on :8082
#   ./build.sh test    everything CI runs: format, vet, types, native tests, wasm tests in Chromium, e2e,
#                      the HTTP conformance suite (net/http and the worker under workerd)
#   ./build.sh worker  build the Cloudflare worker (cmd/fedwasm-worker) into worker/build/
# It installs what it needs (npm packages from package-lock.json; Chromium with apt
# when run as root) or stops saying exactly what to install.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
CACHE=$ROOT/.cache
WASMBROWSERTEST_VERSION=v0.11.0
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

die() { echo "build.sh: $*" >&2; exit 1; }
section() { printf '\n== %s\n' "$*"; }

need_toolchains() {
  command -v go >/dev/null || die "Go is not installed: install Go 1.26 or later (https://go.dev/doc/install)"
  command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are not installed: apt-get install -y nodejs npm (Node 20 or later)"
}

# The workspace's npm packages come from package-lock.json; reinstalled only
# when the lock changes.
ensure_npm() { ensure_npm_project . "the workspace"; }

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Chromium with apt-get (needed by the browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [ -x /usr/bin/chromium ] || die "apt-get installed chromium but /usr/bin/chromium is missing"
  else
    die "the browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install -y chromium'"
  fi
}

# wasmbrowsertest runs GOOS=js test binaries in headless Chromium (pinned version).
ensure_wasmbrowsertest() {
  local bin="$CACHE/bin/wasmbrowsertest" stamp="$CACHE/bin/wasmbrowsertest.version"
  if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$WASMBROWSERTEST_VERSION" ]; then return; fi
  echo "installing wasmbrowsertest $WASMBROWSERTEST_VERSION"
  GOBIN="$CACHE/bin" go install "github.com/agnivade/wasmbrowsertest@$WASMBROWSERTEST_VERSION"
  echo "$WASMBROWSERTEST_VERSION" >"$stamp"
}

# ensure_npm_project DIR WHAT: DIR is its own npm project; its packages install
# from DIR's lock file only when the lock changes (or DIR/node_modules is
# missing). WHAT names it in messages.
ensure_npm_project() {
  local dir=$1 what=$2 lock
  local lockstamp="$CACHE/$(printf '%s' "$dir" | tr ./ _-).lock.sha256"
  lock=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -d "$dir/node_modules" ] && [ "$(cat "$lockstamp" 2>/dev/null)" = "$lock" ]; then return; fi
  echo "installing the npm packages of $what from $dir/package-lock.json"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  mkdir -p "$CACHE" && echo "$lock" >"$lockstamp"
}

# The published Module Federation runtime plugins the e2e tests run unchanged
# (those the workspace's package.json does not have).
ensure_mf_plugins() { ensure_npm_project e2e/testdata/mf-plugins "the e2e tests' MF runtime plugins"; }

# ensure_npm_build DIR OUT WHAT CMD...: DIR is its own npm project whose
# build command CMD (run in DIR) writes OUT. Its packages install from DIR's
# lock file only when the lock changes; it rebuilds only when a file of DIR
# changes (or OUT is missing). WHAT names it in messages.
ensure_npm_build() {
  local dir=$1 out=$2 what=$3 name want
  shift 3
  name=$(printf '%s' "$dir" | tr / -)
  local stamp="$CACHE/$name.sha256" log="$CACHE/$name-build.log"
  want=$(find "$dir" -path "$dir/node_modules" -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
  if [ -d "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  mkdir -p "$CACHE"
  ensure_npm_project "$dir" "$what"
  echo "building $what into $out/"
  (cd "$dir" && "$@") >"$log" 2>&1 ||
    { tail -n 40 "$log"; die "$what failed to build (log: $log)"; }
  echo "$want" >"$stamp"
}

# ensure_webpack_build DIR OUT WHAT: ensure_npm_build with DIR's webpack.config.js.
ensure_webpack_build() {
  ensure_npm_build "$1" "$2" "$3" npx --no-install webpack --config webpack.config.js --stats errors-warnings
}

# The fixtures: real webpack 5 and @module-federation/enhanced remotes, and a
# Native Federation remote (@softarc/native-federation's esbuild adapter).
ensure_fixtures() {
  ensure_webpack_build fixtures/webpack dist/fixtures "the webpack fixtures"
  ensure_npm_build fixtures/native-federation dist/fixtures/nf-remote "the Native Federation fixture" node build.mjs
}

# The startup benchmark's app: the same shop as a webpack 5 host, an
# @module-federation/runtime page and a fedwasm host, with webpack remotes.
ensure_bench_app() { ensure_webpack_build bench/app dist/bench "the benchmark app"; }

# The runtime, dist/fedwasm: Go only.
cmd_build() {
  need_toolchains
  go run ./cmd/fedwasm build -root "$ROOT"
}

# The demo's build step: the runtime, the demo's vendor modules and remotes
# (from npm packages), and the webpack fixtures it also serves. Each part is
# rebuilt only when its inputs changed.
build_demo() {
  need_toolchains
  ensure_npm
  go run ./cmd/fedwasm-build -root "$ROOT"
  ensure_fixtures
}

# workerd (npm, worker/package-lock.json) runs the Cloudflare worker locally;
# reinstalled only when the lock changes.
ensure_workerd() { ensure_npm_project worker "workerd"; }

# build_worker writes worker/build/: worker.mjs, runtime.mjs and wasm_exec.js
# (syumai/workers' workers-assets-gen, which empties the directory first),
# entry.mjs (worker/entry.mjs, the main module), then cmd/fedwasm-worker/stage:
# site/ (the whole site, as `fedwasm serve -out` stages it: dist/fedwasm, the
# remotes worker/registry.json names under content-hashed names, the registry
# pointing at them; net/http serves it in the conformance suite), assets/ (its
# runtime and remotes' files, for Workers Static Assets or workerd's disk
# service), assets.mjs (their index, for entry.mjs) and what
# cmd/fedwasm-worker/site/ embeds (the registry and index.html, the host page
# Go serves with its snapshot); and app.wasm (GOOS=js GOARCH=wasm).
build_worker() {
  local out=worker/build
  go run github.com/syumai/workers/cmd/workers-assets-gen -mode go -o "$out" >/dev/null
  cp worker/entry.mjs "$out/entry.mjs"
  go run ./cmd/fedwasm-worker/stage -runtime dist/fedwasm -registry worker/registry.json \
    -site "$out/site" -assets "$out/assets" -index "$out/assets.mjs" -embed cmd/fedwasm-worker/site -page index.html
  GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$out/app.wasm" ./cmd/fedwasm-worker
}

# The Cloudflare worker: built into worker/build/ for `wrangler deploy` (worker/wrangler.toml)
# or `workerd serve worker/config.capnp` (workerd from npm, installed here).
cmd_worker() {
  build_demo
  ensure_workerd
  build_worker
  echo "worker built: worker/build/app.wasm ($(wc -c <worker/build/app.wasm) bytes); run it with"
  echo "  (cd worker && node_modules/.bin/workerd serve config.capnp)   # http://127.0.0.1:8787"
}

cmd_demo() {
  build_demo
  go build -o "$CACHE/bin/fedwasm-demo" ./cmd/fedwasm-demo
  exec "$CACHE/bin/fedwasm-demo" -root "$ROOT" "$@"
}

# Test results per layer, for the summary.
declare -a SUMMARY=()
TOTAL_PASS=0
TOTAL_FAIL=0

# failed_output LOG: what each failed test printed in a `go test -v` log (its
# lines follow its === RUN, CONT or NAME header), a block per failed test.
failed_output() {
  awk '
    /^=== (RUN|CONT|NAME|PAUSE) / { cur = $3; next }
    /^ *--- FAIL: / { order[++n] = $3; next }
    /^ *--- (PASS|SKIP): / || /^(ok|FAIL|PASS)([ \t]|$)/ { next }
    cur != "" { out[cur] = out[cur] $0 "\n" }
    END { for (i = 1; i <= n; i++) if (out[order[i]] != "") printf "-- %s\n%s", order[i], out[order[i]] }
  ' "$1"
}

# run_layer NAME CMD...: runs a `go test -v` command, keeps its log, shows the
# package lines (on failure, what the failed tests printed and the log's
# tail) and counts tests and subtests.
run_layer() {
  local name=$1; shift
  local log="$CACHE/test-$name.log" status=0 pass fail
  mkdir -p "$CACHE"
  "$@" >"$log" 2>&1 || status=$?
  grep -v 'unknown IPAddressSpace value' "$log" >"$log.tmp" && mv "$log.tmp" "$log"
  pass=$(grep -cE '^ *--- PASS' "$log" || true)
  fail=$(grep -cE '^ *--- FAIL' "$log" || true)
  grep -E '^(ok|FAIL|---|panic:)' "$log" | grep -vE '^--- PASS' || true
  if [ "$status" != 0 ]; then
    [ "$fail" != 0 ] || fail=1
    echo "---- $name failed (exit $status); what the failed tests printed:"
    failed_output "$log" | head -n 200
    echo "---- the last lines of $log:"
    tail -n 40 "$log"
  fi
  SUMMARY+=("$(printf '%-8s %4d passed, %d failed' "$name" "$pass" "$fail")")
  TOTAL_PASS=$((TOTAL_PASS + pass))
  TOTAL_FAIL=$((TOTAL_FAIL + fail))
}

cmd_test() {
  need_toolchains
  # Tests that need npm packages skip without them under plain go test; here they must run.
  export FEDWASM_REQUIRE_NPM=1
  section "format and vet"
  local unformatted
  unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
  [ -z "$unformatted" ] || die "gofmt would change: $unformatted (run gofmt -w)"
  go vet ./...
  GOOS=js GOARCH=wasm go vet ./jsbridge/... ./wasm/... ./cmd/fedwasm-worker/...
  go vet -tags e2e ./e2e/...
  go vet -tags conformance ./server/conformance/...
  echo "gofmt and go vet clean"

  section "TypeScript: loader/fedwasm.d.ts and loader/mf.d.ts against consumers (tsc --noEmit)"
  ensure_npm
  npx --no-install tsc -p e2e/ts/tsconfig.json
  npx --no-install tsc -p e2e/ts/tsconfig.mf.json  # code typed with @module-federation/runtime-core: a plugin (fedwasm.d.ts), a page (mf.d.ts)
  echo "tsc clean"

  # The migrate tests read the webpack fixtures' node_modules.
  ensure_fixtures

  section "native: go test (race detector on)"
  run_layer native go test -race -count=1 -v ./...

  section "wasm: GOOS=js GOARCH=wasm tests of jsbridge in headless Chromium (data segments joined)"
  ensure_chromium
  ensure_wasmbrowsertest
  # mergeexec joins each test binary's data segments first, as the runtime build
  # does to runtime.wasm, so the tests run the form that ships.
  go build -o "$CACHE/bin/mergeexec" ./internal/runtimebuild/mergeexec
  run_layer wasm env GOOS=js GOARCH=wasm go test -count=1 -v -exec="$CACHE/bin/mergeexec $CACHE/bin/wasmbrowsertest" ./jsbridge/...

  section "e2e: the demo in headless Chromium (chromedp)"
  build_demo >/dev/null
  ensure_mf_plugins
  # The @module-federation/runtime page's test runs the bench app's remotes.
  ensure_bench_app
  # go test stops a test binary after 10 minutes by default; on a shared, loaded
  # 2-core machine the e2e binary alone can take longer, so it gets 25.
  run_layer e2e go test -tags e2e -count=1 -timeout 25m -v ./e2e/...

  section "conformance: one HTTP suite against net/http and the worker under workerd"
  ensure_workerd
  build_worker
  run_layer conformance go test -tags conformance -count=1 -v ./server/conformance/...

  section "summary (tests and subtests)"
  printf '%s\n' "${SUMMARY[@]}"
  echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
  [ "$TOTAL_FAIL" = 0 ]
}

# Benchmarks (bench/README.md says what each measures): the share scope in
# native Go, the bridge called from Go in Chromium, and the bridge timed from
# page JavaScript in the demo.
cmd_bench() {
  need_toolchains
  ensure_npm
  go run ./cmd/fedwasm-build -root "$ROOT"
  ensure_chromium
  ensure_wasmbrowsertest
  section "native: go test -bench ./federation/..."
  go test -run '^$' -bench . -benchmem ./federation/...
  section "wasm: jsbridge benchmarks in headless Chromium (window.fedwasm called from Go)"
  GOOS=js GOARCH=wasm go test -run '^$' -bench . -exec="$CACHE/bin/wasmbrowsertest" ./jsbridge/ 2>&1 |
    { grep -v 'unknown IPAddressSpace value' || true; }
  section "page: the bridge timed from page JavaScript in the demo (go run ./bench/bridge)"
  go run ./bench/bridge -root "$ROOT" | tee "$CACHE/bench-bridge.txt"
  section "page: the broker: store fan-out, events.emit delivery in the page and across tabs (go run ./bench/broker)"
  go run ./bench/broker -root "$ROOT" | tee "$CACHE/bench-broker.txt"
  section "server: net/http load on loopback; the worker under workerd (go run ./bench/load)"
  ensure_workerd
  build_worker
  go run ./bench/load -root "$ROOT"
  section "startup: webpack host vs @module-federation/runtime vs fedwasm (snapshot and without), cold and warm, loopback and 20 Mbit/s 40 ms RTT (go run ./bench/startup)"
  ensure_bench_app
  go run ./bench/startup -root "$ROOT" -throttle 20,40 -out bench/RESULTS.md -svg bench/startup.svg \
    -include "$CACHE/bench-bridge.txt,$CACHE/bench-broker.txt"
}

case "${1:-}" in
  build) cmd_build ;;
  demo) shift; cmd_demo "$@" ;;
  test) cmd_test ;;
  bench) cmd_bench ;;
  worker) cmd_worker ;;
  *) echo "usage: ./build.sh build | demo [-host ADDR -remote ADDR -products ADDR] | test | bench | worker" >&2; exit 2 ;;
esac
