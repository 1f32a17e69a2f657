// The fedwasm inspector: a floating "Inspector" button and a right-side panel
// that draws fedwasm.inspect() as a picture (share scope, remotes, stores,
// broker) plus a live log of fedwasm events. Opens on click or with ?inspect.
//
// Self-contained and CSP-friendly: elements are built with textContent (never
// innerHTML), styles come from inspector.css (a same-origin <link>), and the
// only inline styling is CSSOM (element.style) for the remotes' timing bars.
// It only reads window.fedwasm: nothing is wrapped or patched.

/** Event types (without the "fedwasm:" prefix) the log listens to. */
const EVENT_TYPES = [
  'warning', 'error', 'ready',
  'cart:open', 'cart:added', 'cart:cleared', 'auth:login', 'auth:logout',
  'query:invalidate', 'promo:unlocked', 'order:placed',
];
const LOG_LIMIT = 100;
const REFRESH_MS = 500;
const PREVIEW_CHARS = 90;

const css = document.createElement('link');
css.rel = 'stylesheet';
css.href = new URL('./inspector.css', import.meta.url).href;
document.head.append(css);

// ---------------------------------------------------------------- helpers

/** el('div.a.b', { title, dataset, on* }, ...children): a DOM element; strings become text. */
function el(spec, props, ...children) {
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag || 'div');
  if (classes.length) node.className = classes.join(' ');
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const badge = (text, kind, title) => el(`span.fwi-badge${kind ? '.fwi-' + kind : ''}`, { title }, text);
const empty = (text) => el('p.fwi-empty', null, text);
const ms = (value) => (value < 10 ? value.toFixed(1) : String(Math.round(value))) + ' ms';

function clock(date) {
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A short, single-line preview of an event's detail. */
function preview(detail) {
  if (detail === undefined || detail === null) return '';
  let text;
  if (detail instanceof Error) {
    text = (detail.code ? detail.code + ': ' : '') + detail.message;
  } else {
    try {
      text = typeof detail === 'string' ? detail : JSON.stringify(detail);
    } catch {
      text = String(detail);
    }
  }
  if (text === undefined) text = String(detail);
  text = text.replace(/\s+/g, ' ');
  return text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS - 1) + '…' : text;
}

function problem(kind, report) {
  return el(`div.fwi-problem.fwi-${kind}`, { title: report.message },
    el('span.fwi-msg', null, el('span.fwi-code', null, report.code), ' ', report.message));
}

// ---------------------------------------------------------------- the DOM

const toggle = el('button.fwi-toggle', {
  type: 'button', title: 'fedwasm inspector', 'aria-expanded': 'false', 'aria-controls': 'fedwasm-inspector',
  onclick: () => (panel.hidden ? open() : close()),
}, el('span.fwi-toggle-dot', { 'aria-hidden': 'true' }), 'Inspector');

const subtitle = el('p.fwi-subtitle', null, 'waiting for the runtime…');
const summary = el('div.fwi-summary');
const sections = {};
function section(key, title) {
  const count = el('span.fwi-count');
  const body = el('div.fwi-section-body');
  const node = el('details.fwi-section', { open: true, dataset: { section: key } },
    el('summary', null, el('span.fwi-section-title', null, title), count), body);
  sections[key] = { node, count, body };
  return node;
}

const logList = el('ol.fwi-log', { 'aria-live': 'off' });
const logCount = el('span.fwi-count', null, '0');
const clearLog = el('button.fwi-link', { type: 'button', onclick: () => { log.length = 0; logList.replaceChildren(); logCount.textContent = '0'; } }, 'clear');

const panel = el('aside.fwi-panel', { id: 'fedwasm-inspector', hidden: true, 'aria-label': 'fedwasm inspector', tabIndex: -1 },
  el('header.fwi-header', null,
    el('div', null, el('h2.fwi-title', null, 'fedwasm inspector'), subtitle),
    el('button.fwi-close', { type: 'button', title: 'Close (Esc)', 'aria-label': 'Close inspector', onclick: () => close() }, '×')),
  el('div.fwi-scroll', null,
    summary,
    section('warnings', 'Warnings'),
    section('shares', 'Share scope'),
    section('remotes', 'Remotes'),
    section('stores', 'Stores'),
    section('broker', 'Broker')),
  el('div.fwi-logpane', null,
    el('div.fwi-loghead', null, el('span.fwi-section-title', null, 'Event log'), logCount, clearLog),
    logList));

