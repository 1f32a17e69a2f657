//go:build e2e

package e2e

import "testing"

// TestDecidedCallsStayInThePage: once the runtime has decided a call, the
// same call again is answered in the page (loader.js's fast paths), with the
// same results the runtime gives: the same module to a singleton consumer,
// every emitted event delivered and counted in inspect(), refusals still
// refused, and a settled answer forgotten when the consumer's rules change.
func TestDecidedCallsStayInThePage(t *testing.T) {
	_, b, ctx := startDemo(t)
	got := eval[string](t, ctx, `(async () => {
		const out = {};
		const react = await fedwasm.loadShare('react');
		out.sameModule = (await fedwasm.loadShare('react')) === react && fedwasm.loadShareSync('react') === react &&
			(await fedwasm.loadShare('react', { from: 'late' })) === react;

		let heard = 0;
		const off = fedwasm.events.on('probe:ping', () => { heard++; });
		const before = fedwasm.inspect().broker.emitted;
		for (let i = 0; i < 5; i++) fedwasm.events.emit('probe:ping', { i });
		out.heard = heard;
		out.counted = fedwasm.inspect().broker.emitted - before;
		off();

		const strict = { singleton: true, requiredVersion: '^99.0.0', strictVersion: true };
		const codes = [];
		for (let i = 0; i < 2; i++) codes.push(await fedwasm.loadShare('react', strict).then(() => 'resolved', (e) => e.code));
		out.strict = codes;
		out.badType = (() => { try { fedwasm.events.emit('has space', 1); return 'emitted'; } catch (e) { return e.code; } })();

		// 'late' declares its own rules for react: its settled answer is forgotten.
		fedwasm.registerShared({ react: { version: '19.3.1', lib: react, from: 'late',
			shareConfig: { singleton: true, requiredVersion: '^99.0.0', strictVersion: true } } });
		out.lateAfterRules = await fedwasm.loadShare('react', { from: 'late' }).then(() => 'resolved', (e) => e.code);
		return JSON.stringify(out) })()`)
	want := `{"sameModule":true,"heard":5,"counted":5,"strict":["SHARE_SINGLETON_MISMATCH","SHARE_SINGLETON_MISMATCH"],` +
		`"badType":"INVALID_ARGUMENT","lateAfterRules":"SHARE_SINGLETON_MISMATCH"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	noProblems(t, b)
}
