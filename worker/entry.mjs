// The worker's entry: syumai/workers' generated worker.mjs runs the Go handler;
// this passes its responses on with encodeBody: "manual" when the handler set
// Content-Encoding, because the Go handler sends files that are already
// compressed (runtime.wasm.br, .gz) and Workers would otherwise compress them again.
// A HEAD response is passed on without a body: syumai/workers gives it a stream
// of Content-Length bytes that Go never writes, which workerd reports as an error.
import worker from "./worker.mjs";

export default {
  async fetch(request, env, ctx) {
    const response = await worker.fetch(request, env, ctx);
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