const root = el('div.fwi-root', null, panel, toggle);
if (document.body) document.body.append(root);
else document.addEventListener('DOMContentLoaded', () => document.body.append(root), { once: true });

// ---------------------------------------------------------------- the event log

const log = [];
function logLine(entry) {
  return el('li.fwi-logline', { dataset: { type: entry.type }, title: entry.full },
    el('time.fwi-time', null, entry.time),
    el(`span.fwi-type${entry.type === 'warning' || entry.type === 'error' ? '.fwi-' + entry.type : ''}`, null, entry.type),
    el('span.fwi-detail', null, entry.preview));
}
function record(type, event) {
  const detail = event instanceof CustomEvent ? event.detail : undefined;
  const entry = { time: clock(new Date()), type, preview: preview(detail), full: '' };
  entry.full = entry.preview ? `${type}: ${entry.preview}` : type;
  log.unshift(entry);
  if (log.length > LOG_LIMIT) log.length = LOG_LIMIT;
  if (!panel.hidden) {
    logList.querySelector(':scope > .fwi-empty')?.remove();
    logList.prepend(logLine(entry));
    while (logList.childElementCount > LOG_LIMIT) logList.lastElementChild.remove();
    logCount.textContent = String(log.length);
  }
  if (type === 'warning') refresh();
}
for (const type of EVENT_TYPES) window.addEventListener('fedwasm:' + type, (event) => record(type, event));

function renderLog() {
  logList.replaceChildren(...log.map(logLine));
  logCount.textContent = String(log.length);
  if (!log.length) logList.append(el('li.fwi-empty', { title: EVENT_TYPES.map((t) => 'fedwasm:' + t).join('\n') }, `No events yet: listening for ${EVENT_TYPES.length} fedwasm:* types.`));
}

// ---------------------------------------------------------------- the snapshot

function renderShares(shares) {
  if (!shares.length) return [empty('Nothing shared.')];
  return shares.map((share) => {
    const chosen = new Set(share.consumers.filter((c) => c.got).map((c) => `${c.got}@${c.gotFrom}`));
    const chips = share.providers.map((p) => {
      const state = p.loaded ? 'loaded' : p.loading ? 'loading' : 'idle';
      const isChosen = chosen.has(`${p.version}@${p.from}`);
      return el(`span.fwi-chip.fwi-${state}${isChosen ? '.fwi-chosen' : ''}`, {
        title: `${p.version} from ${p.from} · ${state}${p.eager ? ' · eager' : ''}${isChosen ? ' · chosen' : ''}`,
        dataset: { version: p.version, from: p.from, state, chosen: String(isChosen) },
      }, el('span.fwi-dot', { 'aria-hidden': 'true' }), el('b', null, p.version), el('span.fwi-from', null, p.from));
    });
    const rows = share.consumers.map((c) => {
      const kind = c.error ? 'error' : c.warning ? 'warning' : '';
      const config = [c.requiredVersion, c.singleton && 'singleton', c.strictVersion && 'strict',
        c.hasFallback && 'fallback', c.eager && 'eager'].filter(Boolean).join(' · ');
      return el(`li.fwi-consumer${kind ? '.fwi-has-' + kind : ''}`, { dataset: { consumer: c.from, got: c.got || '' }, title: c.reason || '' },
        el('div.fwi-consumer-line', null,
          el('span.fwi-who', null, c.from),
          el('span.fwi-arrow', { 'aria-hidden': 'true' }, '→'),
          c.got ? el('b.fwi-got', null, c.got) : el('span.fwi-none', null, 'nothing'),
          c.gotFrom && share.providers.length > 1 ? el('span.fwi-from', null, `from ${c.gotFrom}`) : null,
          c.rule ? badge(c.rule, 'rule', 'the rule that chose this version') : null,
          config ? el('span.fwi-config', { title: `asked for ${c.requiredVersion || 'any version'}${c.singleton ? ', singleton' : ''}${c.strictVersion ? ', strictVersion' : ''}${c.hasFallback ? ', with a fallback' : ''}` }, config) : null),
        c.reason ? el('div.fwi-reason', null, c.reason) : null,
        c.warning ? problem('warning', c.warning) : null,
        c.error ? problem('error', c.error) : null);
    });
    const worst = share.consumers.some((c) => c.error) ? 'error' : share.consumers.some((c) => c.warning) ? 'warning' : '';
    return el(`article.fwi-card${worst ? '.fwi-card-' + worst : ''}`, { dataset: { package: share.package } },
      el('div.fwi-card-head', null,
        el('span.fwi-pkg', null, share.package),
        share.scope !== 'default' ? badge(share.scope, 'scope', 'share scope') : null,
        el('span.fwi-chips', null, chips)),
      rows.length ? el('ul.fwi-consumers', null, rows) : el('p.fwi-empty', null, 'no consumers yet'));
  });
}

