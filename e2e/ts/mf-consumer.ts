// Code written for @module-federation/runtime 2.9.3, typed with
// @module-federation/runtime-core's own types, against loader/mf.d.ts:
// `tsc --noEmit` checks that it compiles once its import names fedwasm's
// mf.js, that mf.js's functions have MF's signatures where they must match
// (each is assigned to the type @module-federation/runtime declares for it),
// and that misuse is caught.
import type { ModuleFederation as MFInstance, ModuleFederationRuntimePlugin, UserOptions as MFUserOptions, types } from '@module-federation/runtime-core';
import * as mf from '../../loader/mf';
import { createInstance, getInstance, init, loadRemote, loadShare, loadShareSync, preloadRemote, registerPlugins, registerRemotes, registerShared } from '../../loader/mf';

// @module-federation/runtime's own declarations (its dist/index.d.ts), from runtime-core's types.
declare function mfLoadRemote<T>(...args: Parameters<MFInstance['loadRemote']>): Promise<T | null>;
declare function mfLoadShare<T>(...args: Parameters<MFInstance['loadShare']>): Promise<false | (() => T | undefined)>;
declare function mfLoadShareSync<T>(...args: Parameters<MFInstance['loadShareSync']>): () => T | never;
declare function mfPreloadRemote(...args: Parameters<MFInstance['preloadRemote']>): ReturnType<MFInstance['preloadRemote']>;
declare function mfRegisterRemotes(...args: Parameters<MFInstance['registerRemotes']>): ReturnType<MFInstance['registerRemotes']>;
declare function mfRegisterPlugins(...args: Parameters<MFInstance['registerPlugins']>): ReturnType<MFInstance['registerRemotes']>;
declare function mfRegisterShared(...args: Parameters<MFInstance['registerShared']>): ReturnType<MFInstance['registerShared']>;

// Every function taking what MF's takes and giving what MF's gives.
export const signatures: {
  loadRemote: typeof mfLoadRemote;
  loadShare: typeof mfLoadShare;
  loadShareSync: typeof mfLoadShareSync;
  preloadRemote: typeof mfPreloadRemote;
  registerRemotes: typeof mfRegisterRemotes;
  registerPlugins: typeof mfRegisterPlugins;
  registerShared: typeof mfRegisterShared;
  init: (options: MFUserOptions) => unknown;
  createInstance: (options: MFUserOptions) => unknown;
} = mf;

interface ReactLike { createElement(type: string): unknown }

// The options of bench/app/src/mf-runtime/index.js, typed as MF types them.
const singleton = (version: string, get: types.SharedGetter): types.ShareArgs =>
  ({ version, get, shareConfig: { singleton: true, requiredVersion: `^${version}` } });
const options: MFUserOptions = {
  name: 'host',
  remotes: [
    { name: 'cart', entry: 'http://127.0.0.1:8081/cart/remoteEntry.js' },
    { name: 'products', entry: 'http://127.0.0.1:8081/products/remoteEntry.js', type: 'global', shareScope: ['default'] },
  ],
  shared: {
    react: singleton('19.1.0', () => import('./consumer').then((m) => () => m)),
    zustand: [{ version: '5.0.0', lib: () => ({}) }],
  },
  shareStrategy: 'version-first',
};

declare const retry: ModuleFederationRuntimePlugin;
declare const remotes: types.Remote[];
declare const preloads: types.PreloadRemoteArgs[];

export async function page(): Promise<void> {
  const instance = init(options);
  const again = init({ ...options, plugins: [retry] });
  const same: boolean = instance === again;
  void same;
  const Cart = await loadRemote<{ mount(el: Element): void }>('cart/Cart');
  Cart?.mount(document.body);
  const factory = await loadRemote<() => ReactLike>('cart/Cart', { loadFactory: false, from: 'runtime' });
  void factory;
  const react = await loadShare<ReactLike>('react', { customShareInfo: { shareConfig: { singleton: true, requiredVersion: '^19.0.0' } } });
  if (react !== false) react()?.createElement('div');
  const sync: () => ReactLike = loadShareSync<ReactLike>('react');
  void sync().createElement;
  await preloadRemote(preloads);
  await preloadRemote([{ nameOrAlias: 'cart', exposes: ['./Cart'], resourceCategory: 'sync' }]);
  registerRemotes(remotes, { force: true });
  registerRemotes([{ name: 'legacy', entry: 'http://127.0.0.1:8081/legacy.js', type: 'var', alias: 'old' }]);
  registerPlugins([retry]);
  registerShared(options.shared);
  const other = createInstance({ name: 'host', remotes: [] });
  const found = getInstance((i) => i.name === 'host');
  const current = getInstance();
  void [other.loadShareSync<ReactLike>('react'), found?.options.name, current?.name];
}

export function misuse(): void {
  // @ts-expect-error name is required, as in UserOptions
  init({ remotes: [] });
  // @ts-expect-error remotes is required, as in UserOptions
  init({ name: 'host' });
  // @ts-expect-error a shared entry's get gives a factory (or a Promise of one), not a version
  registerShared({ react: { version: '19.1.0', get: () => '19.1.0' } });
  // @ts-expect-error preloadRemote takes PreloadRemoteArgs, not names
  void preloadRemote(['cart']);
  // @ts-expect-error loadShare's result is a factory or false, never the module itself
  void loadShare<ReactLike>('react').then((m) => m.createElement('div'));
}
