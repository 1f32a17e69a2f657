// fedwasm's Module Federation 2.0 runtime API: the functions
// @module-federation/runtime 2.9.3 exports for a page (init, loadRemote,
// loadShare, …), with its signatures and results, carried out by fedwasm's
// runtime through window.fedwasm. A page written for @module-federation/runtime
// changes its import and nothing else:
//
//   import { init, loadRemote } from '/fedwasm/mf.js'; // was '@module-federation/runtime'
//
// (or maps '@module-federation/runtime' to this file in its import map), with
// <script src="/fedwasm/loader.js"></script> on the page before its modules.
// This module only translates shapes: every rule (what a second init merges,
// which names conflict, which shared module a consumer gets) is the runtime's
// (docs/mf-compatibility.md, "Exports").

// noMatch is what loadShare's fallback gives when the runtime finds no
// provider for a consumer with customShareInfo: Module Federation's false.
const noMatch = Object.freeze({});

const coded = (code, message, details) => Object.assign(
  new Error(`${message} (see docs/errors.md#${code.toLowerCase()})`), { code, details });

// runtime is window.fedwasm, which loader.js publishes (a stand-in whose calls
// wait in line until the runtime runs).
const runtime = () => {
  const api = globalThis.fedwasm;
  if (api && typeof api.initOptions === 'function') return api;
  throw coded('IMPORT_UNAVAILABLE', "fedwasm's mf.js found no window.fedwasm: add <script src=\".../loader.js\"></script> to the page before its modules (without data-config when the page calls init itself)",
    { module: 'mf.js' });
};

const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';

// Module Federation's get resolves to a factory (() => module); fedwasm's
// get to the module.
const callFactory = (factory) => {
  if (typeof factory !== 'function') {
    throw new TypeError(`a shared module's get() must give a factory (() => module), as in Module Federation; it gave ${factory === null ? 'null' : typeof factory}`);
  }
  return factory();
};
const moduleGet = (get) => () => {
  const factory = get();
  return isThenable(factory) ? factory.then(callFactory) : callFactory(factory);
};
const shareEntry = (args) => (args && typeof args.get === 'function' ? { ...args, get: moduleGet(args.get) } : args);
const sharedArgs = (shared) => {
  if (!shared || typeof shared !== 'object') return shared; // the runtime says what is wrong
  const out = {};
  for (const pkg of Object.keys(shared)) {
    const entries = shared[pkg];
    out[pkg] = Array.isArray(entries) ? entries.map(shareEntry) : shareEntry(entries);
  }
  return out;
};

// config is UserOptions as the runtime's config object: id and version name
// the instance (mf.js keeps them on it), shared entries' get is translated,
// everything else goes as it is.
const config = (options) => {
  if (!options || typeof options !== 'object') return options;
  const { id, version, ...rest } = options;
  if ('shared' in rest) rest.shared = sharedArgs(rest.shared);
  return rest;
};

// consumeOptions is loadShare's customShareInfo as the runtime's options.
const consumeOptions = (info, fallback) => {
  const rules = (info && info.shareConfig) || {};
  const opts = {};
  for (const [key, value] of [['requiredVersion', rules.requiredVersion], ['singleton', rules.singleton],
    ['strictVersion', rules.strictVersion], ['scope', info.scope], ['from', info.from], ['fallback', fallback]]) {
    if (value !== undefined) opts[key] = value;
  }
  return opts;
};

// A ModuleFederation instance: a view of the page's one runtime, under the
// host's name.
class ModuleFederation {
  constructor(options) {
    const { name, id, version } = options || {};
    this.name = name;
    this.options = { ...options, id: id || '', version };
    this.applied = null;
    this.settled = false;
    this.initOptions(options);
  }

  // initOptions applies options as the runtime's init (the first) or a merge
  // (a later one); the calls made after it wait for it.
  initOptions(userOptions) {
    const api = runtime();
    const options = config(userOptions); // read now, as MF does: the page may change its object later
    const applied = (this.applied || Promise.resolve()).catch(() => {}).then(() => api.initOptions(options));
    this.applied = applied;
    this.settled = false;
    const settle = () => { if (this.applied === applied) this.settled = true; };
    applied.then(settle, (err) => {
      settle();
      console.error('[fedwasm] mf.js: init failed; the calls made after it reject with this error:', err);
    });
  }

  // whenApplied makes a call that answers at once after the init under way,
  // or now when none is.
  whenApplied(call) {
    if (this.settled) return call();
    this.applied.then(call).catch((err) => console.error('[fedwasm] mf.js: a call made while init was under way failed:', err));
    return undefined;
  }

  async loadRemote(id, options) {
    await this.applied;
    const module = await runtime().loadRemote(id);
    return options && options.loadFactory === false ? () => module : module;
  }

  async loadShare(pkgName, extraOptions) {
    await this.applied;
    const info = extraOptions && extraOptions.customShareInfo;
    const module = await runtime().loadShare(pkgName, info ? consumeOptions(info, () => noMatch) : undefined);
    return module === noMatch ? false : () => module;
  }

  loadShareSync(pkgName, extraOptions) {
    const info = extraOptions && extraOptions.customShareInfo;
    const module = runtime().loadShareSync(pkgName, info ? consumeOptions(info) : undefined);
    return () => module;
  }

  async preloadRemote(preloadOptions) {
    await this.applied;
    await runtime().preloadRemote(preloadOptions); // it reads MF's { nameOrAlias }
  }

  registerRemotes(remotes, options) {
    return this.whenApplied(() => { runtime().registerRemotes(remotes, options); });
  }

  registerShared(shared) {
    return this.whenApplied(() => { runtime().registerShared(sharedArgs(shared)); });
  }

  registerPlugins(plugins) {
    return this.whenApplied(() => { for (const plugin of plugins || []) runtime().use(plugin); });
  }
}

const instances = [];
// The instance init made or found: the module-level functions act on it.
let defaultInstance = null;

const instanceOrThrow = () => {
  if (defaultInstance) return defaultInstance;
  throw coded('NOT_INITIALIZED', "[ Federation Runtime ]: Please call createInstance first. #RUNTIME-009 (fedwasm's mf.js: call init(options) before this function; createInstance returns an instance whose methods work, but, as in Module Federation, only init sets the one these functions use)",
    { mfCode: 'RUNTIME-009' });
};

export function createInstance(options) {
  const instance = new ModuleFederation(options);
  instances.push(instance);
  return instance;
}

export function init(options) {
  const found = instances.find((instance) => instance.name === (options && options.name));
  if (!found) {
    defaultInstance = createInstance(options);
    return defaultInstance;
  }
  found.initOptions(options);
  if (!defaultInstance) defaultInstance = found;
  return found;
}

export function getInstance(finder) {
  if (!finder) return defaultInstance;
  return instances.find(finder) || null;
}

export function loadRemote(...args) { const i = instanceOrThrow(); return i.loadRemote(...args); }
export function loadShare(...args) { const i = instanceOrThrow(); return i.loadShare(...args); }
export function loadShareSync(...args) { const i = instanceOrThrow(); return i.loadShareSync(...args); }
export function preloadRemote(...args) { const i = instanceOrThrow(); return i.preloadRemote(...args); }
export function registerRemotes(...args) { const i = instanceOrThrow(); return i.registerRemotes(...args); }
export function registerShared(...args) { const i = instanceOrThrow(); return i.registerShared(...args); }
export function registerPlugins(...args) { const i = instanceOrThrow(); return i.registerPlugins(...args); }
