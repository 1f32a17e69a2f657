// fedwasm broker primitives: the parts of the state and messaging broker that
// run on every update, so they must stay in JS (a call into Go costs ~9 µs).
// loader.js imports this module while runtime.wasm compiles and hands it to
// the Go runtime, which decides who is connected to what and routes the rare
// messages (invalidations, cache hand-offs); these functions do the rest.
//
// Each export takes plain callbacks and returns a function that undoes what it
// set up, so the runtime can release everything an owner registered.

// Intrinsics as they were when the runtime started: page code that replaces
// them later does not change what reportingGet does.
const NativeError = Error;
const { apply } = Reflect;
const { slice } = String.prototype;

// tracked wraps undo so that it runs once and then tells released(id), which
// keeps the runtime's per-owner counts true however it is called: directly
// by the micro-frontend, or by a scope's dispose().
export function tracked(undo, released, id) {
  let live = true;
  return () => {
    if (!live) return;
    live = false;
    try {
      undo();
    } finally {
      released(id);
    }
  };
}

// listen adds a window listener for eventName that calls handler(detail,
// event) and passes a throw to report(err, id), so the other listeners still
// run. The returned off() removes it (once).
export function listen(eventName, handler, report, released, id) {
  const listener = (event) => {
    try {
      handler(event.detail, event);
    } catch (err) {
      report(err, id);
    }
  };
  window.addEventListener(eventName, listener);
  return tracked(() => window.removeEventListener(eventName, listener), released, id);
}

// subscribe subscribes listener to a store whose subscribe returns its
// unsubscribe function (zustand, and most stores), and tracks it. Updates go
// from the store to the listener directly.
export function subscribe(store, listener, released, id) {
  return tracked(store.subscribe(listener), released, id);
}

// ---- TanStack Query coordination (fedwasm.query.connect) ----------------
//
// connectQuery hooks one QueryClient into the runtime. Everything here runs on
// query-cache events or fetches, so it stays in JS; the runtime is called only
// for what it routes: invalidated(id, keys) when this client invalidated
// something (batched per microtask), received(id, message) for a message from
// another tab, and released(id) once disconnect() ran.

// Fetches in flight per channel name and queryHash, shared by every client
// connected on that channel in this tab: the same key at the same moment is
// fetched once.
const queryFlights = new Map();
// Clients connected now; a client is connected at most once.
const connectedClients = new WeakSet();

const isAbort = (err) => err !== null && typeof err === 'object' && err.name === 'AbortError';

// sharedFetch runs own() unless a fetch of hash is already in flight on this
// channel, in which case it shares that one's outcome. If the shared fetch was
// aborted by its own query, this query fetches for itself.
function sharedFetch(flights, hash, own) {
  const running = flights.get(hash);
  if (running) return running.catch((err) => (isAbort(err) ? own() : Promise.reject(err)));
  let promise;
  try {
    promise = Promise.resolve(own());
  } catch (err) {
    promise = Promise.reject(err);
  }
  flights.set(hash, promise);
  const clear = () => { if (flights.get(hash) === promise) flights.delete(hash); };
  promise.then(clear, clear);
  return promise;
}

