// TypeScript types of window.fedwasm (docs/ARCHITECTURE.md describes the API). They grow with it:
// only what the runtime implements is typed here.

export type RequiredVersion = string | false;

export interface ShareConfig {
  singleton?: boolean;
  requiredVersion?: RequiredVersion;
  strictVersion?: boolean;
  eager?: boolean;
}

/** One provided version of a shared package. Give exactly one of get, lib or import. */
export interface ShareArgs<M = unknown> {
  version: string;
  get?: () => M | Promise<M>;
  /**
   * The module, or MF 2.0's form () => module, called once when the module is first wanted: a
   * function is always taken as that form, so a module that is itself a function is given as
   * () => fn.
   */
  lib?: M | (() => M);
  import?: string;
  shareConfig?: ShareConfig;
  scope?: string;
  from?: string;
}

export interface ConsumeOptions<M = unknown> {
  requiredVersion?: RequiredVersion;
  singleton?: boolean;
  strictVersion?: boolean;
  /**
   * The share scope, or Module Federation 2.0's list of them: the first listed scope that holds
   * the package is used (the first when none does); at most 16 names.
   */
  scope?: string | string[];
  /** Who is asking (shown by inspect()); defaults to the host's name. */
  from?: string;
  fallback?: () => M | Promise<M>;
}

/** 'global' is Module Federation 2.0's name for 'var' (a classic script that sets a global), read as 'var'. */
export type RemoteType = 'var' | 'global' | 'module' | 'esm' | 'manifest';

export interface Remote {
  name: string;
  /**
   * The entry's URL, or webpack's "global@url": the container's global name, "@", then an absolute
   * http(s) URL or a path to a .js, .mjs, .cjs or .json file (the global becomes entryGlobalName).
   */
  entry: string;
  /**
   * Without it the entry's path decides (.json: manifest; .js, .mjs, .cjs: var), ignoring query and
   * fragment; a path without those suffixes is fetched once and its Content-Type decides (JSON: manifest).
   * A manifest is MF 2.0's mf-manifest.json or Native Federation's remoteEntry.json (its exposes are
   * ES modules; loadRemote('name/Expose') imports one).
   */
  type?: RemoteType;
  alias?: string;
  integrity?: string;
  /**
   * The share scope the container is initialized with. MF 2.0's list form is taken with one name;
   * a container gets one scope in fedwasm, so a list of several is refused (CONFIG_INVALID).
   */
  shareScope?: string | [string];
  entryGlobalName?: string;
}

/**
 * The object form of remotes: remote name → webpack's and MF 2.0's "global@url", or what Native
 * Federation's federation.manifest.json gives (a remoteEntry.json URL, or { url, integrity }), so
 * that file is a config's remotes as it is.
 */
export type RemoteMap = Record<string, `${string}@${string}` | `${string}.json` | NativeFederationManifestRemote>;

/** A remote in Native Federation's federation.manifest.json (v4's FederationManifest). */
export interface NativeFederationManifestRemote {
  /** Its remoteEntry.json. */
  url: string;
  /** The remoteEntry.json's Subresource Integrity; each file it names is then pinned by its integrity map. */
  integrity?: string;
}

export interface Config {
  name: string;
  bootstrap?: string;
  shareStrategy?: 'version-first' | 'loaded-first';
  /** get and lib only in an object passed to init (a config file is JSON): init keeps them. */
  shared?: Record<string, ShareArgs | ShareArgs[]>;
  remotes?: Remote[] | RemoteMap;
  /** MF 2.0's plugins, in an object passed to init: each is registered as fedwasm.use(plugin) registers it. */
  plugins?: Plugin[];
  /** How remote entries and manifests are fetched again; without it: 2 retries, 300 ms doubling, 8 s per attempt. */
  retry?: {
    times?: number;
    delayMs?: number;
    timeoutMs?: number;
    /** Origins to fail over to, e.g. "https://cdn2.example.com". */
    domains?: string[];
  };
  security?: {
    /** Only these origins may serve remotes. */
    allowedOrigins?: string[];
    /** A remote without an integrity hash is an error. */
    requireIntegrity?: boolean;
    /** CSP nonce for scripts the runtime adds (import map, remote entries); defaults to loader.js's own nonce. */
    nonce?: string;
    /**
     * The remotes whose loads fedwasm.use plugins may change (beforeRequest, afterResolve, onLoad);
     * "*" for every remote. Without it, none: those hooks are skipped for a remote not named here
     * (a PLUGIN_NOT_ALLOWED warning). errorLoadRemote runs for every failed load.
     */
    plugins?: string[];
  };
  /**
   * What one owner alone may do. An owner is the host (its name: the host's code acts through the
   * page's top-level fedwasm, for what this block gives the host), a remote (its name: its code acts
   * through the scope fedwasm.mount hands its mount), or another name (held by the one
   * fedwasm.scope(name) that claimed it, until that scope is disposed).
   */
  ownership?: {
    /** Store name → its owner: no one else provides it (STORE_OWNED). */
    stores?: Record<string, string>;
    /** Event type → the owner that alone emits it (EVENT_OWNED); another tab's from a different sender are dropped ("not-owner"). */
    events?: Record<string, string>;
  };
}

