// fedwasm loader: the one script tag a host page adds.
//   <script src="/fedwasm/loader.js" data-config="/federation.json"></script>
// It starts compiling runtime.wasm at once, fetches wasm_exec.js and the config
// in parallel (then preloads the shared modules and bootstrap the config names),
// and runs the Go runtime. window.fedwasm exists from the first moment: until
// Go publishes the API, calls wait in line and are made, in order, once it has.
// With the share scope's snapshot the server resolved (written into the page
// by server.Site, or in the config), the bootstrap module is imported at once,
// beside Go's start: the import map and the shared modules are the snapshot's.
// Without one, the bootstrap is imported once Go has initialized the share
// scope. Every failure is shown on the
// page and logged with what failed and its URL; a stalled start is reported too.
// The inspector (inspector.js) is imported only when asked for:
// fedwasm.inspector.open(), ?fedwasm-inspect in the page's URL, or Alt+Shift+F
// (data-inspector-shortcut="off" turns the shortcut off; data-inspector-button
// adds a floating button that opens it, after the page has started).
(() => {
  'use strict';
  // The built-ins every API call goes through, taken before page code can
  // replace them (a script that runs before this one is out of reach): a
  // page that replaces them later must not see the functions of a scope it
  // was not given, get an API object it can change, or pass its own events
  // off as fedwasm's.
  const NativeError = Error;
  const NativeCustomEvent = CustomEvent;
  const { apply } = Reflect;
  const { keys: objectKeys, getPrototypeOf, hasOwn, freeze: objectFreeze, entries: objectEntries, defineProperty, assign: objectAssign, create: objectCreate } = Object;
  const { startsWith: stringStartsWith, slice: stringSlice, includes: stringIncludes } = String.prototype;
  const ObjectPrototype = Object.prototype;
  const { stringify } = JSON;
  const NativePromise = Promise;
  const promiseThen = Promise.prototype.then;
  const resolved = Promise.resolve.bind(Promise);
  const rejected = Promise.reject.bind(Promise);
  const dispatchEvent = window.dispatchEvent.bind(window);
  const script = document.currentScript;
  if (!script) {
    console.error('[fedwasm] loader.js must be loaded with a classic <script src> tag, not as a module');
    return;
  }
  const data = script.dataset;
  const base = script.src;
  const nonce = data.nonce || script.nonce || '';
  const runtimeURL = new URL(data.runtime || 'runtime.wasm', base).href;
  const brokerURL = new URL(data.broker || 'broker.js', base).href;
  const wasmExecURL = new URL(data.wasmExec || 'wasm_exec.js', base).href;
  const inspectorURL = new URL(data.inspector || 'inspector.js', base).href;
  const configURL = data.config ? new URL(data.config, document.baseURI).href : '';
  const startupTimeoutMs = Number(data.timeoutMs || 15000);
  let stage = { what: 'fetching the runtime', url: runtimeURL };
  let failed = false;

  performance.mark('fedwasm:loader-start');

  const fail = (what, url, err) => {
    if (failed) return;
    failed = true;
    const reason = err && err.message ? err.message : String(err);
    const code = err && err.code ? `${err.code}: ` : '';
    const text = `fedwasm: ${what} failed (${url}): ${code}${reason}`;
    console.error(`[${text}]`, err);
    const banner = document.createElement('div');
    banner.id = 'fedwasm-error';
    banner.setAttribute('role', 'alert');
    banner.textContent = text;
    banner.style.cssText = 'position:fixed;left:0;right:0;bottom:0;z-index:2147483647;padding:12px 16px;' +
      'background:#7f1d1d;color:#fff;font:14px/1.4 system-ui,sans-serif;white-space:pre-wrap';
    (document.body || document.documentElement).appendChild(banner);
    dispatch(new CustomEvent('fedwasm:error', { detail: { what, url, error: err } }));
  };

  // Every fedwasm:* event goes through dispatch: to window, and to the taps
  // (the inspector's event log, once it is loaded), whatever its type. It
  // knows the event it is dispatching: fedwasm.events.on hears that one only
  // (see listenToOwn), not a CustomEvent page code dispatches on window
  // itself, which would walk around events.emit's owner check.
  const taps = new Set();
  let dispatching = null; // the event dispatch is sending now: dispatchEvent runs listeners synchronously
  const dispatch = (event) => {
    const outer = dispatching;
    dispatching = event;
    try {
      dispatchEvent(event);
    } finally {
      dispatching = outer;
    }
    for (const tap of taps) {
      try { tap(event); } catch (err) { console.warn('[fedwasm] an event tap threw', err); }
    }
  };

  // The inspector's module is imported on the first call, never at startup.
  let inspectorLoaded = null;
  const loadInspector = () => inspectorLoaded || (inspectorLoaded = import(inspectorURL).then(
    (module) => module.mount({ taps, button: 'inspectorButton' in data }),
    (err) => {
      inspectorLoaded = null;
      throw new Error(`fedwasm: importing the inspector ${inspectorURL} failed: ${err.message}`);
    }));
  const inspector = Object.freeze({
    open: () => loadInspector().then((i) => i.open()),
    close: () => (inspectorLoaded ? inspectorLoaded.then((i) => i.close()) : Promise.resolve()),
    toggle: () => loadInspector().then((i) => i.toggle()),
  });
  if (data.inspectorShortcut !== 'off') {
    document.addEventListener('keydown', (event) => {
      if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyF') {
        event.preventDefault();
        inspector.toggle().catch((err) => console.error('[fedwasm]', err));
      }
    });
  }

  const step = (what, url, promise) => {
    stage = { what, url };
    return promise.catch((err) => {
      const wrapped = err instanceof Error ? err : new Error(String(err));
      wrapped.fedwasmStage = { what, url };
      throw wrapped;
    });
  };

  const fetchOK = async (url, what) => {
    let response;
    try {
      response = await fetch(url, { credentials: 'same-origin' });
    } catch (err) {
      throw new Error(`network error while ${what}: ${err.message}`);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText} while ${what}`);
    return response;
  };

  // The Trusted Types policy "fedwasm" (where the page has Trusted Types):
  // it admits the loader's own files, the classic entries the snapshot lets
  // the loader run early, and any other script URL only if the runtime's
  // check (registered remotes' origins) admits it; as script text, only
  // import maps.
  const host = {};
  const earlyScripts = new Set();
  let ownImportMap = null;
  let policy = null;
  if (window.trustedTypes) {
    try {
      policy = window.trustedTypes.createPolicy('fedwasm', {
        createScriptURL: (url) => {
          if (url === wasmExecURL || earlyScripts.has(url)) return url;
          if (typeof host.admitScriptURL === 'function' && host.admitScriptURL(url) === true) return url;
          throw new TypeError(`fedwasm Trusted Types policy: ${url} is not a registered remote's origin`);
        },
        // Script text only for the runtime's import maps (the runtime's
        // admitScript decides: a JSON object of imports, scopes and
        // integrity, nothing that runs).
        createScript: (text) => {
          if (text === ownImportMap) return text; // the snapshot's map, which the loader wrote itself
          if (typeof host.admitScript === 'function' && host.admitScript(text) === true) return text;
          throw new TypeError('fedwasm Trusted Types policy: only import maps are made into scripts');
        },
      });
    } catch (err) {
      console.warn('[fedwasm] could not create the Trusted Types policy "fedwasm"; add it to the trusted-types CSP directive', err);
    }
  }
  const scriptURL = (url) => (policy ? policy.createScriptURL(url) : url);

  // loadScript runs the classic script at url. A remote's entry (entry) is
  // marked as the runtime marks its own (data-fedwasm-entry: loading, then
  // loaded), so the runtime finds it and runs no second copy, is bound to
  // its integrity, and is removed when it fails, so the runtime loads it
  // afresh.
  const loadScript = (url, entry = null) => new Promise((resolve, reject) => {
    const el = document.createElement('script');
    if (nonce) el.nonce = nonce;
    if (entry) {
      el.async = true;
      el.setAttribute('data-fedwasm-entry', 'loading');
      if (entry.integrity) {
        el.integrity = entry.integrity;
        el.crossOrigin = 'anonymous';
      }
    }
    el.onload = () => {
      if (entry) el.setAttribute('data-fedwasm-entry', 'loaded');
      resolve();
    };
    el.onerror = () => {
      if (entry) el.remove();
      reject(new Error(`the script ${url} could not be loaded`));
    };
    el.src = scriptURL(url);
    document.head.appendChild(el);
  });

  // Specifiers that look like paths resolve against the page, as they would in
  // the page's own code; bare specifiers go to the import map untouched.
  const resolveSpecifier = (spec) =>
    /^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(spec) ? new URL(spec, document.baseURI).href : spec;

  // Go cannot throw into its JS caller, so a synchronous entry point returns
  // its Error marked __fedwasmThrow; this wrapper throws it. The runtime
  // passes every API object it hands out (window.fedwasm, each scope, the
  // scope a remote's mount receives) through wrapApi (host.wrap).
  const rethrowing = (fn) => function fedwasmCall(...args) {
    const result = apply(fn, this, args);
    if (result instanceof NativeError && result.__fedwasmThrow) {
      delete result.__fedwasmThrow;
      throw result;
    }
    return result;
  };
  const wrapApi = (raw, fast = {}) => {
    const api = {};
    for (const [key, value] of objectEntries(raw)) {
      const faster = hasOwn(fast, key) ? fast[key] : undefined;
      if (typeof value === 'function') api[key] = faster ? faster(rethrowing(value)) : rethrowing(value);
      else if (value && typeof value === 'object' && typeof value.then !== 'function') api[key] = wrapApi(value, faster);
      else api[key] = value;
    }
    return objectFreeze(api);
  };

  // Decided calls stay in the page. Once the runtime has decided a call, it
  // settles the decision here, and the same call again is answered in the
  // page without crossing into Go (~50 µs a crossing): the module a
  // singleton consumer got (a singleton handed out stays, so the answer
  // cannot change; the runtime forgets them all when share rules change),
  // and an event type it accepted for emitting. The runtime reads what it
  // must count (takeEmitted) when inspect() runs.
  const maxSettled = 1024;
  const decided = { shares: new Map(), emitTypes: new Set(), emitted: 0 };
  const consumeOptions = ['from', 'scope', 'requiredVersion', 'singleton', 'strictVersion'];
  // shareKey names a loadShare(pkg, opts) call by what decides its answer;
  // null for a call that is not answered in the page (a fallback, odd options).
  const shareKey = (pkg, opts) => {
    try {
      return decidingValues(pkg, opts);
    } catch {
      return null; // a hostile options object (a throwing Proxy trap): the runtime answers with a code
    }
  };
  const decidingValues = (pkg, opts) => {
    if (typeof pkg !== 'string') return null;
    if (opts === undefined) return pkg;
    if (opts === null || typeof opts !== 'object' || getPrototypeOf(opts) !== ObjectPrototype) return null;
    const values = [pkg];
    for (const key of objectKeys(opts)) if (!consumeOptions.includes(key)) return null;
    for (const key of consumeOptions) {
      const value = opts[key];
      if (value !== undefined && typeof value !== 'string' && typeof value !== 'boolean') return null;
      values.push(value);
    }
    return stringify(values);
  };
  const fastPaths = {
    loadShare: (slow) => function loadShare(pkg, opts) {
      const key = shareKey(pkg, opts);
      if (key !== null && decided.shares.has(key)) return resolved(decided.shares.get(key));
      return apply(slow, this, [pkg, opts]);
    },
    loadShareSync: (slow) => function loadShareSync(pkg, opts) {
      const key = shareKey(pkg, opts);
      if (key !== null && decided.shares.has(key)) return decided.shares.get(key);
      return apply(slow, this, [pkg, opts]);
    },
    events: {
      emit: (slow) => function emit(type, detail, opts) {
        if (opts === undefined && decided.emitTypes.has(type)) {
          decided.emitted++;
          dispatch(new NativeCustomEvent('fedwasm:' + type, { detail }));
          return undefined;
        }
        return apply(slow, this, [type, detail, opts]);
      },
    },
  };
  const settle = {
    share: (pkg, opts, module) => {
      const key = shareKey(pkg, opts);
      if (key !== null && decided.shares.size < maxSettled) decided.shares.set(key, module);
    },
    forgetShares: () => decided.shares.clear(),
    forgetEmitTypes: () => decided.emitTypes.clear(),
    emitType: (type) => {
      if (typeof type === 'string' && decided.emitTypes.size < maxSettled) decided.emitTypes.add(type);
    },
    takeEmitted: () => {
      const n = decided.emitted;
      decided.emitted = 0;
      return n;
    },
  };

  // The API's functions and what each returns (federation/surface), and the
  // runtime's version, written in by the build. In loader.js as written it is
  // null, and window.fedwasm appears only when Go publishes it.
  const surface = /* fedwasm:surface */ null;

  // With a snapshot, runtime.wasm compiles once the page has started: while
  // it compiles and Go starts, Chromium holds back the page's own tasks
  // (evaluating its modules, loading its remotes: bench/README.md, "What each
  // step bought"), and the page comes first. Its bytes download at once.
  // runtimeWanted opens the gate: the page has started (pageStarted), there
  // is no snapshot, or page code waits on the runtime (a call in line,
  // fedwasm.ready read).
  let runtimeWanted;
  const runtimeGate = new NativePromise((resolve) => { runtimeWanted = () => resolve(); });
  // The snapshot the loader started from, and whether it still says what a
  // load gets: a call that reroutes loads (surface's reroutes: a share
  // registered, remotes replaced, a plugin) made before the runtime runs
  // ends that, and later loads wait for the runtime.
  let activeSnapshot = null;
  let snapshotCurrent = true;
  // The page has run its start when the bootstrap's import settled (or
  // bootstrapHeadStartMs after it began, for a bootstrap that awaits
  // something at its top level) and no remote it asked for early is still
  // loading; the runtime starts a task later, after what the page does with
  // those remotes (its first render).
  const bootstrapHeadStartMs = 200;
  let bootstrapDone = false;
  let earlyInFlight = 0;
  const pageStarted = () => {
    if (bootstrapDone && earlyInFlight === 0) setTimeout(runtimeWanted, 0);
  };
  const bootstrapRan = () => {
    bootstrapDone = true;
    pageStarted();
  };
  // Calls made before the runtime runs wait in line, each as a function of
  // the API it is made on. The line is drained when the runtime is ready
  // (with data-config; at once without, where the page calls init itself);
  // calls made while it drains join its end, so order holds across the
  // hand-over.
  const line = [];
  let live = null;
  // whenLive runs call once the runtime runs; a call the page waits on
  // (wanted) also lets the runtime start compiling (runtimeWanted).
  const whenLive = (call, wanted = true) => {
    if (live) return call(live);
    if (wanted) runtimeWanted();
    if (line.length >= surface.waiting) {
      throw objectAssign(new NativeError(`fedwasm: ${line.length + 1} calls waiting for the runtime to run, over the limit of ${surface.waiting}; await fedwasm.ready before making more (see docs/errors.md#limit_exceeded)`),
        { code: 'LIMIT_EXCEEDED', details: { where: 'window.fedwasm before the runtime runs', what: 'calls', got: line.length + 1, limit: surface.waiting } });
    }
    return line.push(call);
  };
  const drain = (api) => {
    for (let i = 0; i < line.length; i++) line[i](api);
    line.length = 0;
    live = api;
  };
  const notRunning = (what) => objectAssign(new NativeError(
    `fedwasm.${what}: the runtime is not running yet and this call answers at once; await fedwasm.ready first (see docs/errors.md#not_initialized)`),
    { code: 'NOT_INITIALIZED', details: { call: what } });
  const failedLate = (what, err) => console.error(`[fedwasm] fedwasm.${what}, called before the runtime ran, failed when it ran:`, err);
  const at = (object, parts) => parts.reduce((o, key) => (o == null ? undefined : o[key]), object);

  // standIn is an API object with the functions of list (surface.api or
  // surface.scope), each made on target(api), the runtime's own object, once
  // the line has drained, and answered before that as surface says: a
  // promise, nothing, a release function, a scope, or for a value, what
  // early gives (a share the snapshot resolved) or NOT_INITIALIZED.
  const standIn = (list, target, early) => {
    const api = {};
    for (const { path, returns, settles, reroutes } of list) {
      const parts = path.split('.'); // once: every call after the hand-over goes through call
      const call = (runtime, args) => apply(at(target(runtime), parts), undefined, args);
      // An early answer that cannot be given (hostile arguments make it
      // throw) leaves the call to the runtime, whose errors are coded.
      const answerEarly = early[path] && ((args) => {
        try {
          return early[path](args);
        } catch {
          return undefined;
        }
      });
      let fn;
      if (returns === 'promise') {
        fn = (...args) => {
          if (live) return call(live, args);
          const answer = answerEarly && answerEarly(args);
          if (answer) return answer.promise;
          return new NativePromise((resolve, reject) => whenLive((runtime) => {
            try { resolve(call(runtime, args)); } catch (err) { reject(err); }
          })); // over the limit, whenLive's throw rejects it
        };
      } else if (returns === 'nothing') {
        fn = (...args) => {
          if (live) return call(live, args);
          whenLive((runtime) => { try { call(runtime, args); } catch (err) { failedLate(path, err); } });
          return undefined;
        };
      } else if (returns === 'release') {
        fn = (...args) => {
          if (live) return call(live, args);
          let release = null;
          let undone = false;
          const carried = (settles || []).map((key) => {
            const p = {};
            p.promise = new NativePromise((resolve, reject) => objectAssign(p, { resolve, reject }));
            return [key, p];
          });
          whenLive((runtime) => {
            if (undone) return;
            try {
              release = call(runtime, args);
              for (const [key, p] of carried) p.resolve(release[key]);
            } catch (err) {
              for (const [, p] of carried) p.reject(err);
              failedLate(path, err);
            }
          });
          const undo = () => { if (release) release(); else undone = true; };
          for (const [key, p] of carried) undo[key] = p.promise;
          return undo;
        };
      } else if (returns === 'scope') {
        fn = (...args) => {
          if (live) return call(live, args);
          let scoped = null;
          let refused = null;
          whenLive((runtime) => { try { scoped = call(runtime, args); } catch (err) { refused = err; failedLate(path, err); } }, false);
          const standing = standIn(surface.scope, () => {
            if (refused) throw refused;
            if (!scoped) throw notRunning(`scope(${stringify(String(args[0]))})`);
            return scoped;
          }, {});
          return objectFreeze(objectAssign(standing, { owner: args[0] }));
        };
      } else {
        // Before the line has drained, a share the snapshot loaded is
        // answered from it, and anything else is read from the runtime as
        // soon as Go has published its API (it may not show the calls still
        // waiting in line yet).
        fn = (...args) => {
          if (live) return call(live, args);
          const answer = answerEarly && answerEarly(args);
          if (answer && 'value' in answer) return answer.value;
          if (published) return call(published.api, args);
          runtimeWanted();
          throw notRunning(path);
        };
      }
      if (reroutes) {
        const made = fn;
        fn = (...args) => {
          if (!live) snapshotCurrent = false;
          return apply(made, undefined, args);
        };
      }
      let into = api;
      for (const group of parts.slice(0, -1)) into = hasOwn(into, group) ? into[group] : (into[group] = {});
      into[parts[parts.length - 1]] = fn;
    }
    for (const [, value] of objectEntries(api)) if (value && typeof value === 'object') objectFreeze(value);
    return api;
  };

  // The snapshot the server resolved for this page: written into the page
  // by server.Site, or in the config of a page served statically; null when
  // there is none or it is of a version this loader does not read.
  const readSnapshot = (value, where) => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || value.v !== 1 || typeof value.bootstrap !== 'string' || !Array.isArray(value.shares) ||
      !value.importMap || typeof value.importMap !== 'object') {
      console.warn(`[fedwasm] the snapshot in ${where} is not one this loader reads; the page starts without it`);
      return null;
    }
    return value;
  };
  // server.Site writes the snapshot with the page's CSP nonce; on a page
  // with one, an element without it (markup injected into the page) is not
  // read: the loader imports and runs what a snapshot names.
  const snapshotElement = ((el) => {
    if (!el || !nonce || el.nonce === nonce) return el;
    console.warn('[fedwasm] the page\'s #fedwasm-snapshot does not carry the page\'s nonce, so it is not the server\'s; the page starts without it');
    return null;
  })(document.getElementById('fedwasm-snapshot'));
  let pageSnapshot = null;
  if (snapshotElement) {
    try {
      pageSnapshot = readSnapshot(JSON.parse(snapshotElement.textContent), 'the page');
    } catch (err) {
      console.warn('[fedwasm] the snapshot in the page is not JSON; the page starts without it', err);
    }
  }
  // The shares the snapshot resolved, by scope and package: each the promise
  // of its module, imported as the snapshot's import map maps it, which is
  // the module record the runtime's own import of that URL gets.
  const snapshotShares = new Map();
  const sharesLoaded = new Map();
  // A share handed out from the snapshot is asked of the runtime too once it
  // runs, so it counts the host as its consumer. Where the runtime resolves
  // the package otherwise, it says so when it compares its import map with
  // the snapshot's (SNAPSHOT_DISAGREES); the page keeps the module it got.
  const handedOut = new Set();
  const snapshotShare = ([pkg, opts]) => {
    if (!snapshotCurrent || typeof pkg !== 'string' || opts !== undefined) return undefined;
    const key = 'default\0' + pkg;
    if (!snapshotShares.has(key)) return undefined;
    if (!handedOut.has(key)) {
      handedOut.add(key);
      whenLive((runtime) => apply(promiseThen, runtime.loadShare(pkg), [undefined, (err) => failedLate('loadShare', err)]), false);
    }
    return sharesLoaded.has(key) ? { promise: snapshotShares.get(key), value: sharesLoaded.get(key) } : { promise: snapshotShares.get(key) };
  };

  // The share scope objects of the snapshot's shares, by scope name, made
  // when the loader starts from a snapshot, for the webpack containers it
  // initializes before the runtime runs; Go adopts them (host.shareScopes),
  // and the entries written here (host.snapshotEntries) stand for the host's
  // providers until Go writes its own. An entry has webpack's shape, as Go
  // writes it: get() gives a factory returning the module. It is marked
  // loaded from the start: the import map already commits the page to this
  // module, and webpack's register replaces an entry not yet loaded by a
  // remote's copy of the same version (from a higher uniqueName), which would
  // split the singleton.
  const shareScopes = objectCreate(null);
  const snapshotEntries = [];
  const scopeObject = (name) => shareScopes[name] || (shareScopes[name] = objectCreate(null));
  // Each get() records its caller's stack (stacks: at most surface.takes,
  // each cut to 16 KiB), as broker.js's reportingGet tells the runtime: the
  // runtime names the container that took the entry once it runs
  // (inspect()'s consumers).
  const writeSnapshotEntry = (share, key) => {
    const scope = share.scope || 'default';
    const stacks = [];
    const entry = {
      from: share.from, eager: false, loaded: 1, version: share.version,
      get: () => {
        if (stacks.length < surface.takes) {
          const stack = new NativeError().stack;
          stacks.push(typeof stack === 'string' ? apply(stringSlice, stack, [0, 16384]) : '');
        }
        return sharesLoaded.has(key) ? constant(sharesLoaded.get(key)) : apply(promiseThen, snapshotShares.get(key), [constant]);
      },
    };
    const versions = scopeObject(scope)[share.package] || (scopeObject(scope)[share.package] = objectCreate(null));
    versions[share.version] = entry;
    snapshotEntries.push({ scope, package: share.package, version: share.version, entry, stacks });
  };
  const constant = (module) => () => module;

  // Remotes the snapshot marks early load here before the runtime runs:
  // loadRemote(id) of one proceeds as soon as its module is evaluated. The
  // id is matched as the runtime matches it (federation/remote: the first
  // remote, in config order, whose name or alias is the id or its prefix up
  // to a slash); an id whose remote is not early waits for the runtime.
  const matchRemote = (snapshot, id) => {
    for (const r of snapshot.remotes || []) {
      for (const prefix of [r && r.name, r && r.alias]) {
        if (typeof prefix !== 'string' || !prefix || !apply(stringStartsWith, id, [prefix])) continue;
        const rest = apply(stringSlice, id, [prefix.length]);
        if (rest === '') return { remote: r, expose: '.' };
        if (rest[0] === '/') return { remote: r, expose: '.' + rest };
      }
    }
    return null;
  };
  const isContainer = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') &&
    typeof v.init === 'function' && typeof v.get === 'function';
  // loadEntry runs a classic entry as the runtime does (one marked <script>
  // per URL: loadScript) and takes its container, or imports a module entry
  // (the import map pins its integrity).
  const loadEntry = async (r) => {
    if (r.type !== 'var') return import(r.entry);
    await loadScript(r.entry, r);
    const container = globalThis[r.entryGlobalName];
    if (!isContainer(container)) throw new Error(`${r.entry} defined no container ${r.entryGlobalName}`);
    return container;
  };
  const earlyEntries = new Map(); // remote name → the promise of its initialized container, or module
  // The entry URL of each remote loaded here, by name, for the runtime
  // (host.earlyRemotes), which reports one it resolves elsewhere.
  const earlyRemotes = objectCreate(null);
  const earlyFailed = new Set();
  const remoteModule = async (r, expose) => {
    if (!earlyEntries.has(r.name)) {
      earlyRemotes[r.name] = r.entry;
      earlyEntries.set(r.name, apply(promiseThen, loadEntry(r), [async (entry) => {
        if (isContainer(entry)) await entry.init(scopeObject(r.shareScope || 'default'));
        return entry;
      }]));
    }
    const entry = await earlyEntries.get(r.name);
    if (!isContainer(entry)) {
      if (expose === '.') return entry;
      throw new Error(`${r.name} is a plain ES module`);
    }
    const factory = await entry.get(expose);
    return factory();
  };
  // earlyRemote answers loadRemote(id) from the snapshot. The runtime is
  // asked too once it runs (it finds the entry loaded and the container
  // initialized with the scope object it adopts, so inspect() shows the
  // remote): its answer is the call's when it comes first, or when the
  // early load fails (its errors are the coded ones, after its retries).
  const earlyMatch = (id) => {
    if (!snapshotCurrent || !activeSnapshot || typeof id !== 'string') return null;
    const match = matchRemote(activeSnapshot, id);
    if (!match || !match.remote.early || earlyFailed.has(match.remote.name) ||
      (match.remote.type === 'var' && !match.remote.entryGlobalName) || devtoolsNames(match.remote)) return null;
    return match;
  };
  // A remote Module Federation's devtools may redirect (their proxy's rules
  // in localStorage.__MF_DEVTOOLS__ name it, as a JSON string) waits for the
  // runtime, which decides whether the redirect is used (docs/devtools.md).
  let devtoolsRules;
  const devtoolsNames = (r) => {
    if (devtoolsRules === undefined) {
      devtoolsRules = '';
      try {
        devtoolsRules = localStorage.getItem('__MF_DEVTOOLS__') || '';
      } catch {
        // no storage: no rules
      }
    }
    return devtoolsRules !== '' && [r.name, r.alias].some((n) =>
      typeof n === 'string' && n !== '' && apply(stringIncludes, devtoolsRules, ['"' + n + '"']));
  };
  const earlyRemote = ([id]) => {
    const match = earlyMatch(id);
    if (!match) return undefined;
    earlyInFlight++;
    const promise = new NativePromise((resolve) => {
      let settled = false;
      whenLive((runtime) => {
        const answer = new NativePromise((settle) => settle(runtime.loadRemote(id)));
        if (settled) apply(promiseThen, answer, [undefined, (err) => failedLate('loadRemote', err)]);
        else resolve(answer);
        settled = true;
      }, false);
      apply(promiseThen, remoteModule(match.remote, match.expose), [(module) => {
        if (!settled) resolve(module);
        settled = true;
        earlyInFlight--;
        pageStarted();
      }, () => {
        earlyFailed.add(match.remote.name);
        earlyInFlight--;
        runtimeWanted(); // the runtime answers
      }]);
    });
    return { promise };
  };

  // earlyMount answers mount(id, element, props) of an early remote: the
  // remote's mount(element, props, scope) runs as soon as its module is in,
  // with a stand-in scope whose calls wait in line. Once the runtime runs,
  // host.openMount gives the mount its lifetime and scope, as fedwasm.mount
  // would have, and the stand-in's calls go to that scope. A remote whose
  // module has no mount, or whose mount fails, is mounted by the runtime
  // instead (its retries, fallback and MOUNT_FAILED are the answer).
  const earlyMount = ([id, element, props]) => {
    const match = element && element.nodeType === 1 ? earlyMatch(id) : null;
    if (!match) return undefined;
    const viaRuntime = () => new NativePromise((resolve, reject) => whenLive((runtime) => {
      try { resolve(runtime.mount(id, element, props)); } catch (err) { reject(err); }
    }));
    const mounting = async (module) => {
      if (!module || typeof module.mount !== 'function') return viaRuntime();
      const state = { opened: null, handle: undefined, settled: false, failed: false, unmounts: [] };
      whenLive(() => {
        try {
          const opened = apply(host.openMount, undefined, [id]);
          if (!opened || opened instanceof NativeError) throw opened;
          state.opened = opened;
          if (state.failed) return void opened.unmount();
          if (state.settled) opened.mounted(state.handle);
          for (const resolve of state.unmounts) resolve(opened.unmount());
        } catch (err) {
          failedLate('mount', err); // the calls after it in line are still made
        }
      }, false);
      const scope = objectFreeze(objectAssign(standIn(surface.scope, () => {
        if (!state.opened) throw notRunning(`mount(${stringify(id)})'s scope`);
        return state.opened.scope;
      }, {}), { owner: match.remote.name }));
      try {
        state.handle = await module.mount(element, props, scope);
      } catch {
        state.failed = true;
        if (state.opened) state.opened.unmount(); // ends the lifetime and what the scope registered
        return viaRuntime();
      }
      state.settled = true;
      if (state.opened) state.opened.mounted(state.handle);
      return {
        unmount: () => (state.opened ? state.opened.unmount()
          : new NativePromise((resolve) => { state.unmounts.push(resolve); })),
      };
    };
    return { promise: apply(promiseThen, earlyRemote([id]).promise, [mounting, viaRuntime]) };
  };

  let markReady;
  const ready = new NativePromise((resolve) => { markReady = resolve; });
  // Reading fedwasm.ready is waiting for the runtime: it lets it compile (a
  // bootstrap that awaits ready before it settles would otherwise wait forever).
  const standingApi = surface && objectFreeze(defineProperty(objectAssign(standIn(surface.api, (runtime) => runtime, {
    loadShare: snapshotShare,
    loadShareSync: snapshotShare,
    loadRemote: earlyRemote,
    mount: earlyMount,
  }), { version: surface.version, inspector }), 'ready', { get: () => (runtimeWanted(), ready), enumerable: true }));
  if (standingApi) defineProperty(globalThis, 'fedwasm', { value: standingApi, enumerable: true, writable: false, configurable: false });

  // writeImportMap writes the snapshot's import map into a page served
  // statically (server.Site writes it into the pages it serves).
  const writeImportMap = (map) => {
    ownImportMap = stringify({ imports: map.imports || {}, scopes: map.scopes || {}, integrity: map.integrity || {} });
    const el = document.createElement('script');
    el.type = 'importmap';
    if (nonce) el.nonce = nonce;
    el.textContent = policy ? policy.createScript(ownImportMap) : ownImportMap;
    document.head.appendChild(el);
  };

  // startFromSnapshot imports the snapshot's shared modules and then the
  // bootstrap, beside the runtime's start: the page does not wait for Go.
  const startFromSnapshot = async (snapshot) => {
    if (!pageSnapshot) writeImportMap(snapshot.importMap);
    activeSnapshot = snapshot;
    for (const r of snapshot.remotes || []) if (r && r.early && r.type === 'var' && typeof r.entry === 'string') earlyScripts.add(r.entry);
    for (const share of snapshot.shares) {
      if (!share || typeof share.url !== 'string' || !share.url || typeof share.package !== 'string' ||
        typeof share.version !== 'string') continue;
      const key = `${share.scope || 'default'}\0${share.package}`;
      writeSnapshotEntry(share, key);
      snapshotShares.set(key, import(share.url).then((module) => (sharesLoaded.set(key, module), module)));
    }
    await step('importing the shared modules of the snapshot', configURL, Promise.all(snapshotShares.values()));
    const bootstrapURL = resolveSpecifier(snapshot.bootstrap);
    performance.mark('fedwasm:bootstrap-import');
    setTimeout(bootstrapRan, bootstrapHeadStartMs); // a bootstrap that awaits something at its top level
    try {
      await step('importing the bootstrap module', bootstrapURL, import(bootstrapURL));
    } finally {
      bootstrapRan();
    }
  };

  // runtime.wasm's decoded bytes are kept in Cache Storage under the build's
  // content-hashed URL, so a warm load compiles them from there rather than
  // read and decode the brotli copy again (bench/README.md, "Payload"). Not
  // for a data-runtime URL, whose bytes may change under the same name, nor
  // where the page has no Cache Storage (insecure contexts). localStorage
  // names the URL kept, so a load with none kept never opens Cache Storage
  // (the first opening in a profile takes tens of ms): it compiles from the
  // network as before, and keepRuntime stores the bytes once started.
  // Any script of the origin can write Cache Storage, so a kept copy is
  // compiled only when its bytes have the SHA-256 the build wrote here.
  const runtimeCacheName = 'fedwasm-runtime';
  const runtimeSHA256 = 'SHA-256 of runtime.wasm';
  const canKeepRuntime = !data.runtime && typeof caches === 'object' && caches !== null &&
    typeof crypto === 'object' && crypto !== null && typeof crypto.subtle === 'object' && /^[0-9a-f]{64}$/.test(runtimeSHA256);
  const sha256 = async (bytes) =>
    Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
  const keptRuntime = () => {
    try {
      return localStorage.getItem(runtimeCacheName);
    } catch {
      return null; // storage blocked
    }
  };
  // The bytes are fetched at once and compiled once runtimeWanted: see there.
  const compileRuntime = async () => {
    if (canKeepRuntime && keptRuntime() === runtimeURL) {
      try {
        const hit = await (await caches.open(runtimeCacheName)).match(runtimeURL);
        const bytes = hit && (await hit.arrayBuffer());
        if (bytes && (await sha256(bytes)) === runtimeSHA256) {
          await runtimeGate;
          return await WebAssembly.compile(bytes);
        }
      } catch {
        // unusable: compile from the network
      }
      localStorage.removeItem(runtimeCacheName); // keepRuntime stores it again
    }
    const response = fetchOK(runtimeURL, 'fetching the runtime');
    apply(promiseThen, response, [undefined, () => {}]); // compileStreaming reports a failure, after the gate
    await runtimeGate;
    return WebAssembly.compileStreaming(response);
  };
  const keepRuntime = async () => {
    if (!canKeepRuntime || keptRuntime() === runtimeURL) return;
    try {
      const cache = await caches.open(runtimeCacheName);
      await cache.put(runtimeURL, await fetchOK(runtimeURL, 'fetching the runtime to keep it'));
      for (const request of await cache.keys()) {
        if (request.url !== runtimeURL) await cache.delete(request); // an earlier build's
      }
      localStorage.setItem(runtimeCacheName, runtimeURL);
    } catch (err) {
      console.warn('[fedwasm] keeping runtime.wasm in Cache Storage failed; the next load fetches it', err);
    }
  };
  const compiled = step('compiling the runtime', runtimeURL, compileRuntime());
  const wasmExecLoaded = step('loading wasm_exec.js', wasmExecURL, loadScript(wasmExecURL));
  const brokerLoaded = step('importing broker.js', brokerURL, import(brokerURL));
  // Once the config is in (long before the runtime has compiled), the modules
  // the runtime will import start downloading: each package's one configured
  // import, and the bootstrap. <link rel=preload as=script crossorigin> fetches
  // them as import() will (CORS, same-origin credentials) without parsing or
  // linking them, so their bare imports ('react') still resolve through the
  // import map the runtime writes later. A modulepreload would resolve them
  // now, before the map exists, and so race it. A package with several
  // providers is left to the runtime's choice.
  const preload = (spec, integrity) => {
    const url = resolveSpecifier(spec);
    if (!/^https?:/.test(url)) return;
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'script';
    link.crossOrigin = 'anonymous';
    if (integrity) link.integrity = integrity;
    if (nonce) link.nonce = nonce;
    link.href = url;
    document.head.appendChild(link);
  };
  // A page server.Site served carries the snapshot and already modulepreloads
  // what it names (after its import map): a second preload of those URLs
  // would be a second download, as=script not matching a modulepreload.
  const serverPreloaded = snapshotElement !== null;
  const preloadFrom = (config) => {
    if (serverPreloaded) return config;
    try {
      for (const provided of Object.values((config && config.shared) || {})) {
        const providers = [].concat(provided).filter((p) => p && typeof p.import === 'string');
        if (providers.length === 1) preload(providers[0].import, providers[0].integrity);
      }
      if (config && typeof config.bootstrap === 'string') preload(config.bootstrap);
    } catch (err) {
      console.warn('[fedwasm] preloading the modules the config names failed; they load when imported', err);
    }
    return config;
  };
  // The config's text goes to the runtime as it came (Go decodes it once);
  // the loader reads only what it acts on itself: the preloads and the bootstrap.
  const configLoaded = configURL
    ? step('fetching the config', configURL, fetchOK(configURL, 'fetching the config').then((r) => r.text())
      .then((text) => ({ text, config: preloadFrom(JSON.parse(text)) })))
    : Promise.resolve(null);

  // With a snapshot (and a config the loader starts the page with), the
  // bootstrap does not wait for Go: at once with the page's snapshot, once
  // the config is in with the config's. fromSnapshot says whether it did.
  const snapshotStart = (snapshot) => {
    startFromSnapshot(snapshot).catch((err) => {
      const where = err.fedwasmStage || stage;
      fail(where.what, where.url, err);
    });
    return true;
  };
  const fromSnapshot = !standingApi || !configURL ? resolved(false)
    : pageSnapshot ? resolved(snapshotStart(pageSnapshot))
      : configLoaded.then((loaded) => {
        const snapshot = loaded && loaded.config && readSnapshot(loaded.config.snapshot, configURL);
        return snapshot ? snapshotStart(snapshot) : false;
      }, () => false);
  apply(promiseThen, fromSnapshot, [(started) => { if (!started) runtimeWanted(); }]);

  const watchdog = setTimeout(() => {
    fail(`starting fedwasm (still ${stage.what} after ${startupTimeoutMs} ms)`, stage.url, new Error('startup stalled'));
  }, startupTimeoutMs);

  // publish makes the runtime's API window.fedwasm: read-only and
  // non-configurable, so no page code replaces it. With data-config the
  // loader initializes the page, once: fedwasm.init refuses other callers.
  let published = null;
  const publish = (raw) => {
    const init = raw.init;
    if (configURL) {
      raw.init = () => rejected(objectAssign(new NativeError(
        `fedwasm.init: this page is initialized by loader.js from data-config (${configURL}); change that config instead of calling init (see docs/errors.md#already_initialized)`),
        { code: 'ALREADY_INITIALIZED', details: { config: configURL } }));
    }
    const api = wrapApi(Object.assign(raw, { inspector }), fastPaths);
    if (standingApi) {
      apply(promiseThen, api.ready, [markReady]);
      if (!configURL) drain(api); // the page initializes the runtime itself: its calls go in now, init first
    } else {
      defineProperty(globalThis, 'fedwasm', { value: api, enumerable: true, writable: false, configurable: false });
    }
    published = { init, ready: api.ready, api };
  };

  // listenToOwn is broker.js's listen for the runtime's events.on: the
  // handler runs for the events dispatch sent, never for a look-alike.
  const listenToOwn = (broker) => (eventName, handler, report, released, id) => broker.listen(eventName,
    (detail, event) => { if (event === dispatching) handler(detail, event); }, report, released, id);

  const start = async () => {
    const [module, , broker] = await Promise.all([compiled, wasmExecLoaded, brokerLoaded]);
    if (typeof globalThis.Go !== 'function') {
      throw Object.assign(new Error('wasm_exec.js loaded but defined no Go class'), { fedwasmStage: { what: 'loading wasm_exec.js', url: wasmExecURL } });
    }
    stage = { what: 'starting the Go runtime', url: runtimeURL };
    Object.assign(host, {
      nonce,
      trustedTypesPolicy: policy,
      broker: objectFreeze({ ...broker, listen: listenToOwn(broker) }),
      importModule: (spec) => import(resolveSpecifier(spec)),
      shareScopes,
      snapshotEntries,
      earlyRemotes,
      dispatch,
      publish,
      wrap: (raw) => wrapApi(raw),
      settle,
    });
    const go = new globalThis.Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    // The hooks are a global only while Go starts: Go takes them and deletes
    // the global in the same turn (jsbridge.Publish), so no page code ever
    // reaches them. window.fedwasm is published then, read-only.
    defineProperty(globalThis, '__fedwasm_host', { value: host, configurable: true });
    let exited = null;
    try {
      exited = go.run(instance);
    } finally {
      delete globalThis.__fedwasm_host;
      objectFreeze(host);
    }
    exited.then(() => fail('the Go runtime', runtimeURL, new Error(`it exited (code ${go.exitCode ?? '?'}); see the console for its output`)));
    if (!published) throw new Error('the Go runtime started but did not publish window.fedwasm');
    performance.mark('fedwasm:go-started');
    const loaded = await configLoaded;
    const config = loaded && loaded.config;
    if (!config) {
      clearTimeout(watchdog);
      openInspectorIfAsked();
      return; // no data-config: the page calls fedwasm.init(config) itself
    }
    await step('initializing fedwasm with the config', configURL, published.init(loaded.text));
    await published.ready;
    performance.mark('fedwasm:ready');
    if (standingApi) drain(published.api);
    dispatch(new Event('fedwasm:ready')); // for page scripts that start before the bootstrap
    clearTimeout(watchdog);
    openInspectorIfAsked();
    if (await fromSnapshot) return; // the bootstrap is imported already
    if (config.bootstrap) {
      const bootstrapURL = resolveSpecifier(config.bootstrap);
      performance.mark('fedwasm:bootstrap-import');
      await step('importing the bootstrap module', bootstrapURL, import(bootstrapURL));
    }
  };

  // After the start: ?fedwasm-inspect opens the inspector, data-inspector-button shows its button.
  const openInspectorIfAsked = () => {
    const asked = new URLSearchParams(location.search).has('fedwasm-inspect');
    if (!asked && !('inspectorButton' in data)) return;
    (asked ? inspector.open() : loadInspector()).catch((err) => console.error('[fedwasm]', err));
  };

  start().then(keepRuntime, (err) => {
    clearTimeout(watchdog);
    // A runtime that started but did not initialize still answers the calls
    // waiting in line, with its errors: none is left pending.
    if (standingApi && published && !live) drain(published.api);
    const where = err.fedwasmStage || stage;
    fail(where.what, where.url, err);
  });
})();