// connectQuery returns the connection's handle, or null when client is
// already connected. handoffMs bounds how long handoff waits for other tabs.
export function connectQuery(client, id, channelName, tab, invalidated, received, released, handoffMs) {
  if (connectedClients.has(client)) return null;
  connectedClients.add(client);
  let flights = queryFlights.get(channelName);
  if (!flights) queryFlights.set(channelName, (flights = new Map()));

  // Fetch dedupe: a default behavior whose onFetch wraps the query's fetchFn
  // (query-core's Query.fetch calls options.behavior.onFetch(context, query)
  // before each fetch, and then runs context.fetchFn).
  const previousDefaults = client.getDefaultOptions();
  const previousBehavior = previousDefaults.queries && previousDefaults.queries.behavior;
  const behavior = {
    onFetch(context, query) {
      if (previousBehavior && typeof previousBehavior.onFetch === 'function') previousBehavior.onFetch(context, query);
      const own = context.fetchFn;
      context.fetchFn = () => sharedFetch(flights, query.queryHash, own);
    },
  };
  const installedDefaults = { ...previousDefaults, queries: { ...previousDefaults.queries, behavior } };
  client.setDefaultOptions(installedDefaults);

  // Invalidation detection. invalidateQueries is wrapped on the instance so a
  // key is reported even when this client holds no query under it; other
  // invalidations (query.invalidate(), predicate filters) are seen as cache
  // events ('updated' with action 'invalidate') and reported by exact key.
  let applying = false; // applying a remote invalidation: report nothing
  let reporting = false; // inside the wrapper, which reported already
  let pending = [];
  const report = (key) => {
    if (pending.length === 0) {
      queueMicrotask(() => {
        const keys = pending;
        pending = [];
        if (live) invalidated(id, keys);
      });
    }
    pending.push(key);
  };
  const originalInvalidate = client.invalidateQueries;
  const wrappedInvalidate = function invalidateQueries(filters, options) {
    if (applying || reporting || (filters && typeof filters.predicate === 'function')) {
      return originalInvalidate.call(this, filters, options);
    }
    report({ queryKey: (filters && filters.queryKey) || [], exact: Boolean(filters && filters.exact) });
    reporting = true;
    try {
      return originalInvalidate.call(this, filters, options);
    } finally {
      reporting = false;
    }
  };
  client.invalidateQueries = wrappedInvalidate;
  const unsubscribe = client.getQueryCache().subscribe((event) => {
    if (applying || reporting || event.type !== 'updated' || event.action.type !== 'invalidate') return;
    report({ queryKey: event.query.queryKey, exact: true });
  });

  let resolveHandoff;
  const handoff = new Promise((resolve) => { resolveHandoff = resolve; });
  const handoffTimer = setTimeout(() => resolveHandoff({ answered: false, applied: 0 }), handoffMs);

  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event) => {
    const data = event.data;
    if (data !== null && typeof data === 'object' && data.tab === tab) return; // this tab's own post
    received(id, data);
  };

  let live = true;
  const disconnect = () => {
    if (!live) return;
    live = false;
    clearTimeout(handoffTimer);
    resolveHandoff({ answered: false, applied: 0 });
    try {
      unsubscribe();
      channel.close();
      if (client.invalidateQueries === wrappedInvalidate) delete client.invalidateQueries;
      const now = client.getDefaultOptions();
      if (now === installedDefaults) {
        client.setDefaultOptions(previousDefaults);
      } else if (now.queries && now.queries.behavior === behavior) {
        const queries = { ...now.queries };
        if (previousBehavior) queries.behavior = previousBehavior;
        else delete queries.behavior;
        client.setDefaultOptions({ ...now, queries });
      }
    } finally {
      connectedClients.delete(client);
      released(id);
    }
  };
  disconnect.handoff = handoff;

  return {
    disconnect,
    // apply invalidates keys ([{queryKey, exact}]) here without reporting them.
    apply(keys) {
      if (!live) return;
      applying = true;
      try {
        for (const k of keys) originalInvalidate.call(client, { queryKey: k.queryKey, exact: k.exact });
      } finally {
        applying = false;
      }
    },
    // snapshot lists the successful queries, newest first, for another tab.
    snapshot() {
      return client.getQueryCache().getAll()
        .filter((q) => q.state.status === 'success' && q.state.data !== undefined)
        .sort((a, b) => b.state.dataUpdatedAt - a.state.dataUpdatedAt)
        .map((q) => ({ queryKey: q.queryKey, data: q.state.data, dataUpdatedAt: q.state.dataUpdatedAt }));
    },
    // hydrate applies another tab's cache where it is newer than ours.
    hydrate(entries) {
      if (!live) return 0;
      let applied = 0;
      for (const e of entries) {
        const state = client.getQueryState(e.queryKey);
        if (state && state.data !== undefined && state.dataUpdatedAt >= e.dataUpdatedAt) continue;
        client.setQueryData(e.queryKey, e.data, { updatedAt: e.dataUpdatedAt });
        applied++;
      }
      clearTimeout(handoffTimer);
      resolveHandoff({ answered: true, applied });
      return applied;
    },
  };
}

// ---- Persisted stores (fedwasm.stores.provide(..., {persist})) ----------
//
// persistStore writes the store's state to storage under key on every change,
// as {schemaVersion, state, writtenAt, tab}, and posts the same text to the
// other tabs on BroadcastChannel "fedwasm:persist:<key>". A tab applies a
// remote write with store.setState when its stamp (writtenAt, then tab id)
// is later than the stamp of the state it holds, so every tab converges to the
// same state; a tab that holds a later state writes it to storage again, so
// storage converges too. Applied writes are never posted back. report(reason,
// err, id) tells the runtime about a dropped message or a failed write. rules
// are Go's (broker.PersistRules): the broadcast size limit and the reasons.

const later = (a, b) => a.writtenAt > b.writtenAt || (a.writtenAt === b.writtenAt && a.tab > b.tab);