/** One entry of the live, webpack-shaped share scope: scope[pkg][version]. */
export interface ShareScopeEntry {
  /** Returns a factory, or a Promise of one; calling the factory returns the module. */
  get: () => (() => unknown) | Promise<() => unknown>;
  from: string;
  eager?: boolean;
  loaded?: 0 | 1 | boolean;
}

export type ShareScope = Record<string, Record<string, ShareScopeEntry>>;

// BEGIN FedwasmErrorCode: written by go generate ./federation/errcode from federation/errcode/catalog.go
/** Every code fedwasm's errors and warnings carry; each is documented in docs/errors.md. */
export type FedwasmErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_UNKNOWN_KEY'
  | 'NOT_INITIALIZED'
  | 'SNAPSHOT_DISAGREES'
  | 'ALREADY_INITIALIZED'
  | 'INVALID_ARGUMENT'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL_PANIC'
  | 'JS_EXCEPTION'
  | 'SHARE_NOT_FOUND'
  | 'SHARE_SINGLETON_MISMATCH'
  | 'SHARE_NO_SATISFYING'
  | 'SHARE_INVALID_VERSION'
  | 'SHARE_INVALID_ENTRY'
  | 'SHARE_INVALID_RANGE'
  | 'SHARE_LOAD_FAILED'
  | 'SHARE_NOT_LOADED'
  | 'SHARE_NOT_IMPORTABLE'
  | 'STORE_OWNED'
  | 'STORE_TIMEOUT'
  | 'STORE_VERSION_MISMATCH'
  | 'STORE_INVALID'
  | 'REMOTE_UNKNOWN'
  | 'REMOTE_INVALID'
  | 'REMOTE_LOAD_FAILED'
  | 'REMOTE_EXPOSE_MISSING'
  | 'IMPORT_UNAVAILABLE'
  | 'EVENT_NOT_SERIALIZABLE'
  | 'EVENT_LISTENER_THREW'
  | 'CROSS_TAB_MESSAGE_DROPPED'
  | 'CROSS_TAB_RATE_LIMITED'
  | 'SCOPE_DISPOSED'
  | 'OWNER_CLAIMED'
  | 'OWNER_NOT_HELD'
  | 'EVENT_OWNED'
  | 'PLUGIN_NOT_ALLOWED'
  | 'PLUGIN_HOOK_UNSUPPORTED'
  | 'PLUGIN_HOOK_FAILED'
  | 'REMOTE_CONTAINER_MISSING'
  | 'REMOTE_INIT_FAILED'
  | 'REMOTE_INVALID_MANIFEST'
  | 'INTEGRITY_MISMATCH'
  | 'INTEGRITY_REQUIRED'
  | 'INTEGRITY_UNAVAILABLE'
  | 'ORIGIN_NOT_ALLOWED'
  | 'MOUNT_FAILED'
  | 'QUERY_CLIENT_INVALID'
  | 'QUERY_HANDOFF_PARTIAL'
  | 'PERSIST_UNREADABLE'
  | 'PERSIST_MIGRATE_FAILED'
  | 'PERSIST_WRITE_FAILED'
  | 'DEVTOOLS_OVERRIDE'
  | 'DEVTOOLS_OVERRIDE_REFUSED'
  | 'INIT_NAME_MISMATCH';
// END FedwasmErrorCode