function renderRemotes(remotes) {
  if (!remotes.length) return [empty('No remotes registered.')];
  const slowest = Math.max(1, ...remotes.map((r) => r.loadMs || 0));
  return [el('ul.fwi-rows', null, remotes.map((r) => {
    const bar = el('span.fwi-bar-fill');
    bar.style.width = `${Math.max(2, ((r.loadMs || 0) / slowest) * 100)}%`;
    return el('li.fwi-row.fwi-remote', { dataset: { remote: r.name, state: r.state }, title: r.entry },
      el('div.fwi-row-main', null,
        el('span.fwi-name', null, r.name),
        badge(r.type, 'type', 'remote type'),
        badge(r.state, 'state-' + r.state, 'load state'),
        el('span.fwi-spacer'),
        el('span.fwi-metric', { title: 'load time' }, r.loadMs !== undefined ? ms(r.loadMs) : '—'),
        el('span.fwi-metric', { title: 'entry requests' }, `${r.requests} req`)),
      el('div.fwi-bar', { 'aria-hidden': 'true' }, r.loadMs !== undefined ? bar : null),
      r.error ? problem('error', r.error) : null);
  }))];
}

function renderStores(stores) {
  if (!stores.length) return [empty('No stores.')];
  return [el('ul.fwi-rows', null, stores.map((s) => el('li.fwi-row.fwi-store', { dataset: { store: s.name, owner: s.owner || '' } },
    el('div.fwi-row-main', null,
      el('span.fwi-name', null, s.name),
      s.version ? badge(s.version, 'version', 'store version') : null,
      s.provided ? null : badge('not provided', 'state-loading', 'someone waits for it; nobody provided it yet'),
      el('span.fwi-spacer'),
      el('span.fwi-owner', null, 'owner ', el('b', null, s.owner || '—')),
      badge(`${s.waiting} waiting`, s.waiting ? 'warn' : 'quiet', 'stores.get calls still waiting')))))];
}

function renderBroker(broker) {
  const stat = (label, value, kind) => el(`div.fwi-stat${kind ? '.fwi-' + kind : ''}`, null, el('b', null, String(value)), el('span', null, label));
  const dropped = Object.entries(broker.dropped || {});
  const droppedTotal = dropped.reduce((sum, [, n]) => sum + n, 0);
  const out = [el('div.fwi-stats', null,
    stat('emitted', broker.emitted),
    stat('received cross-tab', broker.receivedCrossTab),
    stat('dropped', droppedTotal, droppedTotal ? 'warning' : ''),
    stat('listener errors', broker.listenerErrors, broker.listenerErrors ? 'error' : ''))];
  if (dropped.length) out.push(el('p.fwi-dropped', null, 'dropped: ', dropped.map(([reason, n]) => badge(`${reason} ×${n}`, 'warn'))));
  const owners = Object.entries(broker.owners || {});
  const cols = ['listeners', 'subscriptions', 'channels', 'stores'];
  if (owners.length) {
    out.push(el('table.fwi-table', null,
      el('thead', null, el('tr', null, el('th', null, 'owner'), cols.map((c) => el('th', { title: c }, c === 'subscriptions' ? 'subs' : c)), el('th', null, 'scopes'))),
      el('tbody', null, owners.map(([owner, counts]) => el('tr', { dataset: { owner } },
        el('td.fwi-name', null, owner),
        cols.map((c) => el(`td${counts[c] ? '' : '.fwi-zero'}`, null, String(counts[c] || 0))),
        el(`td${broker.scopes?.[owner] ? '' : '.fwi-zero'}`, null, String(broker.scopes?.[owner] || 0)))))));
  } else {
    out.push(empty('Nothing live: no listeners, subscriptions, channels or stores.'));
  }
  return out;
}

