/**
 * Types of fedwasm's mf.js: the functions @module-federation/runtime 2.9.3 exports for a page, with its
 * signatures (the option and result types mirror @module-federation/runtime-core's), carried out by
 * fedwasm's runtime (window.fedwasm). See docs/mf-compatibility.md, "Exports", for what each supports.
 */

/** A module as Module Federation types it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Module = any;

/** How a remote's entry is read: MF's 'global' (its default) is fedwasm's 'var'. */
export type RemoteEntryType = 'var' | 'global' | 'module' | 'esm' | 'manifest' | (string & {});

export interface RemoteInfoCommon {
  alias?: string;
  /** One share scope; a list of one is that scope (a list of several is refused: CONFIG_INVALID). */
  shareScope?: string | string[];
  type?: RemoteEntryType;
  entryGlobalName?: string;
}
/** A remote by its entry (mf-manifest.json or remoteEntry.js). */
export interface RemoteWithEntry { name: string; entry: string }
/** A remote by version only: MF's snapshot service resolves those, fedwasm refuses them (CONFIG_INVALID). */
export interface RemoteWithVersion { name: string; version: string }
export type Remote = (RemoteWithEntry | RemoteWithVersion) & RemoteInfoCommon;

export interface SharedConfig {
  singleton?: boolean;
  requiredVersion: false | string;
  eager?: boolean;
  strictVersion?: boolean;
  layer?: string | null;
}
/** Module Federation's get: a factory of the module, or a Promise of one. */
export type SharedGetter = (() => () => Module) | (() => Promise<() => Module>);
export interface SharedBaseArgs {
  version?: string;
  shareConfig?: SharedConfig;
  scope?: string | Array<string>;
  deps?: Array<string>;
  strategy?: 'version-first' | 'loaded-first';
  loaded?: boolean;
  treeShaking?: unknown;
}
export type ShareArgs = (SharedBaseArgs & { get: SharedGetter }) | (SharedBaseArgs & { lib: () => Module }) | SharedBaseArgs;
export type ShareStrategy = 'version-first' | 'loaded-first';

/**
 * A Module Federation runtime plugin (runtime-core's ModuleFederationRuntimePlugin is one): fedwasm.use
 * registers it, and window.fedwasm's types (fedwasm.d.ts) type its hooks.
 */
export interface RuntimePlugin {
  name: string;
  version?: string;
}

export interface UserOptions {
  /** The instance's id; mf.js keeps it on the instance. */
  id?: string;
  /** The host's name: one per page (a later init with another name rejects INIT_NAME_MISMATCH, MF's RUNTIME-010). */
  name: string;
  /** The instance's version; mf.js keeps it on the instance. */
  version?: string;
  remotes: Array<Remote>;
  shared?: { [pkgName: string]: ShareArgs | ShareArgs[] };
  plugins?: Array<RuntimePlugin>;
  shareStrategy?: ShareStrategy;
}

/** What a consumer asks loadShare for: customShareInfo's rules (scope, shareConfig) apply. */
export interface LoadShareExtraOptions {
  from?: 'build' | 'runtime';
  customShareInfo?: Partial<{ version: string; shareConfig: SharedConfig; scope: Array<string> | string; from: string }>;
  /** Not carried: the runtime chooses (docs/mf-compatibility.md). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolver?: (sharedOptions: any[]) => unknown;
  context?: unknown;
}

export interface PreloadRemoteArgs {
  nameOrAlias: string;
  exposes?: Array<string>;
  resourceCategory?: 'all' | 'sync';
  share?: boolean;
  depsRemote?: boolean | Array<Omit<PreloadRemoteArgs, 'depsRemote'>>;
  filter?: (assetUrl: string) => boolean;
  recordPreloadedAssets?: boolean;
}

/** An instance: a view of the page's one runtime under the host's name. */
export interface ModuleFederation {
  readonly name: string;
  /** The options it was created with. */
  readonly options: UserOptions;
  /** Merges options into the page's config (as a later init does); calls made after it wait for it. */
  initOptions(userOptions: UserOptions): void;
  loadShare<T>(pkgName: string, extraOptions?: LoadShareExtraOptions): Promise<false | (() => T | undefined)>;
  loadShareSync<T>(pkgName: string, extraOptions?: LoadShareExtraOptions): () => T | never;
  loadRemote<T>(id: string, options?: { loadFactory?: boolean; from: 'build' | 'runtime' }): Promise<T | null>;
  preloadRemote(preloadOptions: Array<PreloadRemoteArgs>): Promise<void>;
  registerPlugins(plugins: UserOptions['plugins']): void;
  registerRemotes(remotes: Remote[], options?: { force?: boolean }): void;
  registerShared(shared: UserOptions['shared']): void;
}

/** A new instance on the page's runtime (the first initializes it); it does not become getInstance()'s. */
export declare function createInstance(options: UserOptions): ModuleFederation;
/** Initializes the page (the first call) or merges options into it (a later one, same name); sets the default instance. */
export declare function init(options: UserOptions): ModuleFederation;
export declare function loadRemote<T>(...args: Parameters<ModuleFederation['loadRemote']>): Promise<T | null>;
/** A factory of the module, or false when customShareInfo was given and no provider matches. */
export declare function loadShare<T>(...args: Parameters<ModuleFederation['loadShare']>): Promise<false | (() => T | undefined)>;
export declare function loadShareSync<T>(...args: Parameters<ModuleFederation['loadShareSync']>): () => T | never;
export declare function preloadRemote(...args: Parameters<ModuleFederation['preloadRemote']>): ReturnType<ModuleFederation['preloadRemote']>;
export declare function registerRemotes(...args: Parameters<ModuleFederation['registerRemotes']>): ReturnType<ModuleFederation['registerRemotes']>;
export declare function registerPlugins(...args: Parameters<ModuleFederation['registerPlugins']>): ReturnType<ModuleFederation['registerRemotes']>;
export declare function getInstance(): ModuleFederation | null;
export declare function getInstance(finder: (instance: ModuleFederation) => boolean): ModuleFederation | null;
export declare function registerShared(...args: Parameters<ModuleFederation['registerShared']>): ReturnType<ModuleFederation['registerShared']>;
