package errcode

import "strings"

//go:generate go run ../../internal/errdocs -root ../..

// Entry documents one code for people who meet it: docs/errors.md is
// rendered from Catalog (go generate ./federation/errcode), and every
// message ends with the code's anchor there (see Error.Text).
type Entry struct {
	Code string
	// Happened says what failed, in one sentence.
	Happened string
	// Causes are the usual reasons, most common first.
	Causes []string
	// Fix says what to change.
	Fix string
	// Example is a message as the runtime writes it (without the anchor).
	Example string
}

// Catalog has one Entry per code, in the order of the constants above.
var Catalog = []Entry{
	{
		Code:     ConfigInvalid,
		Happened: "The federation config (federation.json, the object passed to fedwasm.init, or a registry host) was refused before anything loaded.",
		Causes: []string{
			"a required field (`name`, a remote's `name` or `entry`, a share's `version`) is missing or empty",
			"a field has the wrong JSON type, e.g. `\"remotes\"` as an object instead of a list",
			"a share's `version` is not an exact version or its `requiredVersion` is not an npm range",
			"a Module Federation 2.0 remote given as `{ name, version }` without an `entry`: MF 2.0 resolves those through its snapshot service, which fedwasm does not; give the entry (its `mf-manifest.json` or `remoteEntry.js` URL), or list the remote in fedwasm's registry, which hands the page its entry",
			"a remote's `shareScope` lists several scopes (MF 2.0's `shareScope: ['default', 'other']`): fedwasm initializes a container with one scope, so give one name (a list of one is taken as that name)",
			"in an object passed to `fedwasm.init`, a share's `get` that is not a function, or a `plugins` entry `fedwasm.use` would refuse (`plugins[1]`)",
			"a later `init` of the same host (`fedwasm.initOptions`, Module Federation's `init` from `mf.js`) gives `bootstrap`, `shareStrategy`, `retry`, `security` or `ownership` other than the page's: a later init adds remotes, shared modules and plugins, and may repeat those only unchanged",
			"the registry was asked for a host it does not list",
			"a registry file lists no host (`null`, `{}`, `{\"hosts\":{}}`) or hands out a URL to run code from that is neither http(s) nor a path (`javascript:`, `data:`, `blob:`): refused at start, and while serving the last good registry is kept and `/healthz` reports the refused edit",
		},
		Fix:     "Correct the field the message and `details.field` name; `fedwasm check federation.json` runs the same validation before a deploy.",
		Example: `federation config field shared.react[0].version is required: the exact version this entry provides, e.g. "19.1.0"`,
	},
	{
		Code:     ConfigUnknownKey,
		Happened: "A warning, never an error: the federation config has a key fedwasm does not read, so it has no effect, and the config loads without it. The message names the key's path (`details.field`), the key people likely meant when one is close (`details.suggestion`, else empty), and what to do. It reaches the console, `inspect().warnings` and a `fedwasm:warning` event when `fedwasm.init` takes the config (and for the remotes `fedwasm.registerRemotes` and the entries `fedwasm.registerShared` take, named from their argument: `[1].sharedScope`, `shared.react[0].shareConfig.singelton`, and the keys of a plugin object `fedwasm.use` or `init({ plugins })` takes that are neither a Module Federation hook nor `name`, `version` or `apply`: `plugin retry.fecth`, with `details.plugin` and `details.key`), the server's log when it reads a registry, and the output of `fedwasm check`. Keys a Module Federation 2.0 config carries that fedwasm does not support (`plugins` in a config file, `version` and `id` of the config, a share's `strategy`, `deps`, `loaded`, `useIn`, `treeShaking`, a shareConfig's `layer`) warn too, with `details.unsupported` set and a message that says so. The keys fedwasm's own server adds to a config it serves (`snapshot`, a remote's `version`) are read by the loader or kept for people, and never warn. One config gets at most 20 of these warnings, and then one that says there are more (with no `details.field`).",
		Causes: []string{
			"a misspelled key: `sharedConfig` for `shareConfig`, `requiredVerison` for `requiredVersion`, `remote` for `remotes`, `entryGlobal` for `entryGlobalName`",
			"webpack's ModuleFederationPlugin options on a share (`singleton`, `requiredVersion`, `strictVersion`, `eager`), which a runtime config puts in the share's `shareConfig`, or `shareScope` for the share's `scope`",
			"a Module Federation 2.0 runtime option fedwasm does not support, such as `plugins` (fedwasm.use registers plugins)",
		},
		Fix:     "Rename the key to the one suggested, move it where the message says, or remove it; `fedwasm check federation.json` lists every unknown key before a deploy.",
		Example: `federation config key shared.react[0].sharedConfig is unknown, so fedwasm ignores it: did you mean "shareConfig"? Rename it, or remove it`,
	},
	{
		Code:     NotInitialized,
		Happened: "A call that answers at once (`inspect`, `shareScope`, `loadShareSync` of a package the server's snapshot did not load) was made before the runtime was running. Calls that return a promise, a release function or a scope are never refused for coming early: they wait in line and are made in order once it runs.",
		Causes: []string{
			"the bootstrap module, which the loader imports beside the runtime's start when the page has the server's snapshot, calls `fedwasm.inspect()` at its top",
			"page code that runs before `fedwasm.ready` reads the share scope synchronously",
			"a function of fedwasm's `mf.js` (`loadRemote`, `loadShare`, …) called before its `init`, as Module Federation 2.0 refuses it (its RUNTIME-009, \"Please call createInstance first.\", which the message starts with and `details.mfCode` carries): `createInstance` alone does not set the instance these functions use",
		},
		Fix:     "`await fedwasm.ready` before the call, or use its promise form (`await fedwasm.loadShare(pkg)`); with `mf.js`, call `init(options)` first.",
		Example: `fedwasm.inspect: the runtime is not running yet and this call answers at once; await fedwasm.ready first`,
	},
	{
		Code:     SnapshotDisagrees,
		Happened: "The page's import map (the server's snapshot, written into the page or by the loader from the config) maps a shared package to another URL than the runtime resolves it to, or the loader loaded a remote before the runtime ran (the snapshot marked it early) from another entry than the runtime resolves. Browsers keep the first rule for a specifier, so bare imports of the package get the page's module while `loadShare` hands out the runtime's; a remote loaded early keeps the module the page got, and loads through the runtime get the runtime's. Modules handed out already are never swapped; the warning (console, `inspect().warnings`, a `fedwasm:warning` event) names the package or remote and both URLs.",
		Causes: []string{
			"the page was served with a snapshot from other inputs than its config (a cached page, a registry edit between the page and its config)",
			"share rules changed before the runtime ran its own resolution (a `registerShared` made before `fedwasm.ready`)",
		},
		Fix:     "Serve the page and its config from the same registry (server.Site does, and keeps both current), and make share rules part of the host's config rather than page code.",
		Example: `the page's import map (the server's snapshot) maps "react" to https://shop.example/vendor/react-18.js, but the runtime resolves it to https://shop.example/vendor/react-19.js: bare imports of it get the page's module and loadShare the runtime's`,
	},
	{
		Code:     AlreadyInitialized,
		Happened: "fedwasm.init was called a second time on the same page. (`fedwasm.initOptions`, which Module Federation 2.0's `init` from fedwasm's `mf.js` calls, merges a later config instead: see `docs/mf-compatibility.md`.)",
		Causes: []string{
			"the host calls fedwasm.init itself although loader.js already did",
			"two loader.js script tags on one page",
		},
		Fix:     "Let the loader call init once; add remotes and shares later with `fedwasm.registerRemotes` and `fedwasm.registerShared`, or with `fedwasm.initOptions(config)`, which merges a config of the same name.",
		Example: `fedwasm is already initialized as "shell"; init runs once per page (the loader calls it). Use registerShared or registerRemotes to add more`,
	},
	{
		Code:     InvalidArgument,
		Happened: "A fedwasm API call got an argument of the wrong type or shape.",
		Causes: []string{
			"a handler, listener or element that is not a function or DOM element",
			"an options argument that is not a plain object, or an option of the wrong type",
			"an event type or query channel with whitespace or longer than 128 characters",
			"a query key that is not a JSON array",
		},
		Fix:     "Pass what the message asks for; `loader/fedwasm.d.ts` types every call, so TypeScript catches most of these at build time.",
		Example: `fedwasm.events.on("cart:add", handler): handler must be a function, not string`,
	},
	{
		Code:     LimitExceeded,
		Happened: "A call, config or manifest held more than the runtime takes: more entries, names, remotes or plugins than a limit allows, or a value nested too deeply. A refused call applies nothing; entries written into the live share scope beyond a limit are left unread, with this code as a warning. The runtime keeps running.",
		Causes: []string{
			"registerShared with more entries than `SharedEntries` in one call, or a package with more versions than `VersionsPerPackage` in a share scope",
			"preloadRemote or registerRemotes with more names than `Remotes`, or an array-like whose `length` is huge (a Proxy)",
			"a plain-data argument nested deeper than `ValueDepth` (or holding a cycle), or holding more values than `Values`",
			"more plugins passed to fedwasm.use than `Plugins`",
		},
		Fix:     "Split the input into calls under the limit, or pass the data itself rather than a generated or proxied object; `details.what`, `details.got` and `details.limit` say which limit and by how much. The limits and their values are listed in the loader's README (Limits).",
		Example: `fedwasm.preloadRemote(names): 1000000000 names, over the limit of 1000; pass at most 1000 remote names per call`,
	},
	{
		Code:     InternalPanic,
		Happened: "The Go runtime panicked while serving a call. The call failed; the runtime keeps running.",
		Causes: []string{
			"a fedwasm bug",
		},
		Fix:     "Report it with `details.stack` and the call from `details.call`.",
		Example: `fedwasm.loadRemote panicked inside the runtime: runtime error: index out of range [1] with length 1; this is a fedwasm bug, please report it with details.stack; the runtime keeps running`,
	},
	{
		Code:     JSException,
		Happened: "JavaScript code that the runtime called threw: a `get()` factory, a plugin hook, a store method or a callback.",
		Causes: []string{
			"a throwing `get()` in registerShared or a remote container",
			"a plugin's beforeRequest, afterResolve, onLoad or errorLoadRemote hook threw",
			"a store's subscribe or getState threw",
		},
		Fix:     "Fix the callback named in `details.call` or `details.plugin`/`details.hook`; `details.jsMessage` is the original exception's text.",
		Example: `plugin "audit" threw in beforeRequest: TypeError: Cannot read properties of undefined (reading 'url')`,
	},
	{
		Code:     ShareNotFound,
		Happened: "A consumer asked for a shared package that no provider offers in its share scope.",
		Causes: []string{
			"the package is missing from the host config's `shared`",
			"the consumer uses a different `shareScope` than the provider",
			"an eager consumer asked before any eager provider registered",
		},
		Fix:     "Register the package in the host's `shared` (or with `fedwasm.registerShared`) in the scope the consumer uses, mark a provider `eager` for eager consumers, or give the consumer a fallback.",
		Example: `shared module "lodash" is not provided in share scope "default" (asked for by "cart"); register it in the host config's "shared", with fedwasm.registerShared, or give loadShare a fallback`,
	},
	{
		Code:     ShareSingletonMismatch,
		Happened: "A singleton is in use at a version outside a consumer's `requiredVersion`. With `strictVersion` the consumer gets an error; without it, a warning and the singleton anyway.",
		Causes: []string{
			"host and remote were built against different major versions of the package",
			"a remote's `requiredVersion` is stricter than the version the host provides",
		},
		Fix:     "Provide a version that satisfies every consumer, widen the consumer's `requiredVersion`, or drop `strictVersion` if the versions are compatible in practice. `fedwasm check federation.json` shows the table before a deploy.",
		Example: `singleton "react": version 17.0.2 from "shell" is in use, but "cart" requires "^18.0.0" (available: 17.0.2 from "shell"); provide a satisfying version, or relax requiredVersion or strictVersion`,
	},
	{
		Code:     ShareNoSatisfying,
		Happened: "No provided version of a (non-singleton) shared package satisfies the consumer's `requiredVersion`.",
		Causes: []string{
			"only older or newer majors are provided",
			"the consumer's `requiredVersion` has a typo",
		},
		Fix:     "Provide a version in range, widen `requiredVersion`, or give the consumer a fallback (without `strictVersion` it then uses its own copy).",
		Example: `no version of shared "date-fns" in scope "default" satisfies "^3.0.0" required by "products" (available: 2.30.0 from "shell"); provide a satisfying version or relax requiredVersion`,
	},
	{
		Code:     ShareInvalidVersion,
		Happened: "A provider registered a shared package with a version that is not an exact semver version.",
		Causes: []string{
			"a range such as `^18.2.0` where an exact version belongs",
			"a version read from the wrong field of package.json",
		},
		Fix:     "Give the exact installed version, e.g. `18.3.1` (`fedwasm migrate` reads it from node_modules).",
		Example: `shared "react" from "shell" has version "^18", which is not a version ("^18" is not a version (want major.minor.patch, e.g. "1.2.3" or "1.2.3-beta.1")); provide an exact version such as "1.2.3"`,
	},
	{
		Code:     ShareInvalidEntry,
		Happened: "An entry a webpack container wrote into the live share scope was ignored because it cannot be read (a warning).",
		Causes: []string{
			"code other than a Module Federation container wrote into the share scope without a `get` function",
		},
		Fix:     "Write `{ get, from, eager }` entries (webpack's shape) under an exact version, or rebuild the remote with a Module Federation plugin.",
		Example: `share scope "default": the entry react 18.3.1 from "legacy" has no get function and is ignored; write { get, from, eager } entries (webpack's shape)`,
	},
	{
		Code:     ShareInvalidRange,
		Happened: "A consumer's `requiredVersion` is not an npm range.",
		Causes: []string{
			"a typo such as `^18..0`",
			"a tag (`latest`, `next`) instead of a range",
		},
		Fix:     "Use an npm range (`^18.2.0`, `>=17 <19`, `*`).",
		Example: `"cart" asked for shared "react" with requiredVersion "^18..0", which is not an npm range (semver: bad range); fix the range`,
	},
	{
		Code:     ShareLoadFailed,
		Happened: "The chosen provider of a shared package could not produce the module.",
		Causes: []string{
			"the share's `import` URL returns 404, is not an ES module, or is blocked by CORS or CSP",
			"the providing remote could not be loaded",
			"a remote's manifest lists a share its container does not provide",
			"the consumer's fallback threw",
		},
		Fix:     "Open the URL from `details.import` in the browser; fix what serves it or the provider's `get`. The next loadShare tries again.",
		Example: `loading shared "react" 18.3.1 from "shell" failed: import https://cdn.example.com/vendor/react.js: HTTP 404; check that the module's URL or get() works (the next loadShare tries again)`,
	},
	{
		Code:     ShareNotLoaded,
		Happened: "`loadShareSync` was called for a shared module that has not been loaded yet.",
		Causes: []string{
			"the share has no `import` URL, so the loader could not load it before the bootstrap",
			"a remote calls loadShareSync at module top level before the host loaded the share",
		},
		Fix:     "Use `await fedwasm.loadShare(pkg)`, or give the share an `import` URL in the host config so it is loaded before the bootstrap runs.",
		Example: `loadShareSync("react") by "cart": react 18.3.1 from "shell" is not loaded yet; use await fedwasm.loadShare("react"), or give the share an "import" URL in the host config so it is loaded before the bootstrap`,
	},
	{
		Code:     ShareNotImportable,
		Happened: "A Native Federation remote's shared package resolved to a version the page cannot import by URL (one provided by `get` or `lib`, or by a webpack container): its bare imports cannot reach that module, so the remote got its own copy, listed in its remoteEntry.json. This is a warning; the remote loaded.",
		Causes: []string{
			"the host registers the package with `get` or `lib` rather than `import`",
			"the version chosen is a webpack or MF remote's, which only its container hands out",
		},
		Fix:     "Give the host's shared package an `import` URL (an ES module), so every remote's bare import resolves to the same module; `details.chosenFrom` names the provider chosen.",
		Example: `Native Federation remote "nfRemote" shares "react", which resolved to 19.3.1 from "host", a module the page cannot import by URL (registered with get or lib); the remote's bare imports of "react" get its own copy, 19.3.1 at http://127.0.0.1:8081/react.Mc6eYhQ2Ha.js. Give the host's shared "react" an import URL to share one module`,
	},
	{
		Code:     StoreOwned,
		Happened: "A second owner tried to provide a store under a name that already belongs to someone else.",
		Causes: []string{
			"a remote provides a store the host already provides",
			"two remotes chose the same store name",
		},
		Fix:     "Consume the existing store with `fedwasm.stores.get(name)`, or provide yours under another name.",
		Example: `store "cart" belongs to "shell"; "checkout" cannot replace it. Get it with fedwasm.stores.get("cart") instead, or provide it under another name`,
	},
	{
		Code:     StoreTimeout,
		Happened: "`stores.get` waited `timeoutMs` (10 s unless given) and no one provided the store.",
		Causes: []string{
			"the owner never calls `fedwasm.stores.provide(name, ...)`, or calls it under another name",
			"the owner failed to load",
		},
		Fix:     "Check the owner provides the store under that name (the inspector lists provided stores), or raise `timeoutMs`.",
		Example: `store "cart" was not provided within 10000 ms (asked for by "products"); check that its owner calls fedwasm.stores.provide("cart", ...), or raise timeoutMs`,
	},
	{
		Code:     StoreVersionMismatch,
		Happened: "A store's version does not satisfy the consumer's `requiredVersion`.",
		Causes: []string{
			"the owner changed the store's shape and bumped its major version",
			"the consumer was built against a newer store",
		},
		Fix:     "Update the consumer's `requiredVersion`, or have the owner provide a compatible version.",
		Example: `store "cart" from "shell" has version 2.0.0, but "products" requires "^1.0.0"; update the consumer's requiredVersion or have "shell" provide a compatible version`,
	},
	{
		Code:     StoreInvalid,
		Happened: "`stores.provide` got something that cannot be a store.",
		Causes: []string{
			"a primitive instead of an object or function",
			"a persisted store without getState, setState and subscribe",
			"a store version that is not an exact version",
		},
		Fix:     "Provide a store object (a zustand store, a QueryClient, ...) with an exact `version`; persisted stores need getState, setState and subscribe.",
		Example: `fedwasm.stores.provide("cart"): the store must be an object or function (a zustand store, a QueryClient, ...), not string`,
	},
	{
		Code:     RemoteUnknown,
		Happened: "`loadRemote` or `mount` named a remote that is not registered.",
		Causes: []string{
			"a typo in the request id (`cart/Cart`)",
			"the remote is missing from the config's `remotes`",
		},
		Fix:     "Add the remote to the config's `remotes`, or call `fedwasm.registerRemotes` before loading it.",
		Example: `loadRemote("chekout/Page"): no registered remote matches; known remotes: [cart products]. Add it to the config's "remotes" or call fedwasm.registerRemotes`,
	},
	{
		Code:     RemoteInvalid,
		Happened: "A remote's registration was refused.",
		Causes: []string{
			"two remotes' names or aliases overlap, so request ids would be ambiguous",
		},
		Fix:     "Choose names and aliases that are not prefixes of one another.",
		Example: `remote "cart": "cart" overlaps "cart" of remote "cart-v2", so request ids could not be matched unambiguously; choose names and aliases that are not prefixes of one another`,
	},
	{
		Code:     RemoteLoadFailed,
		Happened: "A remote could not be loaded after its retries. The host keeps running; the remote's slot shows a fallback.",
		Causes: []string{
			"the remote's server is down or returns an error",
			"the remote's origin does not allow CORS from the host",
			"the exposed module threw while it ran",
			"the container's `get(expose)` failed for another reason than a missing expose: most often a chunk of the expose did not load (webpack's `ChunkLoadError`, `details.error`; its URL in `details.url`)",
		},
		Fix:     "Open the URLs listed in `details.urls` (or `details.url`) from the host's origin; check the remote's server, its `publicPath` and CORS headers. `fedwasm.inspect().remotes` shows each attempt.",
		Example: `remote "cart" could not be loaded after 2 attempt(s) (fetching http://127.0.0.1:8081/cart.js: HTTP 503); tried [http://127.0.0.1:8081/cart.js http://127.0.0.1:8081/cart.js]. Check that it is up and allows CORS from this origin; the host keeps running`,
	},
	{
		Code:     RemoteExposeMissing,
		Happened: "A remote loaded, but does not expose what was asked for.",
		Causes: []string{
			"the request id names an expose the remote does not list (webpack's container answers `Module \"./X\" does not exist in container.`)",
			"`fedwasm.mount` on a module without a `mount(element, props, fedwasm)` export",
		},
		Fix:     "Check the id against the remote's `exposes`, or export `mount` from the module.",
		Example: `loadRemote("cart/Drawer"): remote "cart" does not expose "./Drawer" (no such module); check the id against the remote's exposes`,
	},
	{
		Code:     ImportUnavailable,
		Happened: "The runtime needed a helper that loader.js supplies (dynamic import, the broker) and it is missing.",
		Causes: []string{
			"runtime.wasm was started without loader.js",
			"broker.js is not served beside loader.js",
			"a page imports fedwasm's `mf.js` without `<script src=\".../loader.js\">` on it, so there is no `window.fedwasm` to carry its calls",
		},
		Fix:     "Start the runtime with `<script src=\".../loader.js\">` and serve the whole `dist/fedwasm` directory.",
		Example: `cannot import /vendor/react.js: the runtime was started without loader.js, which supplies import(); start it with <script src=".../loader.js">`,
	},
	{
		Code:     EventNotSerializable,
		Happened: "A cross-tab event or query message could not be sent to other tabs.",
		Causes: []string{
			"the detail holds something other than plain data: a Map, Set, ArrayBuffer, typed array, Blob, Date-less class instance, function, symbol, BigInt, NaN or Infinity (`details.cause` names the first one and where it is)",
			"the message's JSON text is over the size limit (`details.limitCharacters`; the text is what is posted, so what is measured is what other tabs receive)",
			"the detail is cyclic or nested too deeply for JSON",
			"the browser has no BroadcastChannel",
		},
		Fix:     "Send plain data (objects, arrays, strings, finite numbers, booleans, null); encode binary data (for example base64) or keep it in the page; or emit without `crossTab`.",
		Example: `events.emit("cart:add", detail, {crossTab: true}): the message cannot be sent to other tabs (detail.items is a Map: only plain data crosses tabs); send plain data`,
	},
	{
		Code:     EventListenerThrew,
		Happened: "An `events.on` listener threw (a warning). The other listeners still ran.",
		Causes: []string{
			"a bug in the listener",
		},
		Fix:     "Fix the listener; `details.jsMessage` has the exception's text.",
		Example: `an events.on listener threw: TypeError: state.lines is undefined; the other listeners still ran; fix the listener`,
	},
	{
		Code:     CrossTabMessageDropped,
		Happened: "A message from another tab was dropped (a warning).",
		Causes: []string{
			"the other tab runs a fedwasm with another envelope version (a deploy in progress)",
			"the other tab persists a store under another schemaVersion",
			"another page of this origin posts on fedwasm's channels: messages that are not plain JSON text, over the size limit, or more than its budget (`rate-limited`, `queue-full`)",
		},
		Fix:     "Deploy the same fedwasm (and store schemaVersion) to every tab; reloading old tabs ends it. `fedwasm.inspect().broker.dropped` counts drops.",
		Example: `a message on BroadcastChannel "fedwasm" was dropped (version: envelope version 3); every tab must run a fedwasm speaking envelope version 2; inspect().broker.dropped counts drops`,
	},
	{
		Code:     CrossTabRateLimited,
		Happened: "This tab posted more on one BroadcastChannel than other tabs accept, and fedwasm refused the post instead of letting them drop it.",
		Causes: []string{
			"an event emitted with `crossTab` in a loop or on every frame",
			"a persisted store changed many times a second with a large state",
		},
		Fix:     "Send fewer, larger messages (batch in your code), emit without `crossTab` for in-page traffic, or share state through a store. The budget per tab and channel is in `details` (messages and characters per second, and the burst).",
		Example: `events.emit("cursor:move", detail, {crossTab: true}): this tab posted more on BroadcastChannel "fedwasm:events" than other tabs accept (50 messages and 524288 characters a second, bursts of 100); send fewer, larger messages, or share state through a store`,
	},
	{
		Code:     ScopeDisposed,
		Happened: "A call went through a scope that was already disposed.",
		Causes: []string{
			"a remote keeps using its scope after its unmount",
			"a timer or promise outlives the component that started it",
		},
		Fix:     "Stop timers and listeners in unmount, or take a new scope with `fedwasm.scope(owner)`.",
		Example: `this fedwasm scope of "cart" was disposed (or its remote unmounted); take a new one with fedwasm.scope("cart")`,
	},
	{
		Code:     OwnerClaimed,
		Happened: "`fedwasm.scope(owner)` (or `registerRemotes`, or a `mount`) asked for an owner someone else holds. An owner is held by one holder: the host's name by the page's top-level fedwasm, a remote's name by its mounts, any other name by the first `fedwasm.scope(name)` until that scope is disposed.",
		Causes: []string{
			"code takes `fedwasm.scope(name)` a second time instead of keeping the scope it got",
			"a scope names the host or a remote of the config (a remote acts through the scope `fedwasm.mount` hands its `mount`)",
			"code tries to act as another team",
		},
		Fix:     "Keep the scope you were given and use it; dispose it to give the name up. Use an owner name of your own.",
		Example: `fedwasm.scope("cart-team"): owner "cart-team" is held by the fedwasm.scope("cart-team") that claimed it first; only its holder acts as it. Keep the scope you were given, or use an owner name of your own`,
	},
	{
		Code:     OwnerNotHeld,
		Happened: "A call named an owner (the `owner` option of `stores.provide`, `events.on`, `query.connect`, ...) that its caller does not act as.",
		Causes: []string{
			"a scope passes `{ owner }` of another team",
			"the page's top-level fedwasm names the host for a store the config's `ownership.stores` does not give the host",
			"code relies on the owner defaulting to the host's name (it never does)",
		},
		Fix:     "Leave the owner out (a scope acts as its own owner), call through the scope of the owner you mean, or give the store to the host in the config's `ownership.stores`.",
		Example: `the call names owner "cart-team", which its caller does not hold: a scope of "hostile" acts as "hostile" only; act as "cart-team" through the scope its holder was given (fedwasm.scope, or the one fedwasm.mount hands a remote)`,
	},
	{
		Code:     EventOwned,
		Happened: "An event type the config's `ownership.events` gives one owner was emitted by another (refused), or arrived from another tab sent as another (dropped and counted as `not-owner`).",
		Causes: []string{
			"a remote emits another team's event, such as the host's `auth:logout`",
			"the page's top-level fedwasm emits a remote's event (it acts as the host only)",
			"another tab runs a config that gives the type to someone else",
		},
		Fix:     "Emit through the owner's scope (the host's own code through the top-level fedwasm), listen instead, or emit a type of your own.",
		Example: `event type "auth:logout" belongs to "shell" (the config's ownership.events); "cart" cannot emit it. Listen to it instead, or emit an event type of your own`,
	},
	{
		Code:     PluginNotAllowed,
		Happened: "A plugin hook whose return changes what a remote loads (beforeRegisterRemote, registerRemote, beforeRequest, afterResolve, loadEntry, createScript, fetch, loadEntryError, getModuleFactory, onLoad, and errorLoadRemote's afterResolve and beforeLoadShare fallbacks) was skipped for a remote the config's `security.plugins` does not name (a warning, once per plugin, hook and remote); the remote loaded as configured.",
		Causes: []string{
			"a plugin tries to change or replace another team's remote",
			"the config does not list the remote the plugin is meant for (a retry plugin needs every remote it should heal listed)",
		},
		Fix:     "Name the remote in the config's `security.plugins` (`\"*\"` for every remote) if the host wants plugins to change how it loads.",
		Example: `plugin "wrap" was not run in onLoad for remote "cart": the config's security.plugins does not name "cart"; the remote loads as configured`,
	},
	{
		Code:     PluginHookUnsupported,
		Happened: "A plugin given to `fedwasm.use` or `init({ plugins })` has a Module Federation 2.0 hook fedwasm never calls (a warning, once per plugin and hook, in the console, `inspect().warnings` and a `fedwasm:warning` event). `details.hook` names it, `details.owner` the MF plugin system that declares it, and `details.reason` why fedwasm has no such step and what to use instead. The plugin is registered and its other hooks run. docs/mf-compatibility.md (Hooks) lists every MF hook and what fedwasm does with it.",
		Causes: []string{
			"a plugin written for @module-federation/runtime uses a hook of a step fedwasm does in Go (snapshot hooks such as loadRemoteSnapshot, container hooks such as beforeInitContainer)",
			"a plugin for @module-federation/bridge-react (beforeBridgeRender, afterBridgeRouteSync)",
		},
		Fix:     "Move the plugin's work to a hook fedwasm calls (the reason names one where there is one), or leave it: the rest of the plugin works.",
		Example: `plugin "tracer" has Module Federation's loadRemoteSnapshot hook, which fedwasm never calls: fedwasm has no such step: fedwasm reads mf-manifest.json itself (federation/remote) and keeps no MF snapshot objects to hand a plugin. The plugin's other hooks run`,
	},
	{
		Code:     PluginHookFailed,
		Happened: "A plugin's hook threw, rejected, did not settle within the load's time limit (`retry.timeoutMs`), or returned a value its hook cannot take (a waterfall hook's object without every key of its input: Module Federation's \"A plugin returned an unacceptable value for the \"<type>\" type.\"). The failure is contained as Module Federation contains it: in a waterfall hook of `loadRemote` (beforeRequest, afterResolve) it is the load's error and goes to errorLoadRemote; anywhere else it is a warning, the hook counts as returning nothing, and the rest goes on. `details.plugin`, `details.hook` and `details.cause` say which and why.",
		Causes: []string{
			"a bug in the plugin (it reads a field fedwasm's argument object does not have)",
			"a waterfall listener returns a new object without spreading its input (`return { id }` in place of `return { ...args, id }`)",
			"a plugin's promise never settles",
		},
		Fix:     "Fix the plugin (spread the argument object in waterfall hooks), or remove it.",
		Example: `plugin "rewrite"'s beforeRequest hook returned a value it cannot take: A plugin returned an unacceptable value for the "beforeRequest" type.; fedwasm went on as Module Federation does. Fix the plugin, or remove it`,
	},
	{
		Code:     RemoteContainerMissing,
		Happened: "A `var`-type remote's script loaded but defined no container (a global with init and get).",
		Causes: []string{
			"the remote's `library.name` differs from the name the host expects",
			"the remote is an ES module but registered with type `var`",
			"the script threw before it defined the container: `details.cause` is the exception (given where the browser shows it: a same-origin entry, or one run with CORS, as under an integrity or `security.allowedOrigins`)",
		},
		Fix:     "Set `entryGlobalName` to the remote's library name, or register it with `type: \"module\"`; for an exception, fix the remote's entry (the console shows its stack).",
		Example: `remote "legacy": http://127.0.0.1:8083/remoteEntry.js loaded but defined no container window.legacy with init and get; check the remote's library name (entryGlobalName) and type`,
	},
	{
		Code:     RemoteInitFailed,
		Happened: "A remote container's `init(shareScope)` threw.",
		Causes: []string{
			"the remote requires a shared version the scope cannot give (webpack's own strictVersion check)",
			"the container was initialized twice with different scopes",
		},
		Fix:     "Check the remote's `shared` config against what the host provides (`fedwasm check`).",
		Example: `remote "legacy": its container's init(shareScope) threw: Error: Unsatisfied version 17.0.2 of shared singleton module react (required ^18.0.0); the remote cannot share modules with this host. Check its shared config`,
	},
	{
		Code:     RemoteInvalidManifest,
		Happened: "A remote's `mf-manifest.json` (or Native Federation `remoteEntry.json`) could not be used.",
		Causes: []string{
			"the manifest lacks `metaData.remoteEntry` or `publicPath`",
			"the URL serves HTML (an SPA fallback) instead of the manifest",
			"a `remoteEntry.json` names a file that is not beside it (`../`, `/`, `//`, a URL, a query or an escape in an `outFileName`), a package name that is a path, an expose key without `./`, a missing `version`, or integrity that is not SRI",
		},
		Fix:     "Open the manifest URL and check the field named in `details.field`; rebuild the remote with a Module Federation 2 plugin that writes it, or with `@softarc/native-federation`, which writes `remoteEntry.json`'s files beside it.",
		Example: `the manifest http://127.0.0.1:8081/mf-manifest.json field metaData.remoteEntry.name is missing`,
	},
	{
		Code:     IntegrityMismatch,
		Happened: "A remote's entry or manifest does not match its configured sha384 integrity; it was not run.",
		Causes: []string{
			"the remote was redeployed but the registry still publishes the old integrity",
			"a proxy or CDN changed the file",
		},
		Fix:     "Publish the new integrity with the new build (the registry computes it), or fix what serves the file.",
		Example: `remote "cart": http://127.0.0.1:8081/cart.js does not match its integrity (integrity: sha384 digest differs); the remote was not run. Publish the new integrity with the new build, or fix what serves it`,
	},
	{
		Code:     IntegrityRequired,
		Happened: "`security.requireIntegrity` is on and a remote has no integrity, or a manifest remote's integrity cannot cover its entry: the manifest gives no `metaData.remoteEntry.integrity`. The remote was not loaded.",
		Causes: []string{
			"the remote was added by hand without its digest",
			"a manifest remote is pinned, but its mf-manifest.json (MF 2.0's has no digest of its entry) names no integrity for the entry",
		},
		Fix:     "Add the remote's sha384 integrity (the registry computes it) or turn requireIntegrity off; for a pinned manifest, publish the entry's sha384 integrity as `metaData.remoteEntry.integrity` in the manifest, or configure the remote by its entry URL with its integrity.",
		Example: `remote "cart" has no integrity, and security.requireIntegrity is on; add its sha384 integrity to the config (the registry computes it)`,
	},
	{
		Code:     IntegrityUnavailable,
		Happened: "A remote has an integrity but the page cannot compute digests, so the remote was not used.",
		Causes: []string{
			"the host is served over plain http from a non-localhost address: browsers give `crypto.subtle` only to secure contexts",
		},
		Fix:     "Serve the host over https (or from localhost).",
		Example: `remote "cart": http://10.0.0.5:8081/cart.js has an integrity, which could not be checked (crypto.subtle is not available), so it was not used. Browsers give crypto.subtle only to secure contexts: serve the host over https (or from localhost)`,
	},
	{
		Code:     OriginNotAllowed,
		Happened: "A URL a remote's code or manifest would come from is not an http(s) URL on an origin in `security.allowedOrigins`; nothing was run from it. The check applies where the URL is used: the configured entry, its failover domains, the entry a manifest names, and where a fetch ended after redirects. `data:`, `blob:` and `javascript:` URLs are refused whatever the list says.",
		Causes: []string{
			"a new remote origin was not added to the list",
			"a registry entry points at an unexpected host",
			"a manifest's `metaData.publicPath` or `remoteEntry` points at another origin, or is a `data:`, `blob:` or `javascript:` URL",
			"the entry or manifest redirects to another origin",
			"a `retry.domains` failover origin is not in the list",
		},
		Fix:     "Add the origin to `security.allowedOrigins`, or serve the remote (and what its manifest names, and where it redirects) from an allowed origin.",
		Example: `remote "cart" is served from https://evil.example/cart.js, which is not in security.allowedOrigins [https://cdn.example.com]; add the origin or load the remote from an allowed one`,
	},
	{
		Code:     MountFailed,
		Happened: "A remote's `mount` (or `unmount`) threw. The element shows a fallback and the host keeps running.",
		Causes: []string{
			"the remote's component threw while rendering",
			"the remote expects props the host did not pass",
		},
		Fix:     "Fix the remote's mount; `details.cause` has the exception's text.",
		Example: `fedwasm.mount("cart"): the remote's mount failed: TypeError: props.store is undefined; the element shows a fallback and the host keeps running; fix the remote's mount`,
	},
	{
		Code:     QueryClientInvalid,
		Happened: "`fedwasm.query.connect` got something that is not a usable TanStack Query v5 QueryClient.",
		Causes: []string{
			"a QueryClient from TanStack Query v4 or another library",
			"the same QueryClient connected twice",
		},
		Fix:     "Pass a v5 `new QueryClient()`; call the `disconnect()` the first connect returned before connecting it again.",
		Example: `fedwasm.query.connect: this QueryClient is already connected; call the disconnect() the first connect returned before connecting it again`,
	},
	{
		Code:     QueryHandoffPartial,
		Happened: "A cache hand-off to a new tab left some queries out (a warning); the new tab fetches them itself.",
		Causes: []string{
			"cached data that is not JSON (Dates, Maps, class instances)",
			"a query over the message size limit",
		},
		Fix:     "Keep cached data JSON; large queries are fine to refetch.",
		Example: `a cache hand-off on channel "fedwasm:query" left out 2 queries (not JSON data, or over the 65536-byte message limit); the new tab fetches them itself`,
	},
	{
		Code:     PersistUnreadable,
		Happened: "A persisted store's saved data could not be read (a warning); the store started from its defaults and the data was moved aside.",
		Causes: []string{
			"the storage key holds data written by something else",
			"the data was saved under a newer schemaVersion (a rollback)",
			"storage access is blocked (private mode, third-party storage rules)",
		},
		Fix:     "Look at the key named in `details.movedTo`; give the store a `migrate` for old schema versions.",
		Example: `store "cart": the data under storage key "cart" cannot be used (it is not a JSON object ("{oops")); the store starts from its defaults, and the data was kept under "cart:unreadable:1764665000000"`,
	},
	{
		Code:     PersistMigrateFailed,
		Happened: "A persisted store's `migrate(state, fromVersion)` threw or returned something other than the state (a warning).",
		Causes: []string{
			"migrate does not handle the saved version",
			"migrate is async (it must be synchronous)",
		},
		Fix:     "Make migrate synchronous and handle every older schemaVersion; the old data was kept aside.",
		Example: `store "cart": the data under storage key "cart" cannot be used (persist.migrate(state, 1) failed: it returned undefined, not the state object (migrate must be synchronous)); the store starts from its defaults, and the data was kept under "cart:unreadable:1764665000000"`,
	},
	{
		Code:     PersistWriteFailed,
		Happened: "A persisted store could not save its state (a warning); it keeps working in memory.",
		Causes: []string{
			"storage quota exceeded",
			"the state is not JSON-serializable",
		},
		Fix:     "Free storage space or keep the persisted state JSON.",
		Example: `a persisted store could not write its state: QuotaExceededError: the quota has been exceeded; the store keeps working in memory; free storage space or make the state JSON-serializable`,
	},
	{
		Code:     DevtoolsOverride,
		Happened: "Module Federation's Chrome devtools (their proxy) redirect a remote of this host to another entry, and the runtime loads the remote from there (a warning, so the page says it is not running the configured remote). The override is read from `localStorage.__MF_DEVTOOLS__` when the runtime starts; `details` names the remote, the configured entry and the one used.",
		Causes: []string{
			"a developer set a proxy rule in the devtools' Proxy tab (e.g. the remote's dev server on `http://localhost:3001`)",
			"a proxy rule left over in this origin's localStorage",
		},
		Fix:     "Nothing to fix while developing; clear the rule in the devtools (or remove `__MF_DEVTOOLS__` from localStorage) to load the configured remote again. See `docs/devtools.md`.",
		Example: `remote "cart" is loaded from http://localhost:3001/mf-manifest.json, not its configured entry https://cart.example/mf-manifest.json: Module Federation's devtools redirect it (localStorage.__MF_DEVTOOLS__)`,
	},
	{
		Code:     DevtoolsOverrideRefused,
		Happened: "Module Federation's Chrome devtools (their proxy) name another entry for a remote of this host, and the runtime does not use it: the remote loads from its configured entry (a warning). `details.reason` says why: `origin` (the URL fails `security.allowedOrigins`, or is not an http(s) URL), `integrity` (the remote is pinned by `integrity` or `security.requireIntegrity` is on: a pin names the configured bytes, and an override carries none), `version` (the rule names a version, which only MF's snapshot service can turn into an entry; fedwasm takes entry URLs only) or `invalid` (the URL is no entry).",
		Causes: []string{
			"the dev server's origin (`http://localhost:3001`) is not in `security.allowedOrigins`",
			"the remote has an `integrity` in the config, or the config sets `security.requireIntegrity`",
			"the proxy rule is a version (`1.2.3`) rather than an entry URL",
		},
		Fix:     "To develop against a local remote, add its origin to `security.allowedOrigins` in a development config (never in production's), drop the remote's `integrity` there, and give the proxy rule the full URL of its `mf-manifest.json` or `remoteEntry.js`. See `docs/devtools.md`.",
		Example: `Module Federation's devtools redirect remote "cart" to http://localhost:3001/mf-manifest.json, which was not used: remote "cart" is served from http://localhost:3001/mf-manifest.json, which is not in security.allowedOrigins [https://cart.example]; add the origin or load the remote from an allowed one; it loads from https://cart.example/mf-manifest.json`,
	},
	{
		Code:     InitNameMismatch,
		Happened: "A later `init` (Module Federation 2.0's `init` or `createInstance` from fedwasm's `mf.js`, or `fedwasm.initOptions`) named another host than the one the page was initialized as, and nothing of it was applied. A page has one host, so one name; Module Federation refuses a name change of an instance the same way (its RUNTIME-010, which `details.mfCode` carries). `details.name` is the name given, `details.initialized` the page's.",
		Causes: []string{
			"two parts of the page call `init` with different `name`s (a copy-pasted config, a library that initializes its own instance)",
			"`createInstance({ name: 'other' })` for a second instance beside the page's: fedwasm runs one runtime per page",
		},
		Fix:     "Call `init` again with the page's name to add remotes, shared modules and plugins (they merge); keep one host name per page.",
		Example: `init(config) names the host "other", but this page is initialized as "shell" (Module Federation's RUNTIME-010: the name of an instance cannot change); a page has one host: call init with the name "shell" to add remotes, shared modules and plugins`,
	},
}

// Anchor is where code is documented, relative to the repository root
// (and to the npm package, which ships docs/errors.md).
func Anchor(code string) string {
	return "docs/errors.md#" + strings.ToLower(code)
}
