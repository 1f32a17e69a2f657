// The fedwasm inspector: a right-side panel that draws fedwasm.inspect() as a
// picture (share scope, remotes, stores, broker, problems) plus a live log of
// every fedwasm:* event the page dispatches. loader.js imports it only on
// demand (fedwasm.inspector.open(), ?fedwasm-inspect, Alt+Shift+F), never
// while the page starts.
//
// It works on any host page, under a strict CSP and Trusted Types: it lives in
// a shadow root (the page's styles do not reach it, its own do not leak), its
// styles are a constructed stylesheet (no <style> or <link> the CSP must
// allow), elements are built with textContent (never innerHTML), and the only
// inline styling is CSSOM (element.style) for the remotes' timing bars. It
// only reads window.fedwasm: nothing is wrapped or patched.

const LOG_LIMIT = 100;
const REFRESH_MS = 500;
const PREVIEW_CHARS = 90;
const EVENT_PREFIX = 'fedwasm:';

const STYLES = `
/* Colors follow the host page's --ink, --muted, --line, --accent and --remote when it sets them. */
:host { all: initial; }
.fwi-root {
  --fwi-ink: var(--ink, #1f2430);
  --fwi-muted: var(--muted, #6b7280);
  --fwi-line: var(--line, #e5e7eb);
  --fwi-accent: var(--accent, #4f46e5);
  --fwi-remote: var(--remote, #0f766e);
  --fwi-ok: #047857;
  --fwi-ok-bg: #ecfdf5;
  --fwi-warn: #92400e;
  --fwi-warn-bg: #fffbeb;
  --fwi-warn-line: #f59e0b;
  --fwi-err: #b91c1c;
  --fwi-err-bg: #fef2f2;
  --fwi-err-line: #f87171;
  --fwi-mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fwi-ink);
}
.fwi-root *, .fwi-root *::before, .fwi-root *::after { box-sizing: border-box; }
.fwi-root [hidden] { display: none !important; }

/* ---- the floating button */
.fwi-root .fwi-toggle {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483001;
  display: inline-flex; align-items: center; gap: 8px;
  padding: 9px 16px; border: 0; border-radius: 999px;
  background: var(--fwi-ink); color: #fff; font: 600 13px/1 system-ui, -apple-system, "Segoe UI", sans-serif;
  box-shadow: 0 6px 20px rgba(31, 36, 48, .25); cursor: pointer;
}
.fwi-root .fwi-toggle:hover { filter: none; background: #2d3445; }
.fwi-root .fwi-toggle:focus-visible { outline: 3px solid #a5b4fc; outline-offset: 2px; }
.fwi-toggle-dot { width: 8px; height: 8px; border-radius: 50%; background: #34d399; box-shadow: 0 0 0 3px rgba(52, 211, 153, .25); }
.fwi-root.fwi-open .fwi-toggle { right: 440px; background: var(--fwi-accent); }

/* ---- the panel */
.fwi-panel {
  position: fixed; top: 0; right: 0; bottom: 0; z-index: 2147483000;
  width: 420px; max-width: 100vw;
  display: flex; flex-direction: column;
  background: #fbfbfd; border-left: 1px solid var(--fwi-line);
  box-shadow: -12px 0 32px rgba(31, 36, 48, .12);
}
.fwi-panel:focus { outline: none; }
.fwi-header {
  display: flex; align-items: flex-start; justify-content: space-between; gap: 12px;
  padding: 14px 16px 12px; background: #fff; border-bottom: 1px solid var(--fwi-line);
}
.fwi-title { margin: 0; font-size: 15px; font-weight: 700; letter-spacing: -.01em; }
.fwi-subtitle { margin: 2px 0 0; color: var(--fwi-muted); font-size: 12px; }
.fwi-root .fwi-close {
  width: 28px; height: 28px; padding: 0; border-radius: 8px; border: 1px solid var(--fwi-line);
  background: #fff; color: var(--fwi-muted); font-size: 18px; line-height: 1;
}
.fwi-root .fwi-close:hover { filter: none; color: var(--fwi-ink); background: #f3f4f6; }

.fwi-scroll { flex: 1 1 auto; overflow-y: auto; overflow-x: hidden; padding: 12px 14px 16px; min-height: 0; }

/* ---- summary tiles */
.fwi-summary { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin-bottom: 10px; }
.fwi-tile { background: #fff; border: 1px solid var(--fwi-line); border-radius: 10px; padding: 7px 8px; text-align: center; }
.fwi-tile b { display: block; font-size: 17px; line-height: 1.2; }
.fwi-tile span { display: block; font-size: 10.5px; color: var(--fwi-muted); text-transform: uppercase; letter-spacing: .04em; }
.fwi-tile.fwi-warning { background: var(--fwi-warn-bg); border-color: var(--fwi-warn-line); color: var(--fwi-warn); }
.fwi-tile.fwi-error { background: var(--fwi-err-bg); border-color: var(--fwi-err-line); color: var(--fwi-err); }

/* ---- sections */
.fwi-section { margin-top: 10px; }
.fwi-section > summary {
  display: flex; align-items: center; gap: 8px; padding: 4px 2px; cursor: pointer;
  list-style: none; user-select: none;
}
.fwi-section > summary::-webkit-details-marker { display: none; }
.fwi-section > summary::before {
  content: ""; width: 0; height: 0; border-left: 5px solid var(--fwi-muted);
  border-top: 4px solid transparent; border-bottom: 4px solid transparent; transition: transform .12s;
}
.fwi-section[open] > summary::before { transform: rotate(90deg); }
.fwi-section-title { font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: var(--fwi-muted); }
.fwi-count {
  min-width: 20px; padding: 0 6px; border-radius: 999px; background: #eef0f5; color: var(--fwi-muted);
  font-size: 11px; font-weight: 600; text-align: center;
}
.fwi-section-body { padding-top: 4px; }
.fwi-empty { margin: 4px 2px; color: var(--fwi-muted); font-style: italic; font-size: 12px; }

/* ---- badges and chips */
.fwi-badge {
  display: inline-block; padding: 1px 7px; border-radius: 999px; font-size: 11px; font-weight: 600; line-height: 1.5;
  background: #eef0f5; color: var(--fwi-muted); white-space: nowrap;
}
.fwi-rule { background: #eef2ff; color: var(--fwi-accent); font-family: var(--fwi-mono); font-weight: 500; }
.fwi-type { background: #f0fdfa; color: var(--fwi-remote); font-family: var(--fwi-mono); font-weight: 500; }
.fwi-version { background: #eef2ff; color: var(--fwi-accent); font-family: var(--fwi-mono); }
.fwi-scope { background: #f5f3ff; color: #6d28d9; }
.fwi-quiet { background: transparent; color: var(--fwi-muted); font-weight: 500; }
.fwi-warn { background: var(--fwi-warn-bg); color: var(--fwi-warn); box-shadow: inset 0 0 0 1px var(--fwi-warn-line); }
.fwi-state-registered { background: #f3f4f6; color: var(--fwi-muted); }
.fwi-state-loading { background: var(--fwi-warn-bg); color: var(--fwi-warn); }
.fwi-state-loaded { background: var(--fwi-ok-bg); color: var(--fwi-ok); }
.fwi-state-failed { background: var(--fwi-err-bg); color: var(--fwi-err); }

.fwi-chips { display: inline-flex; flex-wrap: wrap; gap: 4px; margin-left: auto; justify-content: flex-end; }
.fwi-chip {
  display: inline-flex; align-items: center; gap: 5px; padding: 2px 8px; border-radius: 999px;
  border: 1px solid var(--fwi-line); background: #fff; font-size: 11.5px; color: var(--fwi-muted);
}
.fwi-chip b { font-family: var(--fwi-mono); font-weight: 600; color: var(--fwi-ink); }
.fwi-chip .fwi-from { font-size: 10.5px; }
.fwi-chip.fwi-chosen { background: var(--fwi-accent); border-color: var(--fwi-accent); color: #e0e7ff; }
.fwi-chip.fwi-chosen b { color: #fff; }
.fwi-dot { width: 7px; height: 7px; border-radius: 50%; border: 1.5px solid #9ca3af; background: transparent; }
.fwi-loaded .fwi-dot { border-color: #10b981; background: #10b981; }
.fwi-chosen.fwi-loaded .fwi-dot { border-color: #6ee7b7; background: #6ee7b7; }
.fwi-loading .fwi-dot { border-color: var(--fwi-warn-line); background: var(--fwi-warn-line); animation: fwi-pulse 1s ease-in-out infinite; }
@keyframes fwi-pulse { 50% { opacity: .3; } }

/* ---- share cards */
.fwi-card {
  background: #fff; border: 1px solid var(--fwi-line); border-radius: 10px; padding: 9px 11px; margin-bottom: 8px;
}
.fwi-card-warning { border-color: var(--fwi-warn-line); box-shadow: inset 3px 0 0 var(--fwi-warn-line); }
.fwi-card-error { border-color: var(--fwi-err-line); box-shadow: inset 3px 0 0 var(--fwi-err-line); }
.fwi-card-head { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.fwi-pkg { font-family: var(--fwi-mono); font-weight: 700; font-size: 13px; }
.fwi-consumers { list-style: none; margin: 7px 0 0; padding: 0; border-top: 1px dashed var(--fwi-line); }
.fwi-consumer { padding: 5px 0 4px; border-bottom: 1px dashed var(--fwi-line); }
.fwi-consumer:last-child { border-bottom: 0; padding-bottom: 0; }
.fwi-consumer-line { display: flex; align-items: baseline; gap: 6px; flex-wrap: wrap; }
.fwi-who { font-weight: 600; color: var(--fwi-remote); }
.fwi-arrow { color: #9ca3af; }
.fwi-got { font-family: var(--fwi-mono); }
.fwi-none { color: var(--fwi-err); font-style: italic; }
.fwi-consumer-line > .fwi-from { color: var(--fwi-muted); font-size: 11.5px; }
.fwi-config { margin-left: auto; color: #9ca3af; font-size: 11px; white-space: nowrap; }
/* The reason ("why this version?") on one line; all of it on hover or focus (and as the row's tooltip). */
.fwi-reason {
  margin-top: 1px; color: var(--fwi-muted); font-size: 11.5px; line-height: 1.35;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.fwi-consumer:hover .fwi-reason, .fwi-consumer:focus-within .fwi-reason { white-space: normal; }

.fwi-problem {
  margin: 5px 0 2px; padding: 5px 8px; border-radius: 7px; font-size: 12px; line-height: 1.35;
  overflow-wrap: anywhere;
}
/* Two lines of the message; all of it on hover (and as the tooltip). */
.fwi-msg { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; overflow: hidden; }
.fwi-problem:hover .fwi-msg { -webkit-line-clamp: unset; line-clamp: none; }
.fwi-problem.fwi-warning { background: var(--fwi-warn-bg); color: var(--fwi-warn); border: 1px solid var(--fwi-warn-line); }
.fwi-problem.fwi-error { background: var(--fwi-err-bg); color: var(--fwi-err); border: 1px solid var(--fwi-err-line); }
.fwi-code { font-family: var(--fwi-mono); font-weight: 700; }

/* ---- remotes and stores rows */
.fwi-rows { list-style: none; margin: 0; padding: 0; background: #fff; border: 1px solid var(--fwi-line); border-radius: 10px; }
.fwi-row { padding: 7px 11px; border-bottom: 1px solid var(--fwi-line); }
.fwi-row:last-child { border-bottom: 0; }
.fwi-row-main { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.fwi-name { font-weight: 600; }
.fwi-spacer { flex: 1; }
.fwi-metric { font-family: var(--fwi-mono); font-size: 11.5px; color: var(--fwi-muted); min-width: 48px; text-align: right; }
.fwi-bar { height: 3px; margin-top: 5px; border-radius: 3px; background: #f1f2f6; overflow: hidden; }
.fwi-bar-fill { display: block; height: 100%; border-radius: 3px; background: linear-gradient(90deg, #5eead4, var(--fwi-remote)); }
.fwi-remote[data-state="failed"] .fwi-bar-fill { background: var(--fwi-err-line); }
.fwi-owner { color: var(--fwi-muted); font-size: 12px; }
.fwi-owner b { color: var(--fwi-ink); }

/* ---- broker */
.fwi-stats { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px; margin-bottom: 8px; }
.fwi-stat { background: #fff; border: 1px solid var(--fwi-line); border-radius: 8px; padding: 5px 6px; text-align: center; }
.fwi-stat b { display: block; font-size: 15px; font-family: var(--fwi-mono); }
.fwi-stat span { display: block; font-size: 10px; color: var(--fwi-muted); line-height: 1.2; }
.fwi-stat.fwi-warning { background: var(--fwi-warn-bg); border-color: var(--fwi-warn-line); color: var(--fwi-warn); }
.fwi-stat.fwi-error { background: var(--fwi-err-bg); border-color: var(--fwi-err-line); color: var(--fwi-err); }
.fwi-dropped { margin: 0 0 8px; display: flex; gap: 4px; flex-wrap: wrap; align-items: center; font-size: 12px; color: var(--fwi-muted); }
.fwi-table { width: 100%; border-collapse: separate; border-spacing: 0; background: #fff; border: 1px solid var(--fwi-line); border-radius: 10px; overflow: hidden; font-size: 12px; }
.fwi-table th { text-align: right; font-weight: 600; font-size: 11px; color: var(--fwi-muted); background: #f8f9fb; padding: 5px 6px; border-bottom: 1px solid var(--fwi-line); white-space: nowrap; }
.fwi-table td { text-align: right; padding: 5px 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: var(--fwi-mono); border-bottom: 1px solid var(--fwi-line); }
.fwi-table tr:last-child td { border-bottom: 0; }
.fwi-table th:first-child, .fwi-table td:first-child { text-align: left; font-family: inherit; width: 100%; max-width: 120px; }
.fwi-table td.fwi-zero { color: #c4c8d0; }

/* ---- the event log, docked at the bottom */
.fwi-logpane {
  flex: 0 0 26%; min-height: 140px; display: flex; flex-direction: column;
  background: #fff; border-top: 1px solid var(--fwi-line); box-shadow: 0 -6px 16px rgba(31, 36, 48, .05);
}
.fwi-loghead { display: flex; align-items: center; gap: 8px; padding: 8px 14px 6px; }
.fwi-root .fwi-link {
  margin-left: auto; padding: 2px 6px; background: transparent; color: var(--fwi-accent); font-size: 12px; border-radius: 6px;
}
.fwi-root .fwi-link:hover { filter: none; background: #eef2ff; }
.fwi-log { list-style: none; margin: 0; padding: 0 8px 8px; overflow-y: auto; flex: 1; min-height: 0; font-size: 12px; }
.fwi-logline {
  display: grid; grid-template-columns: auto auto 1fr; align-items: baseline; gap: 8px;
  padding: 3px 6px; border-radius: 6px;
}
.fwi-logline:nth-child(odd) { background: #f8f9fb; }
.fwi-logline:first-child { animation: fwi-flash 1.2s ease-out; }
@keyframes fwi-flash { from { background: #e0e7ff; } }
.fwi-time { font-family: var(--fwi-mono); font-size: 11px; color: #9ca3af; }
.fwi-logline .fwi-type { padding: 0 6px; border-radius: 5px; font-size: 11.5px; }
.fwi-logline .fwi-type.fwi-warning { background: var(--fwi-warn-bg); color: var(--fwi-warn); }
.fwi-logline .fwi-type.fwi-error { background: var(--fwi-err-bg); color: var(--fwi-err); }
.fwi-detail { font-family: var(--fwi-mono); font-size: 11.5px; color: var(--fwi-ink); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.fwi-log .fwi-empty { padding: 2px 6px; }

@media (max-width: 640px) {
  .fwi-panel { width: 100vw; }
  .fwi-root.fwi-open .fwi-toggle { display: none; }
}
`;

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
toggle.hidden = true;
const hostElement = el('div', { id: 'fedwasm-inspector-host' });
const shadow = hostElement.attachShadow({ mode: 'open' });
const sheet = new CSSStyleSheet();
sheet.replaceSync(STYLES);
shadow.adoptedStyleSheets = [sheet];
shadow.append(root);

