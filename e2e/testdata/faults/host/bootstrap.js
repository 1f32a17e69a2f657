// The fault-injection host's bootstrap. It mounts the healthy remote and
// awaits it; with ?background=<remote> it first starts mounting that remote
// and does not await it (a remote that is down must not hold the host's boot).
// window.faultsHost.booted and the mark 'faults:bootstrap-done' say the host
// is up.
performance.mark('faults:bootstrap-start');
const host = (window.faultsHost = { booted: false, healthy: null, background: null });
const background = new URLSearchParams(location.search).get('background');
if (background) {
  host.background = 'pending';
  fedwasm.mount(background, document.getElementById('background')).then(
    () => { host.background = 'mounted'; },
    (e) => { host.background = e.code; },
  );
}
try {
  await fedwasm.mount('healthy', document.getElementById('healthy'));
  host.healthy = 'mounted';
} catch (e) {
  host.healthy = e.code;
}
host.booted = true;
performance.mark('faults:bootstrap-done');
