// Package loader holds the page's JavaScript (loader.js, broker.js,
// inspector.js) and its types; this Go file gives Go tests the text of
// broker.js, so the bridge's tests in Chromium run the broker primitives the
// loader hands the runtime, not stand-ins.
package loader

import _ "embed"

// BrokerJS is broker.js, an ES module.
//
//go:embed broker.js
var BrokerJS string
