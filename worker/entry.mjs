// The worker's entry: syumai/workers' generated worker.mjs runs the Go handler;
// this passes its responses on with encodeBody: "manual" when the handler set
// Content-Encoding, because the Go handler sends files that are already
// compressed (runtime.wasm.br, .gz) and Workers would otherwise compress them again.
// A HEAD response is passed on without a body: syumai/workers gives it a stream
// of Content-Length bytes that Go never writes, which workerd reports as an error.
// A request whose URL Go cannot parse never reaches the Go handler: it gets 400
// here (see badRequest).
import worker from "./worker.mjs";

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

export default {
  async fetch(request, env, ctx) {
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
  },
};
