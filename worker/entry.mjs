// The worker's entry. A GET or HEAD of a file the static index lists (the
// runtime's and the remotes' files, assets.mjs, written by ./build.sh worker
// from server.StaticIndex) is answered here from env.ASSETS: Workers Static
// Assets on Cloudflare, workerd's disk service locally. Everything else goes
// to Go (syumai/workers' generated worker.mjs runs server.Site): the registry,
// /healthz, other methods (CORS preflights included), unknown paths and any
// path that is not a plain listed name (percent-encoded, too long), which
// Go's Policy.wrap answers with its 400/404/414.
//
// The index carries the headers server.Files gives each file (Content-Type,
// Cache-Control, a content ETag per encoding); what depends on the request is
// decided here as Go decides it: the CORS allowlist (ALLOWED_ORIGINS, the
// same binding Go reads), the precompressed variant the Accept-Encoding
// accepts (br, then gzip, q=0 refuses) and If-None-Match (304). Neither
// asset service gives these headers (the disk service sends
// application/octet-stream and no ETag), so the front sets all of them and
// uses the asset service only for the bytes.
//
// Go's responses are passed on with encodeBody: "manual" when they name a
// Content-Encoding, so Workers does not compress them again. A HEAD response
// from Go is passed on without a body: syumai/workers gives it a stream of
// Content-Length bytes that Go never writes, which workerd reports as an error.
// A request whose URL Go cannot parse never reaches the Go handler: it gets
// 400 here (see badRequest).
import worker from "./worker.mjs";
import assets from "./assets.mjs";

// badRequest answers a request whose URL Go's url.Parse refuses (a "%" not
// followed by two hex digits, in the path or the host): syumai/workers then
// rejects with Go's url.Error ('parse "<url>": <reason>') before the handler
// runs. It is the client's malformed request, so 400 with the coded error the
// Go handler gives a malformed path, not the 500 of an uncaught rejection.
function badRequest(err) {
  if (!(err instanceof Error) || !err.message.startsWith('parse "')) {
    return null;
  }
  const body = {
    code: "INVALID_ARGUMENT",
    message: `the request URL does not parse: ${err.message}; ask for a file's path as the site lists it (see docs/errors.md#invalid_argument)`,
    details: { param: "uri" },
  };
  return new Response(JSON.stringify(body) + "\n", {
    status: 400,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}

// listedFile is the index entry a request asks for, or null when Go answers it.
function listedFile(request, url) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return null;
  }
  if (url.pathname.length + url.search.length > assets.maxURIBytes) {
    return null;
  }
  return Object.hasOwn(assets.files, url.pathname) ? assets.files[url.pathname] : null;
}

// accepts reports whether an Accept-Encoding header allows enc (listed with a
// q-value above 0; "*" does not count), as server.acceptsEncoding reads it.
function accepts(header, enc) {
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (name.trim().toLowerCase() !== enc) {
      continue;
    }
    let q = 1;
    for (const param of params) {
      const [key, value = ""] = param.split("=");
      const f = value.trim() === "" ? NaN : Number(value.trim());
      if (key.trim() === "q" && !Number.isNaN(f)) {
        q = f;
      }
    }
    return q > 0;
  }
  return false;
}

// notModified reports whether an If-None-Match header names etag (weak
// comparison, "*" matches), as net/http's ServeContent decides.
function notModified(header, etag) {
  if (header === null) {
    return false;
  }
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === "W/" + etag;
  });
}

// allowedOrigins is the CORS allowlist from ALLOWED_ORIGINS (comma-separated).
function allowedOrigins(env) {
  return String(env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
}

// serveStatic answers a listed file from env.ASSETS; null when the asset
// service does not have it (a deploy whose assets and index disagree), so
// that Go answers (404) and the log says which file is missing.
async function serveStatic(request, env, url, file) {
  const acceptEncoding = request.headers.get("Accept-Encoding") ?? "";
  const variant = file.encodings?.find((v) => accepts(acceptEncoding, v.encoding)) ?? null;
  const etag = variant ? variant.etag : file.etag;
  const headers = new Headers({
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": file.cacheControl,
    ETag: etag,
  });
  const origin = request.headers.get("Origin");
  if (origin !== null) {
    headers.append("Vary", "Origin");
    if (allowedOrigins(env).includes(origin)) {
      headers.set("Access-Control-Allow-Origin", origin);
    }
  }
  headers.append("Vary", "Accept-Encoding");
  if (notModified(request.headers.get("If-None-Match"), etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Type", file.contentType);
  if (variant) {
    headers.set("Content-Encoding", variant.encoding);
  }
  if (request.method === "HEAD") {
    headers.set("Content-Length", String(variant ? variant.size : file.size));
    return new Response(null, { status: 200, headers });
  }
  const asset = await env.ASSETS.fetch(new URL(variant ? variant.path : url.pathname, url.origin));
  if (asset.status !== 200) {
    console.error(`fedwasm-worker: the static index lists ${url.pathname} but the assets answer ${asset.status} for it; redeploy the worker's assets with ./build.sh worker`);
    await asset.body?.cancel();
    return null;
  }
  return new Response(asset.body, { status: 200, headers, encodeBody: variant ? "manual" : "automatic" });
}

// serveGo runs the Go handler (a fresh Go instance, as syumai/workers runs it).
async function serveGo(request, env, ctx) {
  let response;
  try {
    response = await worker.fetch(request, env, ctx);
  } catch (err) {
    const answer = badRequest(err);
    if (answer) {
      return answer;
    }
    throw err;
  }
  if (request.method === "HEAD") {
    response.body?.cancel();
    return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  if (!response.headers.has("Content-Encoding")) {
    return response;
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    encodeBody: "manual",
  });
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const file = listedFile(request, url);
    if (file) {
      const answer = await serveStatic(request, env, url, file);
      if (answer) {
        return answer;
      }
    }
    return serveGo(request, env, ctx);
  },
};
