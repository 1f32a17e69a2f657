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
const NativeTypeError = TypeError;
const NativeRangeError = RangeError;
const NativeBroadcastChannel = typeof BroadcastChannel === 'function' ? BroadcastChannel : null;
const NativeMessageChannel = MessageChannel;
const { apply } = Reflect;
const { slice } = String.prototype;
const { stringify } = JSON;
const { getPrototypeOf, prototype: objectPrototype } = Object;
const objectToString = Object.prototype.toString;
const { isArray } = Array;
const { isFinite: isFiniteNumber } = Number;
const { min } = Math;
const now = performance.now.bind(performance);
const later = setTimeout;
const cancel = clearTimeout;

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
// something (batched per microtask), received(id, text) for a message from
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
// already connected. handoffMs bounds how long handoff waits for other tabs;
// rules and dropped are crossTabChannel's, for the channel it listens on.
export function connectQuery(client, id, channelName, tab, invalidated, received, released, handoffMs, rules, dropped) {
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

  const channel = crossTabChannel(channelName, tab, rules, (text) => received(id, text), dropped);

  let live = true;
  const disconnect = () => {
    if (!live) return;
    live = false;
    clearTimeout(handoffTimer);
    resolveHandoff({ answered: false, applied: 0 });
    try {
      unsubscribe();
      if (channel) channel.close();
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

// ---- Cross-tab channels ----------------------------------------------------
//
// Every message between tabs is posted as {v, tab, text}: text is the
// message's JSON, so the size a receiving tab checks is the size that was
// posted, and only plain data travels. The rules (sizes, budgets, reasons) are
// Go's (broker.CrossTabRules); this is where they run, because they run on
// every message and a call into Go costs tens of microseconds.

// plainJSON returns value's JSON text, or throws a TypeError naming the first
// thing in it that is not plain data (objects and arrays of strings, finite
// numbers, booleans and null; undefined is left out, as JSON leaves it out).
// A Map, Set, ArrayBuffer or Blob would become "{}" in JSON, and
// postMessage would clone it whole: neither is what the sender meant. The
// walk stops with a RangeError past maxValues values or maxDepth levels
// (Go's limits.Values and limits.ValueDepth): JSON.stringify alone would
// walk whatever length a Proxy claims.
export function plainJSON(value, where, maxValues, maxDepth) {
  let values = 0;
  const depths = new WeakMap(); // object → its depth
  return stringify(value, function plainOnly(key, v) {
    const at = () => (key === '' ? where : `${where} → ${isArray(this) ? `[${key}]` : stringify(key)}`);
    if (++values > maxValues) throw new NativeRangeError(`${where} holds more than ${maxValues} values`);
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return v;
      case 'number':
        if (!isFiniteNumber(v)) throw new NativeTypeError(`${at()} is ${v}: JSON cannot carry it`);
        return v;
      case 'object': {
        if (v === null) return v;
        if (!isArray(v)) {
          const proto = getPrototypeOf(v);
          if (proto !== objectPrototype && proto !== null) {
            const kind = apply(slice, apply(objectToString, v, []), [8, -1]);
            throw new NativeTypeError(`${at()} is ${kind === 'Object' ? 'a class instance' : `a ${kind}`}: only plain data crosses tabs`);
          }
        }
        const depth = (key === '' ? 0 : depths.get(this) ?? 0) + 1;
        if (depth > maxDepth) throw new NativeRangeError(`${where} is nested more than ${maxDepth} levels deep`);
        depths.set(v, depth);
        return v;
      }
      default:
        throw new NativeTypeError(`${at()} is a ${typeof v}: only plain data crosses tabs`);
    }
  });
}

// A budget's state: a token bucket for messages and one for characters.
function fullBudget(budget, t) {
  return { messages: budget.messages.burst, characters: budget.characters.burst, at: t };
}

// spend takes one message of length characters from state if budget allows
// it now (t), refilling first; it reports whether it did.
function spend(state, budget, length, t) {
  const dt = (t - state.at) / 1000;
  state.at = t;
  state.messages = min(budget.messages.burst, state.messages + dt * budget.messages.perSecond);
  state.characters = min(budget.characters.burst, state.characters + dt * budget.characters.perSecond);
  if (state.messages < 1 || state.characters < length) return false;
  state.messages -= 1;
  state.characters -= length;
  return true;
}

// idle reports whether state would be full again by t (its sender can be forgotten).
function idle(state, budget, t) {
  const dt = (t - state.at) / 1000;
  return state.messages + dt * budget.messages.perSecond >= budget.messages.burst &&
    state.characters + dt * budget.characters.perSecond >= budget.characters.burst;
}

// crossTabChannel opens BroadcastChannel name for this tab (tab is its id)
// under rules (broker.CrossTabRules). deliver(text, fromTab) gets each message
// another tab posted that the rules admit, in order, at most rules.sliceMs of
// them per task (with deliver null the channel only posts); dropped(reason,
// count, error, name) hears about the rest, at once for the first of each
// reason and then at most every rules.reportEveryMs. It
// returns {post(text) → '' or the reason it was refused, close()}, or null
// where the browser has no BroadcastChannel.
export function crossTabChannel(name, tab, rules, deliver, dropped) {
  if (NativeBroadcastChannel === null) return null;
  const channel = new NativeBroadcastChannel(name);
  const own = fullBudget(rules.send, now());
  const all = fullBudget(rules.allSenders, now());
  const senders = new Map(); // tab id → its budget's state, at most rules.maxSenders
  const overflow = fullBudget(rules.perSender, now()); // shared by senders beyond that
  const queue = [];
  let head = 0;
  let draining = false;
  let live = true;
  // The queue drains in tasks of a MessageChannel: unlike timers, they are
  // not held back in a background tab.
  const tasks = deliver !== null ? new NativeMessageChannel() : null;
  const nextTask = () => tasks.port2.postMessage(null);

  const counts = new Map(); // reason → drops not reported yet
  const reported = new Set(); // reasons reported at least once
  let firstErrors = new Map(); // reason → the first unreported drop's error
  let reportTimer = null;
  const report = () => {
    reportTimer = null;
    const pending = counts;
    const errors = firstErrors;
    for (const [reason, n] of pending) {
      try {
        dropped(reason, n, errors.get(reason), name);
      } catch {
        // the runtime's bookkeeping must not stop delivery
      }
    }
    pending.clear();
    firstErrors = new Map();
  };
  const drop = (reason, why) => {
    counts.set(reason, (counts.get(reason) || 0) + 1);
    if (!firstErrors.has(reason)) firstErrors.set(reason, new NativeError(why));
    if (!reported.has(reason)) {
      reported.add(reason);
      if (reportTimer !== null) cancel(reportTimer);
      report();
    } else if (reportTimer === null) {
      reportTimer = later(report, rules.reportEveryMs);
    }
  };

  const budgetOf = (sender, t) => {
    let state = senders.get(sender);
    if (state) return state;
    if (senders.size >= rules.maxSenders) {
      for (const [id, s] of senders) if (idle(s, rules.perSender, t)) senders.delete(id);
    }
    if (senders.size >= rules.maxSenders) return overflow;
    state = fullBudget(rules.perSender, t);
    senders.set(sender, state);
    return state;
  };

  const drain = () => {
    const start = now();
    try {
      while (head < queue.length && live) {
        const m = queue[head];
        queue[head++] = undefined;
        try {
          deliver(m.text, m.tab);
        } catch {
          // deliver reports its own failures; the next message still goes
        }
        if (now() - start >= rules.sliceMs) break;
      }
    } finally {
      if (head >= queue.length) {
        queue.length = 0;
        head = 0;
        draining = false;
      } else {
        nextTask();
      }
    }
  };

  const receive = (event) => {
    const data = event.data;
    if (data === null || typeof data !== 'object') return drop(rules.badShape, `a ${data === null ? 'null' : typeof data}, not {v, tab, text}`);
    const { v, tab: sender, text } = data;
    if (v !== rules.version) {
      return typeof v === 'number'
        ? drop(rules.unknownVersion, `envelope version ${v}, this runtime speaks ${rules.version}`)
        : drop(rules.badShape, 'not {v, tab, text}: no version');
    }
    if (typeof sender !== 'string' || sender === '' || sender.length > rules.maxTabLength) return drop(rules.badShape, 'no sending tab id of 1 to ' + rules.maxTabLength + ' characters');
    if (typeof text !== 'string') return drop(rules.notJSON, `the message is a ${typeof text}, not JSON text`);
    if (sender === tab) return; // this tab's own post, on another of its channels
    if (text.length > rules.maxLength) return drop(rules.tooLarge, `a message of ${text.length} characters exceeds ${rules.maxLength}`);
    const t = now();
    if (!spend(budgetOf(sender, t), rules.perSender, text.length, t)) return drop(rules.rateLimited, `tab ${sender} went over its budget`);
    if (!spend(all, rules.allSenders, text.length, t)) return drop(rules.rateLimited, 'the tabs together went over the channel\'s budget');
    if (queue.length - head >= rules.maxQueued) return drop(rules.queueFull, `${rules.maxQueued} messages were already waiting`);
    queue.push({ text, tab: sender });
    if (!draining) {
      draining = true;
      nextTask();
    }
  };
  if (deliver !== null) {
    channel.onmessage = receive;
    tasks.port1.onmessage = drain;
  }

  return {
    post(text) {
      if (!live) return rules.badShape;
      if (text.length > rules.maxLength) return rules.tooLarge;
      if (!spend(own, rules.send, text.length, now())) return rules.rateLimited;
      channel.postMessage({ v: rules.version, tab, text });
      return '';
    },
    close() {
      live = false;
      channel.close();
      if (tasks !== null) {
        // An open port keeps its channel, and what its handler reaches, alive.
        tasks.port1.onmessage = null;
        tasks.port1.close();
        tasks.port2.close();
      }
      if (reportTimer !== null) cancel(reportTimer);
      if (counts.size > 0) report();
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

const laterStamp = (a, b) => a.writtenAt > b.writtenAt || (a.writtenAt === b.writtenAt && a.tab > b.tab);

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
  const write = (text) => {
    try {
      storage.setItem(key, text);
    } catch (err) {
      report(rules.writeFailed, err, id);
    }
  };
  const receive = (text) => {
    const { env, reason, error } = readPersistEnvelope(text, schemaVersion, rules);
    if (!env) {
      report(reason, error, id);
      return;
    }
    if (env.tab === tab) return;
    if (laterStamp(env, last)) {
      last = { writtenAt: env.writtenAt, tab: env.tab };
      lastText = text;
      applying = true;
      try {
        store.setState(env.state);
      } finally {
        applying = false;
      }
    } else if (lastText !== null && laterStamp(last, env)) {
      write(lastText); // the sender's write may have replaced our later state in storage
    }
  };
  const channel = crossTabChannel('fedwasm:persist:' + key, tab, rules.crossTab, receive,
    (reason, n, error) => report(reason, error, id, n));
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
    // Too large or over this tab's budget (post refuses both): storage has
    // it, and other tabs read it there when they load; they are not told now.
    if (channel) channel.post(text);
  });
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
