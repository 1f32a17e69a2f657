# workerd configuration for the worker ./build.sh worker writes to build/:
#   node_modules/.bin/workerd serve config.capnp [--socket-addr http=127.0.0.1:PORT]
# build/assets/ is served by a disk service bound as ASSETS, as Workers Static
# Assets is on Cloudflare (wrangler.toml's [assets]); entry.mjs reads only the
# bytes from it and sets every header itself, so both answer alike.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .edge),
    (name = "assets", disk = (path = "build/assets", writable = false)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const edge :Workerd.Worker = (
  modules = [
    (name = "entry.mjs", esModule = embed "build/entry.mjs"),
    (name = "assets.mjs", esModule = embed "build/assets.mjs"),
    (name = "worker.mjs", esModule = embed "build/worker.mjs"),
    (name = "runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/app.wasm"),
  ],
  compatibilityDate = "2026-11-17",
  bindings = [
    (name = "ALLOWED_ORIGINS", text = "http://127.0.0.1:8080"),
    # The origin pages reach the worker at (the registry's path entries are resolved
    # against it); unset, each request's Host header is used, with Vary: Host.
    (name = "PUBLIC_ORIGIN", fromEnvironment = "FEDWASM_PUBLIC_ORIGIN"),
    (name = "ASSETS", service = "assets"),
  ],
);