let lastSignature = '';
let runtimeReady = false;
function refresh() {
  if (panel.hidden || !runtimeReady) return;
  let snap;
  try {
    snap = window.fedwasm.inspect();
  } catch (err) {
    subtitle.textContent = `inspect() failed: ${err && err.message}`;
    return;
  }
  const signature = JSON.stringify(snap);
  if (signature === lastSignature) return; // nothing changed: keep the DOM (and hovers, selections) as is
  lastSignature = signature;

  subtitle.textContent = `${snap.name} · fedwasm ${snap.version} · ${snap.shareStrategy} · ${snap.ready ? 'ready' : 'starting'}`;
  const loaded = snap.remotes.filter((r) => r.state === 'loaded').length;
  const failed = snap.remotes.filter((r) => r.state === 'failed').length;
  const consumerProblems = snap.shares.flatMap((s) => s.consumers).filter((c) => c.warning || c.error).length;
  const tile = (value, label, kind) => el(`div.fwi-tile${kind ? '.fwi-' + kind : ''}`, null, el('b', null, value), el('span', null, label));
  summary.replaceChildren(
    tile(String(snap.shares.length), 'packages'),
    tile(`${loaded}/${snap.remotes.length}`, 'remotes loaded', failed ? 'error' : ''),
    tile(String(snap.stores.length), 'stores'),
    tile(String(snap.warnings.length + consumerProblems), 'warnings', snap.warnings.length + consumerProblems ? 'warning' : ''));

  const fill = (key, count, nodes) => {
    sections[key].count.textContent = String(count);
    sections[key].body.replaceChildren(...nodes);
  };
  sections.warnings.node.hidden = snap.warnings.length === 0;
  fill('warnings', snap.warnings.length, snap.warnings.map((w) => problem('warning', w)));
  fill('shares', snap.shares.length, renderShares(snap.shares));
  fill('remotes', snap.remotes.length, renderRemotes(snap.remotes));
  fill('stores', snap.stores.length, renderStores(snap.stores));
  fill('broker', Object.keys(snap.broker.owners || {}).length, renderBroker(snap.broker));
}

// ---------------------------------------------------------------- open / close

let timer = 0;
function open() {
  panel.hidden = false;
  root.classList.add('fwi-open');
  toggle.setAttribute('aria-expanded', 'true');
  renderLog();
  lastSignature = '';
  if (runtimeReady) refresh();
  clearInterval(timer);
  timer = setInterval(refresh, REFRESH_MS);
}
function close() {
  if (panel.hidden) return;
  panel.hidden = true;
  root.classList.remove('fwi-open');
  toggle.setAttribute('aria-expanded', 'false');
  clearInterval(timer);
  timer = 0;
  if (panel.contains(document.activeElement)) toggle.focus();
}
document.addEventListener('keydown', (event) => {
  // A modal (the demo's cart drawer) takes Escape for itself.
  if (event.key === 'Escape' && !panel.hidden && !event.defaultPrevented && !document.querySelector(':modal')) {
    event.preventDefault();
    close();
  }
});

function whenReady() {
  return new Promise((resolve) => {
    if (window.fedwasm && window.fedwasm.ready) {
      window.fedwasm.ready.then(resolve, () => { subtitle.textContent = 'the runtime failed to start'; });
    } else {
      window.addEventListener('fedwasm:ready', () => resolve(), { once: true });
    }
  });
}
whenReady().then(() => {
  runtimeReady = true;
  refresh();
});

if (new URLSearchParams(location.search).has('inspect')) {
  if (document.body) open();
  else document.addEventListener('DOMContentLoaded', open, { once: true });
}