// ---------------------------------------------------------------- the event log

const log = [];
const listeningSince = clock(new Date());
function logLine(entry) {
  return el('li.fwi-logline', { dataset: { type: entry.type }, title: entry.full },
    el('time.fwi-time', null, entry.time),
    el(`span.fwi-type${entry.type === 'warning' || entry.type === 'error' ? '.fwi-' + entry.type : ''}`, null, entry.type),
    el('span.fwi-detail', null, entry.preview));
}
function record(event) {
  const type = event.type.slice(EVENT_PREFIX.length);
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

function renderLog() {
  logList.replaceChildren(...log.map(logLine));
  logCount.textContent = String(log.length);
  if (!log.length) logList.append(el('li.fwi-empty', null, `No events since ${listeningSince}: every fedwasm:* event the page dispatches shows here.`));
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

/** How many times a failed remote's entry was fetched: the URLs its error lists. */
function attempts(remote) {
  const urls = remote.error && remote.error.details && remote.error.details.urls;
  return Array.isArray(urls) ? urls.length : 0;
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
        el('span.fwi-metric.fwi-requests', { title: 'loadRemote and mount calls that needed the remote' }, `${r.requests} req`),
        attempts(r) ? el('span.fwi-metric.fwi-attempts', { title: 'fetches of its entry, retries included, when loading failed' }, `${attempts(r)} tries`) : null),
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

/**
 * The problems the page has now: warnings (inspect().warnings, and consumers
 * served with a warning) and errors (consumers that got none, remotes that
 * failed to load).
 */
function problemCounts(snap) {
  const consumers = snap.shares.flatMap((s) => s.consumers);
  return {
    warnings: snap.warnings.length + consumers.filter((c) => c.warning && !c.error).length,
    errors: consumers.filter((c) => c.error).length + snap.remotes.filter((r) => r.state === 'failed').length,
  };
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
  const { warnings, errors } = problemCounts(snap);
  const tile = (value, label, kind) => el(`div.fwi-tile${kind ? '.fwi-' + kind : ''}`, { dataset: { tile: label } }, el('b', null, value), el('span', null, label));
  summary.replaceChildren(
    tile(String(snap.shares.length), 'packages'),
    tile(`${loaded}/${snap.remotes.length}`, 'remotes loaded', failed ? 'error' : ''),
    tile(String(warnings), 'warnings', warnings ? 'warning' : ''),
    tile(String(errors), 'errors', errors ? 'error' : ''));

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
  if (panel.contains(shadow.activeElement) && !toggle.hidden) toggle.focus();
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

/**
 * mount adds the inspector to the page (closed) and starts its event log.
 * taps is the loader's set of functions that see every event it dispatches;
 * button shows a floating button that toggles the panel.
 */
export function mount({ taps, button = false }) {
  taps.add((event) => {
    if (event.type.startsWith(EVENT_PREFIX)) record(event);
  });
  toggle.hidden = !button;
  if (document.body) document.body.append(hostElement);
  else document.addEventListener('DOMContentLoaded', () => document.body.append(hostElement), { once: true });
  return { open, close, toggle: () => (panel.hidden ? open() : close()) };
}
