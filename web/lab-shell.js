// lab-shell.js — starts GIL Lab in the page: picks the build (threads when the page is
// cross-origin isolated, the single-thread build otherwise), downloads it with a progress
// bar, shows an error panel instead of a blank canvas when anything fails, and exposes
// the JavaScript API as window.gillab.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const isolated = !!self.crossOriginIsolated && typeof SharedArrayBuffer !== "undefined";
  const build = isolated ? "lab" : "lab-st";
  const started = performance.now();
  let failed = false;

  function fail(msg) {
    if (failed) return;
    failed = true;
    console.error("GIL Lab: " + msg);
    $("loading").hidden = true;
    $("error-text").textContent = String(msg);
    $("error").hidden = false;
  }
  window.addEventListener("error", (e) => {
    // The isolation helper failing is not fatal: the single-thread build still works.
    if (e.filename && /coi-serviceworker/.test(e.filename)) {
      console.warn("GIL Lab: the isolation helper failed (" + e.message + "); continuing without threads");
      return;
    }
    fail(e.message || "script error");
  });
  window.addEventListener("unhandledrejection", (e) => fail((e.reason && e.reason.message) || e.reason));

  function kb(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.round(n / 1024) + " KB"; }
  function progress(done, total, what) {
    $("loading-fill").style.width = total ? Math.min(100, (100 * done) / total).toFixed(1) + "%" : "30%";
    $("loading-text").textContent = what + (total ? " " + kb(done) + " of " + kb(total) : " " + kb(done));
  }

  async function fetchWithProgress(url) {
    const resp = await fetch(url);
    if (!resp.ok) throw new Error("could not download " + url + " (HTTP " + resp.status + ")");
    const total = +resp.headers.get("Content-Length") || 0;
    if (!resp.body || !resp.body.getReader) return new Uint8Array(await resp.arrayBuffer());
    const reader = resp.body.getReader();
    const chunks = [];
    let got = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      got += value.length;
      progress(got, total, "Downloading the lab");
    }
    const out = new Uint8Array(got);
    let off = 0;
    for (const c of chunks) { out.set(c, off); off += c.length; }
    return out;
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error("could not load " + src));
      document.body.appendChild(s);
    });
  }

  function check(r) { if (!r.ok) throw new Error(r.error); return r; }
  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {});
  let module = null;

  // window.gillab: the lab's JavaScript API (tests and course pages script the lab with it).
  const api = {
    ready,                         // resolves when the first frame was drawn
    isolated,                      // true: real-thread experiments are available
    build,                         // "lab" (threads) or "lab-st" (single thread)
    startupMs: null,               // navigation start to first drawn frame
    request(line) {                // raw request, parsed JSON reply
      if (!module || !module.ccall) throw new Error("GIL Lab is not ready yet (await gillab.ready)");
      return JSON.parse(module.ccall("gillab_api", "string", ["string"], [line]));
    },
    list() { return api.request("list").experiments; },
    select(id) { return check(api.request("select " + id)); },
    set(key, value) { return check(api.request("set " + key + " " + value)); },
    query() { return api.request("query").query; },
    // Metrics of the last finished run as an object (key -> value), or null.
    metrics() { const s = api.status(); return s.result ? s.result.metrics : null; },
    status() { return api.request("status"); },
    cancel() { return api.request("cancel"); },
    // Starts an experiment; resolves with its result once it is done.
    async run(id, params = {}, { timeoutMs = 120000 } = {}) {
      const words = ["run", id];
      for (const [k, v] of Object.entries(params)) words.push(k + "=" + v);
      const r = api.request(words.join(" "));
      if (!r.ok) throw new Error(r.error);
      const t0 = performance.now();
      for (;;) {
        await new Promise((res) => setTimeout(res, 20));
        const s = api.status();
        if (!s.running && s.result) return s.result;
        if (performance.now() - t0 > timeoutMs) throw new Error("run of " + id + " timed out");
      }
    },
  };
  window.gillab = api;

  async function start() {
    if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
    const wasmBinary = await fetchWithProgress(build + ".wasm");
    progress(1, 1, "Starting");
    await loadScript(build + ".js");
    const base = new URL(build + ".js", location.href).href;
    // MODULARIZE makes this very object the Module, so ccall is on it once it is ready.
    const cfg = {
      canvas: $("canvas"),
      wasmBinary,
      mainScriptUrlOrBlob: base,
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
      onAbort: (what) => fail("the lab stopped: " + what),
      // The lab keeps the URL in step with what is on screen, so any moment can be shared.
      onQueryChange: (q) => {
        try { history.replaceState(null, "", location.pathname + (q ? "?" + q : "")); } catch (e) { /* sandboxed iframe */ }
      },
      onFirstFrame: () => {
        api.startupMs = performance.now();
        $("loading").hidden = true;
        resolveReady(api);
      },
    };
    module = cfg;
    await createGilLab(cfg);
  }
  start().catch((e) => {
    fail(e && e.message ? e.message : e);
    rejectReady(e);
  });
  void started;
})();