/** A coded failure or warning as plain data; message ends with its docs/errors.md anchor. */
export interface CodedReport {
  code: FedwasmErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** Every failure: a rejected Promise (async calls) or a thrown Error (sync calls). */
export interface FedwasmError extends Error {
  name: 'FedwasmError';
  code: FedwasmErrorCode;
  details: Record<string, unknown>;
}

export type ShareRule =
  | 'highest'
  | 'highest-satisfying'
  /** The singleton instance first handed to a singleton consumer: every later one gets it. */
  | 'in-use'
  | 'already-loaded'
  | 'loaded-first'
  | 'mismatch-allowed'
  | 'fallback'
  /** A container took the entry from the live scope by its own runtime's rules. */
  | 'taken-from-scope';

export interface ProviderReport {
  package: string;
  version: string;
  scope: string;
  from: string;
  eager: boolean;
  /** Evaluated, or handed out to a consumer. */
  loaded: boolean;
  loading: boolean;
  /** This provider's module is the package's singleton instance. */
  inUse: boolean;
}

export interface ConsumerReport {
  package: string;
  scope: string;
  from: string;
  requiredVersion?: string;
  singleton: boolean;
  strictVersion: boolean;
  eager: boolean;
  hasFallback: boolean;
  got?: string;
  gotFrom?: string;
  rule?: ShareRule;
  /** The rule applied to this case, in words: "why this version?". */
  reason?: string;
  warning?: CodedReport;
  error?: CodedReport;
}

export interface Snapshot {
  version: string;
  name: string;
  ready: boolean;
  shareStrategy: 'version-first' | 'loaded-first';
  shares: { scope: string; package: string; providers: ProviderReport[]; consumers: ConsumerReport[] }[];
  /** type is absent while neither the config nor the entry's path says it: loading asks the entry's Content-Type. */
  remotes: (Required<Pick<Remote, 'name' | 'entry'>> & Omit<Remote, 'type' | 'shareScope'> & {
    type?: Exclude<RemoteType, 'global'>;
    shareScope?: string;
    state: 'registered' | 'loading' | 'loaded' | 'failed';
    loadMs?: number;
    requests: number;
    error?: CodedReport;
  })[];
  stores: { name: string; owner?: string; version?: string; provided: boolean; waiting: number }[];
  broker: BrokerReport;
  warnings: CodedReport[];
  /** The registered plugins, in order: the MF hooks each has that fedwasm calls, and those it never calls (PLUGIN_HOOK_UNSUPPORTED). */
  plugins: { name: string; hooks: string[]; unsupported: string[] }[];
}

export interface ProvideStoreOptions<S = unknown> {
  version?: string;
  /**
   * The owner the store is provided as; it must be the caller's own (OWNER_NOT_HELD otherwise): a
   * scope's owner, or for the page's top-level fedwasm the host (for a store the config's
   * ownership.stores gives the host) or "(page)". Leave it out: the caller's owner is the default.
   * The top-level fedwasm provides a store once; its owner's scope may replace it.
   */
  owner?: string;
  /** Keep the store's state in storage and in step across this origin's tabs (stores with getState, setState, subscribe). */
  persist?: PersistOptions<S>;
}

/**
 * A persisted store is written under key as {schemaVersion, state, writtenAt, tab} on every change
 * and posted to the other tabs, which apply it with setState; concurrent writes converge on the
 * latest (writtenAt, then tab id). Data that cannot be used (corrupt, foreign, newer schemaVersion,
 * older without migrate, or a failing migrate) is moved to "<key>:unreadable:<ms>" and reported as a
 * PERSIST_UNREADABLE / PERSIST_MIGRATE_FAILED warning; the store keeps its defaults.
 */
export interface PersistOptions<S = unknown> {
  /** The storage key, such as "shop:cart". */
  key: string;
  /** The shape version of the persisted state, a whole number; bump it when the shape changes. */
  schemaVersion: number;
  /** Turns state written under an older schemaVersion into this one's shape; must be synchronous. */
  migrate?: (state: any, fromVersion: number) => Partial<S>;
  /** Where to keep it; defaults to window.localStorage. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export interface GetStoreOptions {
  requiredVersion?: string;
  timeoutMs?: number;
  /** Who is asking (shown in errors only); defaults to the caller's owner ("(page)" for the top-level fedwasm). */
  owner?: string;
}

export interface Stores {
  provide<S extends object>(name: string, store: S, opts?: ProvideStoreOptions<S extends { getState(): infer T } ? T : unknown>): void;
  get<S = unknown>(name: string, opts?: GetStoreOptions): Promise<S>;
}

export interface EventOptions {
  /** Who listens (inspect() counts per owner): the caller's own owner, which is the default (OWNER_NOT_HELD otherwise). */
  owner?: string;
}

export interface Events {
  /**
   * Listens to the window CustomEvent "fedwasm:<type>" that fedwasm dispatches (events.emit in this
   * page, or another tab's); a look-alike page code dispatches on window itself is not heard.
   * Returns its own off().
   */
  on<D = unknown>(type: string, handler: (detail: D, event: CustomEvent<D>) => void, opts?: EventOptions): () => void;
  /**
   * Dispatches "fedwasm:<type>"; with crossTab, also to this origin's other tabs. What crosses is the
   * message's JSON text, ≤ 65,536 characters: detail must be plain data (objects, arrays, strings,
   * finite numbers, booleans, null; a Map, Set, ArrayBuffer, Blob or class instance is refused with
   * EVENT_NOT_SERIALIZABLE), and a tab posts at most 50 messages and 512 Ki characters a second per
   * channel (bursts of 100 and 1 Mi), beyond which CROSS_TAB_RATE_LIMITED. A type the config's
   * ownership.events gives an owner is emitted by that owner only (EVENT_OWNED).
   */
  emit<D = unknown>(type: string, detail?: D, opts?: { crossTab?: boolean }): void;
}

/** A TanStack Query key (v5: always an array). */
export type QueryKey = readonly unknown[];

export interface QueryConnectOptions {
  /** Who connects (inspect().broker.owners counts a subscription and a channel per client): the caller's own owner, the default. */
  owner?: string;
  /** The BroadcastChannel shared with other tabs; defaults to "fedwasm:query". Clients on one channel also share fetches. */
  channel?: string;
  /** How long disconnect.handoff waits for another tab's cache; defaults to 300. */
  handoffTimeoutMs?: number;
  /**
   * The query key prefixes this client hands to other tabs when they connect, and takes from them
   * (["products"] covers ["products", 1]). Without it the client shares no cache across tabs (it still
   * shares invalidations and in-flight fetches).
   */
  shareable?: readonly QueryKey[];
}

export interface QueryHandoff {
  /** Whether another tab answered within handoffTimeoutMs. */
  answered: boolean;
  /** Queries taken from other tabs (newer than this client's own). */
  applied: number;
}

/** Disconnects the client: unsubscribes, restores its default options, closes its channel. Idempotent. */
export interface QueryDisconnect {
  (): void;
  /** Settles once another tab's cache was applied, or after handoffTimeoutMs. */
  readonly handoff: Promise<QueryHandoff>;
}

/** Any TanStack Query v5 QueryClient (structural, so no dependency on @tanstack/query-core). */
export interface QueryClientLike {
  getQueryCache(): unknown;
  invalidateQueries(filters?: unknown, options?: unknown): Promise<void>;
  getDefaultOptions(): unknown;
  setDefaultOptions(options: any): void;
  setQueryData(queryKey: any, updater: unknown, options?: { updatedAt?: number }): unknown;
  getQueryState(queryKey: any): unknown;
}

export interface Query {
  /**
   * Keeps an isolated QueryClient in step with the other connected clients of this tab and of
   * other tabs: its invalidations reach them (and theirs reach it, never echoed back); the same
   * query fetched by connected clients at the same moment is requested once; on connect it takes
   * the cache of an open tab. Returns disconnect().
   */
  connect(queryClient: QueryClientLike, opts?: QueryConnectOptions): QueryDisconnect;
  /** Invalidates queryKey (and the keys it prefixes) in every connected client of this tab; with crossTab, of other tabs too. */
  invalidate(queryKey: QueryKey, opts?: { crossTab?: boolean }): void;
}

/**
 * The API acting as one owner. Its methods are bound to it: what they register is the owner's, and
 * dispose() releases all of it (and gives a name claimed with fedwasm.scope up). The object and its
 * groups are frozen.
 */
export interface ScopedApi {
  readonly owner: string;
  loadShare<M = unknown>(pkg: string, opts?: ConsumeOptions<M>): Promise<M>;
  loadShareSync<M = unknown>(pkg: string, opts?: ConsumeOptions<M>): M;
  loadRemote<M = unknown>(id: string): Promise<M>;
  readonly stores: Stores & {
    /** Subscribes listener to a store (or a provided store's name); returns its unsubscribe. */
    subscribe<S = unknown>(store: string | { subscribe(listener: (state: S, previous: S) => void): () => void },
      listener: (state: S, previous: S) => void): () => void;
  };
  readonly events: Events;
  /** Query coordination; a client connected through a scope is disconnected by dispose(). */
  readonly query: Pick<Query, 'connect'>;
  /** Releases every listener, subscription and store registered through this scope. Idempotent. */
  dispose(): void;
}

/** What a remote's module exports for fedwasm.mount. */
export interface MountableRemote<P = unknown> {
  mount(element: Element, props: P, fedwasm: ScopedApi): void | { unmount?(): void | Promise<void> } | Promise<void | { unmount?(): void | Promise<void> }>;
}

export interface BrokerReport {
  owners: Record<string, { listeners?: number; subscriptions?: number; channels?: number; stores?: number }>;
  scopes: Record<string, number>;
  emitted: number;
  receivedCrossTab: number;
  dropped: Record<string, number>;
  listenerErrors: number;
}

/**
 * window.fedwasm exists from the loader's first moment. Until the runtime runs, calls wait in line and
 * are made in order once it does: a promise settles then; events.on, query.connect and
 * stores.subscribe return a function that undoes the call whenever it is made; scope(owner) returns a
 * scope whose calls wait in the same line. Calls that answer at once (inspect, shareScope,
 * loadShareSync of a package the server's snapshot did not load) throw NOT_INITIALIZED until Go runs.
 */
export interface Fedwasm {
  readonly version: string;
  /** Settles once the runtime runs with its config (and the calls that waited for it have been made). */
  readonly ready: Promise<void>;
  /** Applies a config: the object, or its JSON text as fetched. With data-config the loader does, once, and other calls reject (ALREADY_INITIALIZED). */
  init(config: Config | string): Promise<void>;
  /**
   * Module Federation 2.0's init (fedwasm's mf.js calls it): the first call initializes the page as init
   * does; a later one merges a config of the same host: its new remotes, shared versions and plugins are
   * added, and bootstrap, shareStrategy, retry, security and ownership may only be repeated unchanged
   * (CONFIG_INVALID). Another name rejects INIT_NAME_MISMATCH (MF's RUNTIME-010).
   */
  initOptions(config: Config | string): Promise<void>;
  registerShared(shared: Record<string, ShareArgs | ShareArgs[]>): void;
  loadShare<M = unknown>(pkg: string, opts?: ConsumeOptions<M>): Promise<M>;
  /** The module when it is already loaded (before the runtime runs: a package the server's snapshot loaded); throws SHARE_NOT_LOADED otherwise (NOT_INITIALIZED before the runtime runs). */
  loadShareSync<M = unknown>(pkg: string, opts?: ConsumeOptions<M>): M;
  /** The live scope object webpack containers get in container.init(scope). */
  shareScope(name?: string): ShareScope;
  registerRemotes(remotes: Remote[] | RemoteMap, opts?: { force?: boolean }): void;
  /** The remote's exposed module. A remote the server's snapshot marks early loads before the runtime runs (it is asked too, once it runs). */
  loadRemote<M = unknown>(id: string): Promise<M>;
  /**
   * Manifest remotes: fetches mf-manifest.json only, and the versions its shared list names take
   * part in choosing (choosing one loads the remote). Other remotes: loads and initializes the entry.
   */
  preloadRemote(names: (string | { nameOrAlias: string })[]): Promise<void>;
  readonly stores: Stores;
  readonly events: Events;
  readonly query: Query;
  /**
   * Claims owner: the API acting as it; dispose() releases all it registered and gives the name up.
   * An owner is held once: while anyone holds it (an earlier scope, the host's name, a remote's
   * name, which its mounts get) the claim throws OWNER_CLAIMED. Keep the scope you get.
   */
  scope(owner: string): ScopedApi;
  /**
   * Loads remote id and calls its mount(element, props, scope); unmount() releases the scope. A remote
   * the server's snapshot marks early is mounted before the runtime runs, with a scope whose calls wait in line.
   */
  mount<P = unknown>(id: string, element: Element, props?: P): Promise<{ unmount(): Promise<void> }>;
  inspect(): Snapshot;
  /** The inspector panel (inspect() drawn, plus a log of every fedwasm:* event); its module loads on the first call. */
  readonly inspector: Inspector;
  /**
   * Registers a Module Federation 2.0 runtime plugin; a second plugin of the same name is ignored.
   * Its hooks that change what loads act only on the remotes the config's security.plugins names.
   */
  use(plugin: Plugin): void;
}

/**
 * The inspector, provided by loader.js. It also opens with ?fedwasm-inspect in
 * the page's URL and toggles with Alt+Shift+F (data-inspector-shortcut="off" on
 * the loader's script tag turns that off).
 */
export interface Inspector {
  open(): Promise<void>;
  close(): Promise<void>;
  toggle(): Promise<void>;
}

/**
 * A Module Federation 2.0 runtime hook. fedwasm calls it as MF does (no this, MF's argument
 * object, origin = window.fedwasm) and applies MF's return rules; the arguments are typed loosely
 * so that a plugin typed ModuleFederationRuntimePlugin (@module-federation/runtime-core) is a Plugin.
 */
export type PluginHook = (...args: any[]) => unknown;

/**
 * A Module Federation 2.0 runtime plugin (fedwasm.use, init({ plugins })). docs/mf-compatibility.md
 * (Hooks) says where fedwasm calls each hook and what its return does. Hooks that change what a
 * remote loads (beforeRequest, afterResolve, onLoad, loadEntry, createScript, fetch, loadEntryError,
 * getModuleFactory) run only for the remotes the config's security.plugins names.
 */
export interface Plugin {
  name: string;
  version?: string;
  /** Accepted for MF compatibility; fedwasm does not call it. */
  apply?: (instance: any) => unknown;
  beforeInit?: PluginHook;
  init?: PluginHook;
  beforeRegisterRemote?: PluginHook;
  registerRemote?: PluginHook;
  beforeRequest?: PluginHook;
  afterResolve?: PluginHook;
  onLoad?: PluginHook;
  afterLoadRemote?: PluginHook;
  handlePreloadModule?: PluginHook;
  errorLoadRemote?: PluginHook;
  beforePreloadRemote?: PluginHook;
  generatePreloadAssets?: PluginHook;
  afterPreloadRemote?: PluginHook;
  loadEntry?: PluginHook;
  beforeLoadShare?: PluginHook;
  loadShare?: PluginHook;
  resolveShare?: PluginHook;
  initContainerShareScopeMap?: PluginHook;
  createScript?: PluginHook;
  fetch?: PluginHook;
  loadEntryError?: PluginHook;
  getModuleFactory?: PluginHook;
  /** MF hooks fedwasm never calls: a plugin that has one gets a PLUGIN_HOOK_UNSUPPORTED warning. */
  beforeInitContainer?: PluginHook;
  initContainer?: PluginHook;
  afterMatchRemote?: PluginHook;
  beforeRegisterShare?: PluginHook;
  afterLoadShare?: PluginHook;
  errorLoadShare?: PluginHook;
  afterRegisterShare?: PluginHook;
  beforeLoadRemoteSnapshot?: PluginHook;
  loadSnapshot?: PluginHook;
  loadRemoteSnapshot?: PluginHook;
  afterLoadSnapshot?: PluginHook;
  beforeLoadManifest?: PluginHook;
  afterLoadManifest?: PluginHook;
  getModuleInfo?: PluginHook;
  createLink?: PluginHook;
  afterLoadEntry?: PluginHook;
  beforeInitRemote?: PluginHook;
  afterInitRemote?: PluginHook;
  beforeGetExpose?: PluginHook;
  afterGetExpose?: PluginHook;
  beforeExecuteFactory?: PluginHook;
  afterExecuteFactory?: PluginHook;
  beforeBridgeRender?: PluginHook;
  afterBridgeRender?: PluginHook;
  beforeBridgeDestroy?: PluginHook;
  afterBridgeDestroy?: PluginHook;
  afterBridgeRouteSync?: PluginHook;
}

export interface RemoteInfo {
  name: string;
  entry: string;
  /** '' when neither the config nor the entry's path says: the entry's Content-Type decides when it loads. */
  type: RemoteType | '';
  entryGlobalName: string;
}

declare global {
  interface Window {
    /** Read-only and non-configurable when loader.js publishes it. */
    readonly fedwasm: Fedwasm;
  }
  var fedwasm: Fedwasm;
  interface WindowEventMap {
    'fedwasm:warning': CustomEvent<FedwasmError>;
    'fedwasm:error': CustomEvent<{ what: string; url: string; error: unknown }>;
  }
}
