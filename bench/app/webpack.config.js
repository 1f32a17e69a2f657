// The startup benchmark's app (go run ./bench/startup), built from npm into
// dist/bench/ at the repository root by ./build.sh bench:
//   remote/cart/, remote/products/   webpack 5 containers (library type var,
//                                    globals cart and products), served from a second origin
//   host/wp/   the webpack 5 ModuleFederationPlugin host
//   host/mf/   the @module-federation/runtime page (init + loadRemote, no MF plugin)
//   host/fw/   the fedwasm host: the bootstrap and React, react-dom,
//              react-dom/client and zustand as ES modules, shared through
//              fedwasm and the import map, and two pages running them:
//                index.html   asks /federation.json?host=shell: server.Site
//                             serves it with registry.json's snapshot written in
//                static.html  asks federation.json, the same config without a
//                             snapshot (the path without one)
// Every variant runs the same shell (src/shell.js) and remotes. The remotes'
// origin is the placeholder __REMOTE_ORIGIN__, which the benchmark replaces
// when it serves the files. Production mode, minified; entry files keep fixed
// names, everything else is content-hashed (the server caches those as immutable).
const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');

const { ModuleFederationPlugin } = webpack.container;
const distRoot = path.resolve(__dirname, '../../dist/bench');
const remoteOrigin = '__REMOTE_ORIGIN__';
const version = (pkg) => require(`${pkg}/package.json`).version;
const versions = { react: version('react'), 'react-dom': version('react-dom'), zustand: version('zustand') };
const versionOf = (key) => versions[key.split('/')[0]];

// React, react-dom (and its client entry) and zustand are singletons everywhere.
const sharedKeys = ['react', 'react-dom', 'react-dom/client', 'zustand'];
const shared = Object.fromEntries(sharedKeys.map((k) => [k, { singleton: true, requiredVersion: `^${versionOf(k)}` }]));

// page writes an HTML page with the three mount points and the given head.
const page = (title, head) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">
${head}
</head><body><div id="header"></div><main><div id="products-slot"></div><div id="cart-slot"></div></main></body></html>
`;

// EmitFiles adds generated files (pages, federation.json) to a compilation;
// each value is a function of the compilation's assets.
class EmitFiles {
  constructor(files) { this.files = files; }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('EmitFiles', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'EmitFiles', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        for (const [name, make] of Object.entries(this.files)) {
          compilation.emitAsset(name, new webpack.sources.RawSource(make(compilation)));
        }
      });
    });
  }
}

function base(name, outDir) {
  return {
    name,
    mode: 'production',
    context: __dirname,
    target: ['web', 'es2020'],
    devtool: false,
    output: {
      path: path.join(distRoot, outDir),
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:10].js',
      publicPath: 'auto',
      uniqueName: name,
      clean: true,
    },
    performance: { hints: false },
  };
}

const remote = (name, expose, file) => ({
  ...base(name, `remote/${name}`),
  entry: {},
  plugins: [new ModuleFederationPlugin({
    name,
    library: { type: 'var', name },
    filename: 'remoteEntry.js',
    exposes: { [expose]: file },
    shared,
  })],
});

const webpackHost = {
  ...base('wp', 'host/wp'),
  entry: { main: './src/webpack-host/index.js' },
  plugins: [
    new ModuleFederationPlugin({
      name: 'host',
      remotes: {
        cart: `cart@${remoteOrigin}/cart/remoteEntry.js`,
        products: `products@${remoteOrigin}/products/remoteEntry.js`,
      },
      shared,
    }),
    new EmitFiles({ 'index.html': () => page('bench: webpack', '<script defer src="main.js"></script>') }),
  ],
};

const mfRuntimeHost = {
  ...base('mf', 'host/mf'),
  entry: { main: './src/mf-runtime/index.js' },
  plugins: [
    new webpack.DefinePlugin({ __VERSIONS__: JSON.stringify(versions) }),
    new EmitFiles({ 'index.html': () => page('bench: @module-federation/runtime', '<script defer src="main.js"></script>') }),
  ],
};

// The fedwasm host's shared modules are ES modules, one per shared key. A
// CommonJS package (React) is re-exported by name (its keys read here), so
// `import { useState } from 'react'` works through the import map; each other
// shared key stays an external bare import, so there is one copy of each.
const generated = path.join(__dirname, 'node_modules/.cache/fedwasm-bench');
const vendorEntry = (key) => {
  const file = path.join(generated, `${key.replace('/', '-')}.js`);
  const mod = require(key);
  let source = `export * from '${key}';\n`;
  if (!Object.prototype.hasOwnProperty.call(mod, Symbol.toStringTag) && !key.startsWith('zustand')) {
    const names = Object.keys(mod).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
    source = `import m from '${key}';\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`;
  }
  fs.mkdirSync(generated, { recursive: true });
  fs.writeFileSync(file, source);
  return file;
};
const vendorEntries = Object.fromEntries(sharedKeys.map((k) => [k.replace('/', '-'), vendorEntry(k)]));
const vendorFiles = new Set(Object.values(vendorEntries));
const asset = (compilation, chunk) => [...compilation.namedChunks.get(chunk).files][0];

// The fedwasm host's config without its remotes (a registry lists those by
// name), and its remotes.
const fedwasmConfig = (compilation) => ({
  name: 'shell',
  bootstrap: `/fw/${asset(compilation, 'bootstrap')}`,
  shared: Object.fromEntries(sharedKeys.map((k) => [k, {
    version: versionOf(k),
    import: `/fw/${asset(compilation, k.replace('/', '-'))}`,
    shareConfig: shared[k],
  }])),
});
const fedwasmRemotes = ['cart', 'products'].map((name) => ({
  name, entry: `${remoteOrigin}/${name}/remoteEntry.js`, type: 'var', entryGlobalName: name,
}));

const fedwasmHost = {
  ...base('fw', 'host/fw'),
  entry: { ...vendorEntries, bootstrap: './src/fedwasm/bootstrap.js' },
  experiments: { outputModule: true },
  output: {
    ...base('fw', 'host/fw').output,
    filename: '[name].[contenthash:10].mjs',
    chunkFilename: '[name].[contenthash:10].mjs',
    module: true,
    chunkFormat: 'module',
    library: { type: 'module' },
    publicPath: '/fw/',
  },
  externalsType: 'module',
  externals: ({ request, contextInfo }, callback) => {
    if (sharedKeys.includes(request) && !vendorFiles.has(contextInfo.issuer)) return callback(null, `module ${request}`);
    return callback();
  },
  optimization: { splitChunks: false, runtimeChunk: false },
  plugins: [new EmitFiles({
    'index.html': () => page('bench: fedwasm', '<script src="/fedwasm/loader.js" data-config="/federation.json?host=shell"></script>'),
    'static.html': () => page('bench: fedwasm', '<script src="/fedwasm/loader.js" data-config="/fw/federation.json"></script>'),
    'federation.json': (compilation) => JSON.stringify({ ...fedwasmConfig(compilation), remotes: fedwasmRemotes }, null, 2),
    'registry.json': (compilation) => JSON.stringify({
      remotes: Object.fromEntries(fedwasmRemotes.map(({ name, ...remote }) => [name, remote])),
      hosts: { shell: { config: fedwasmConfig(compilation), remotes: fedwasmRemotes.map((r) => r.name) } },
    }, null, 2),
  })],
};

module.exports = [
  remote('cart', './Cart', './src/remotes/cart.js'),
  remote('products', './Products', './src/remotes/products.js'),
  webpackHost,
  mfRuntimeHost,
  fedwasmHost,
];