// persistEnvelope is the text a persisted store writes and posts: the one
// builder of the envelope, which Go's broker.ReadPersisted reads back.
export function persistEnvelope(schemaVersion, state, writtenAt, tab) {
  return JSON.stringify({ schemaVersion, state, writtenAt, tab });
}

// readPersistEnvelope checks a posted envelope the way Go's
// broker.ReadPersisted checks stored text (an agreement test holds them to
// the same answers): {schemaVersion: integer, state: object, writtenAt?:
// number, tab?: string}, null meaning absent. It returns {env} or
// {reason, error} with reason one of rules' drop reasons.
export function readPersistEnvelope(data, schemaVersion, rules) {
  if (typeof data !== 'string') return { reason: rules.badShape, error: new Error('not a persist envelope: a ' + typeof data + ', not JSON text') };
  if (data.length > rules.maxLength) return { reason: rules.tooLarge, error: new Error(`a persist envelope of ${data.length} characters exceeds ${rules.maxLength}`) };
  let env;
  try {
    env = JSON.parse(data);
  } catch (err) {
    return { reason: rules.badShape, error: err };
  }
  const absent = (v) => v === undefined || v === null;
  if (env === null || typeof env !== 'object' || Array.isArray(env) ||
    !Number.isInteger(env.schemaVersion) || Math.abs(env.schemaVersion) > 0x7fffffff ||
    env.state === null || typeof env.state !== 'object' || Array.isArray(env.state) ||
    !(absent(env.writtenAt) || typeof env.writtenAt === 'number') || !(absent(env.tab) || typeof env.tab === 'string')) {
    return { reason: rules.badShape, error: new Error('not a persist envelope {schemaVersion, state, writtenAt, tab}') };
  }
  if (env.schemaVersion !== schemaVersion) {
    return { reason: rules.unknownVersion, error: new Error(`schemaVersion ${env.schemaVersion}, this store's is ${schemaVersion}`) };
  }
  return { env: { schemaVersion: env.schemaVersion, state: env.state, writtenAt: env.writtenAt ?? 0, tab: env.tab ?? '' } };
}

export function persistStore(store, storage, key, schemaVersion, tab, stamp, rules, report, released, id) {
  let last = { writtenAt: stamp.writtenAt, tab: stamp.tab };
  let lastText = null; // the envelope of the state this tab holds, once written or received
  let applying = false;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('fedwasm:persist:' + key) : null;
  const write = (text) => {
    try {
      storage.setItem(key, text);
    } catch (err) {
      report(rules.writeFailed, err, id);
    }
  };
  const unsubscribe = store.subscribe((state) => {
    if (applying) return;
    last = { writtenAt: Math.max(Date.now(), last.writtenAt + 1), tab };
    let text;
    try {
      text = persistEnvelope(schemaVersion, state, last.writtenAt, tab);
    } catch (err) {
      report(rules.writeFailed, err, id);
      return;
    }
    lastText = text;
    write(text);
    if (channel && text.length <= rules.maxLength) channel.postMessage(text);
  });
  if (channel) {
    channel.onmessage = (event) => {
      const { env, reason, error } = readPersistEnvelope(event.data, schemaVersion, rules);
      if (!env) {
        report(reason, error, id);
        return;
      }
      if (env.tab === tab) return;
      if (later(env, last)) {
        last = { writtenAt: env.writtenAt, tab: env.tab };
        lastText = event.data;
        applying = true;
        try {
          store.setState(env.state);
        } finally {
          applying = false;
        }
      } else if (lastText !== null && later(last, env)) {
        write(lastText); // the sender's write may have replaced our later state in storage
      }
    };
  }
  return tracked(() => {
    unsubscribe();
    if (channel) channel.close();
  }, released, id);
}

// ---- The live share scope ------------------------------------------------
//
// reportingGet wraps the get() of a share scope entry so that each call first
// tells took(id, stack) who called it, then returns what get returns.
// webpack's and MF 2.0's runtimes call get() without saying which container
// they are; the call stack's next script is the consuming container's file.
// A failing report never fails the get.
export function reportingGet(get, took, id) {
  return function get_() {
    try {
      const stack = new NativeError().stack;
      took(id, typeof stack === 'string' ? apply(slice, stack, [0, maxStackLength]) : '');
    } catch {
      // the report is bookkeeping: the container still gets its module
    }
    return apply(get, this, arguments);
  };
}

// maxStackLength bounds the stack text handed to the runtime (page code can
// make a stack as long as it likes with Error.prepareStackTrace).
const maxStackLength = 16384;
