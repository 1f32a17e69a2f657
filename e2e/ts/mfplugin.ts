// A plugin typed with Module Federation's own type is a fedwasm Plugin:
// fedwasm.use and init({ plugins }) take it unchanged.
import type { ModuleFederationRuntimePlugin } from '@module-federation/runtime-core';
import type { Fedwasm, Plugin } from '../../loader/fedwasm';

declare const fedwasm: Fedwasm;

const retryLike: ModuleFederationRuntimePlugin = {
  name: 'retry-like',
  async fetch(url, init) {
    return fetch(url, init);
  },
  async loadEntryError({ remoteInfo }) {
    console.log('entry failed', remoteInfo.entry);
    return undefined;
  },
  async getModuleFactory({ remoteEntryExports, expose }) {
    return remoteEntryExports?.get(expose);
  },
  beforeRequest(args) {
    return args;
  },
  errorLoadRemote({ lifecycle }) {
    return lifecycle === 'onLoad' ? () => 'fallback' : undefined;
  },
};

fedwasm.use(retryLike);
const plugins: Plugin[] = [retryLike];
void fedwasm.init({ name: 'shell', plugins });

// @ts-expect-error a plugin's name is a string
fedwasm.use({ name: 42 });
// @ts-expect-error a hook is a function
fedwasm.use({ name: 'x', fetch: 'https://example.com' });
