// lab-shell.js — starts GIL Lab in the page: picks the build (threads when the page is
// cross-origin isolated, the single-thread build otherwise), downloads it with a progress
// bar, shows an error panel instead of a blank canvas when anything fails, and exposes
// the JavaScript API as window.gillab.
//
// Inside a course page (an iframe) it also makes the lab behave like a part of that page:
// - focus: a click inside the lab gives the frame keyboard focus (SDL's mousedown handler
//   calls preventDefault, which alone would keep a cross-origin iframe from taking focus),
//   so Space, shortcuts, text fields and the clipboard work;
// - copying: the clipboard when allowed, else a panel with the link to copy by hand;
// - host messages (postMessage to the parent, see README "For course authors"):
//     {type: "gillab:height", height}            the height the lab wants, on load and when it changes
//     {type: "gillab:run", experiment, params, seed, engine, metrics, units, error, prediction, query}
//     {type: "gillab:prediction", experiment, params, prediction}   (when the lab reports one)
//   and the same events as DOM CustomEvents on the lab's own window.
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

  function kb(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : n >= 1024 ? Math.round(n / 1024) + " KB" : n + " bytes";
  }
  // The loading bar. With a byte count, "12 KB of 3.4 MB" (or only what arrived, when the size is
  // unknown or wrong, as a compressed Content-Length is); without one, just the words. Never "0 KB of 0 KB".
  function progress(done, total, what) {
    const sized = total > 0 && done <= total;
    $("loading-fill").style.width = done == null ? "100%" : sized ? Math.min(100, (100 * done) / total).toFixed(1) + "%" : "30%";
    $("loading-text").textContent =
      done == null ? what : what + " " + (sized ? kb(done) + " of " + kb(total) : kb(done));
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
      const reply = JSON.parse(module.ccall("gillab_api", "string", ["string"], [line]));
      if (!/^(status|query|list)\b/.test(line)) watchRuns();
      return reply;
    },
    list() { return api.request("list").experiments; },
    select(id) { return check(api.request("select " + id)); },
    set(key, value) { return check(api.request("set " + key + " " + value)); },
    query() { return api.request("query").query; },
    // Metrics of the last finished run as an object (key -> value), or null.
    metrics() { const s = api.status(); return s.result ? s.result.metrics : null; },
    status() { return api.request("status"); },
    cancel() { return api.request("cancel"); },
    // Copies a link to the lab as it is now (autorun: the link also starts the run);
    // resolves with {ok, text, error}. Without clipboard access it shows the link to copy by hand.
    copyLink({ autorun = false } = {}) {
      return copyText(linkFor(api.query() + (autorun ? "&autorun=1" : "")), "link");
    },
    lastCopy: null,                // {ok, text, what, error} of the last copy
    embedded: false,               // in an iframe
    events: [],                    // the host events posted so far (newest last, at most 50)
    wantedHeight: null,            // the height (CSS px) last posted to the parent
    // The program on screen: {code, experiment, takes_code, edited, origin, editable, error, line, col}.
    code() { return check(api.request("code")); },
    // Puts a program in the editor (an experiment's own becomes "Your program").
    setCode(code) { return check(api.request("code\n" + code)); },
    // Compiles without running: {compiles, errors: [{line, col, message}], version, note, codes: [{name, instructions}]}.
    compile(code, { version } = {}) {
      return check(api.request("compile" + (version ? " version=" + version : "") + "\n" + code));
    },
    // Be the scheduler: puzzle(id) opens a puzzle (its record, parameters and goal); schedule(what)
    // takes "start", a thread number (0 = MainThread, optionally "N line"), "undo", "restart" or
    // "show"; scheduler() is what the board shows: {puzzle, goal_text, state, steps, threads, globals, buttons}.
    puzzle(id) { return check(api.request("puzzle " + id)); },
    schedule(what = "start") { return check(api.request("schedule " + what)); },
    scheduler() { return api.status().scheduler || null; },
    // Starts an experiment, or a program: run(id, params) or run({code, version, cores, ...});
    // resolves with its result once it is done.
    async run(id, params = {}, { timeoutMs = 120000 } = {}) {
      let body = "";
      if (id && typeof id === "object") {
        const { code, ...rest } = id;
        params = rest;
        id = "";
        if (typeof code === "string") body = "\n" + code;
      }
      const words = ["run"];
      if (id) words.push(id);
      for (const [k, v] of Object.entries(params)) words.push(k + "=" + v);
      // Counted before the request: status() takes a run that is already over, so a run that
      // ends at once (a refusal, a tiny program) is seen as finished, not waited for forever.
      const before = api.status().runs_finished;
      const r = api.request(words.join(" ") + body);
      if (!r.ok) throw new Error(r.error);
      const t0 = performance.now();
      for (;;) {
        await new Promise((res) => setTimeout(res, 20));
        const s = api.status();
        if (!s.running && s.runs_finished > before && s.result) {
          // A run that failed rejects with the lab's sentence; the result stays on err.result.
          if (s.result.error) { const e = new Error(s.result.error); e.result = s.result; throw e; }
          return s.result;
        }
        if (performance.now() - t0 > timeoutMs) throw new Error("run of " + id + " timed out");
      }
    },
  };
  window.gillab = api;

  // ---- Keyboard focus -------------------------------------------------------------------
  // SDL listens for keys on the window and calls preventDefault on mousedown on the canvas.
  // In a cross-origin iframe that preventDefault keeps the frame from taking focus, so keys
  // would go to the course page (Space scrolled it) and the clipboard refused ("Document is
  // not focused"). Focusing the canvas ourselves, in the capture phase of pointerdown (which
  // comes before SDL's mousedown and carries the user's activation), fixes all of it.
  function focusLab(e) {
    const c = $("canvas");
    const panel = $("copy-panel");
    if (!c || (panel && e && e.target instanceof Node && panel.contains(e.target))) return;
    if (document.activeElement !== c) {
      try { window.focus(); } catch (err) { /* ignore */ }
      try { c.focus({ preventScroll: true }); } catch (err) { c.focus(); }
    }
  }
  window.addEventListener("pointerdown", focusLab, true);
  window.addEventListener("mousedown", focusLab, true);       // browsers without pointer events
  window.addEventListener("touchstart", focusLab, { capture: true, passive: true });
  // Keys the lab has no use for but that would scroll the course page around the frame.
  const SCROLL_KEYS = new Set(["PageUp", "PageDown", "Home", "End"]);
  window.addEventListener("keydown", (e) => {
    if (SCROLL_KEYS.has(e.key) && !isDomTextField(e.target)) e.preventDefault();
  });
  function isDomTextField(t) {
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  }

  // ---- Copying: clipboard when allowed, otherwise the link to copy by hand ------------------
  function linkFor(query) { return location.origin + location.pathname + (query ? "?" + query : ""); }
  function execCopy(text) {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0";
    document.body.appendChild(ta);
    const back = document.activeElement;
    ta.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    ta.remove();
    if (back && back.focus) back.focus({ preventScroll: true });
    return ok;
  }
  async function copyText(text, what = "text") {
    let ok = false, error = "";
    try {
      if (!navigator.clipboard || !navigator.clipboard.writeText) throw new Error("this page has no clipboard access");
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (err) {
      error = (err && err.message) || String(err);
      ok = execCopy(text);
    }
    api.lastCopy = { ok, text, what, error: ok ? "" : error };
    // The lab says "Link copied" only when it was (and otherwise why not).
    if (what === "link" && module && module.ccall) module.ccall("gillab_api", "string", ["string"], ["copied " + (ok ? "1" : "0 " + error.replace(/\s+/g, " "))]);
    if (ok) hideCopyPanel(); else showCopyPanel(text, what, error);
    return api.lastCopy;
  }
  function hideCopyPanel() { const p = $("copy-panel"); if (p) p.hidden = true; }

  // Touch screens: the canvas is not a text field, so no on-screen keyboard opens for the
  // lab's editor. A tap on the editor (not a drag) opens the program in a text box that has
  // one; Done puts the text back in the editor (an experiment's own becomes Your program).
  function editorUnder(x, y) {
    if (!module || !module.ccall || api.startupMs === null) return null;
    let c;
    try { c = api.code(); } catch (err) { return null; }
    if (!c.editable || !c.editor || !(c.editor[2] > 0)) return null;
    const r = $("canvas").getBoundingClientRect();
    const lx = (x - r.left) * c.display[0] / r.width, ly = (y - r.top) * c.display[1] / r.height;
    const [ex, ey, ew, eh] = c.editor;
    return lx >= ex && lx <= ex + ew && ly >= ey && ly <= ey + eh ? c : null;
  }
  function hideEditPanel() { const p = $("edit-panel"); if (p) p.hidden = true; $("canvas").focus({ preventScroll: true }); }
  function showEditPanel(code) {
    let p = $("edit-panel");
    if (!p) {
      p = document.createElement("div");
      p.id = "edit-panel";
      p.setAttribute("role", "dialog");
      p.setAttribute("aria-label", "Edit the program");
      p.innerHTML = '<div id="edit-title">The program, as text (the lab\'s canvas has no keyboard on touch screens):</div>' +
        '<textarea id="edit-text" spellcheck="false" autocapitalize="off" autocomplete="off" autocorrect="off"></textarea>' +
        '<button id="edit-done" type="button">Done</button><button id="edit-cancel" type="button">Cancel</button>' +
        '<div id="edit-why"></div>';
      $("lab").appendChild(p);
      for (const t of ["keydown", "keyup", "keypress"]) p.addEventListener(t, (e) => {
        e.stopPropagation();  // typing here is for this box, not for the lab behind it
        if (t === "keydown" && e.key === "Escape") hideEditPanel();
      });
      $("edit-cancel").addEventListener("click", hideEditPanel);
      $("edit-done").addEventListener("click", () => {
        try {
          api.setCode($("edit-text").value);
          hideEditPanel();
        } catch (err) {
          $("edit-why").textContent = err.message;  // e.g. a run is still going on
        }
      });
    }
    $("edit-text").value = code;
    $("edit-why").textContent = "";
    p.hidden = false;
    $("edit-text").focus({ preventScroll: true });
  }
  let touchDown = null;
  $("canvas").addEventListener("pointerdown", (e) => { touchDown = e.pointerType === "touch" ? [e.clientX, e.clientY] : null; });
  $("canvas").addEventListener("pointerup", (e) => {
    if (e.pointerType !== "touch" || !touchDown) return;
    const moved = Math.hypot(e.clientX - touchDown[0], e.clientY - touchDown[1]);
    touchDown = null;
    if (moved > 12) return;  // a drag scrolls the editor; a tap edits
    const c = editorUnder(e.clientX, e.clientY);
    if (c) showEditPanel(c.code);
  });
  function showCopyPanel(text, what, error) {
    let p = $("copy-panel");
    if (!p) {
      p = document.createElement("div");
      p.id = "copy-panel";
      p.setAttribute("role", "dialog");
      p.setAttribute("aria-label", "Copy by hand");
      p.innerHTML = '<div id="copy-title"></div><input id="copy-text" readonly spellcheck="false">' +
        '<button id="copy-close" type="button">Close</button>' +
        '<label id="copy-autorun-label"><input id="copy-autorun" type="checkbox"> the link starts the run when opened</label>' +
        '<div id="copy-why"></div>';
      $("lab").appendChild(p);
      // Keys typed here are for this panel, not for the lab behind it.
      for (const t of ["keydown", "keyup", "keypress"]) p.addEventListener(t, (e) => {
        e.stopPropagation();
        if (t === "keydown" && e.key === "Escape") { hideCopyPanel(); $("canvas").focus({ preventScroll: true }); }
      });
      $("copy-close").addEventListener("click", () => { hideCopyPanel(); $("canvas").focus({ preventScroll: true }); });
      $("copy-text").addEventListener("focus", (e) => e.target.select());
      $("copy-autorun").addEventListener("change", (e) => {
        const t = $("copy-text"), plain = t.value.replace(/[?&]autorun=1(?=&|$)/, "");
        t.value = e.target.checked ? plain + (plain.includes("?") ? "&" : "?") + "autorun=1" : plain;
        t.focus({ preventScroll: true });
        t.select();
      });
    }
    $("copy-autorun-label").hidden = what !== "link";
    $("copy-autorun").checked = /[?&]autorun=1(&|$)/.test(text);
    $("copy-title").textContent = what === "link"
      ? "The browser did not let the lab copy the link. Copy it by hand (Ctrl+C / Cmd+C):"
      : "The browser did not let the lab use the clipboard. Copy it by hand (Ctrl+C / Cmd+C):";
    $("copy-why").textContent = error ? "(" + error + ")" : "";
    $("copy-text").value = text;
    p.hidden = false;
    $("copy-text").focus({ preventScroll: true });
    $("copy-text").select();
  }

  // ---- Host integration: height and events for the course page ----------------------------
  const embedded = window.parent !== window;
  api.embedded = embedded;
  function post(type, data) {
    const msg = Object.assign({ type: "gillab:" + type }, data);
    api.events.push(msg);
    if (api.events.length > 50) api.events.shift();
    try { window.dispatchEvent(new CustomEvent("gillab:" + type, { detail: msg })); } catch (err) { /* ignore */ }
    // Nothing secret is in these messages (what the student ran and saw), so any parent may read them.
    if (embedded) { try { window.parent.postMessage(msg, "*"); } catch (err) { /* ignore */ } }
  }
  // The lab fills whatever size it gets; this is the height at which its layout for the
  // frame's width has room for everything (the wide layout is designed for 1280x720, the
  // narrow one puts the lower panels in tabs, a phone-width one stacks them).
  function wantedHeight() {
    // A layout that knows its own content height may set Module.wantedHeight (see README).
    const bar = $("newtab");
    const extra = bar && !bar.hidden ? Math.ceil(bar.getBoundingClientRect().height) : 0;
    if (module && typeof module.wantedHeight === "number" && module.wantedHeight > 0) return Math.round(module.wantedHeight) + extra;
    const w = document.documentElement.clientWidth || window.innerWidth;
    return (w >= 1000 ? 720 : w >= 560 ? 600 : 844) + extra;
  }
  function postHeight(force) {
    const h = wantedHeight();
    if (!force && h === api.wantedHeight) return;
    api.wantedHeight = h;
    post("height", { height: h });
  }
  window.addEventListener("resize", () => postHeight(false));
  // A course page that attached its listener late can ask again.
  window.addEventListener("message", (e) => {
    if (e.source === window.parent && e.data && e.data.type === "gillab:hello") postHeight(true);
  });

  // Run finished: the lab has no push signal for it, so while a run may be going on (after
  // the user's input or an API call) the shell asks for the status four times a second, and
  // not at all when nothing happens.
  // runs_finished counts the runs the lab took: one more than last posted is a run to post
  // (once its playback ended, so the prediction's verdict is in it).
  let watchTimer = null, idlePolls = 0, postedRuns = null, lastPredSig = null;
  function watchRuns() {
    idlePolls = 0;
    if (watchTimer === null && module && module.ccall && api.startupMs !== null) watchTimer = setTimeout(pollRun, 250);
  }
  function pollRun() {
    watchTimer = null;
    let s;
    try { s = JSON.parse(module.ccall("gillab_api", "string", ["string"], ["status"])); } catch (err) { return; }
    const busy = !!(s.running || s.playing);
    if (postedRuns === null) postedRuns = s.runs_finished - (s.result && !busy ? 1 : 0);  // a run before the first look (autorun)
    const pred = s.prediction && s.prediction.locked ? s.prediction : null;
    const predSig = pred ? JSON.stringify([s.experiment, pred]) : null;
    if (predSig && predSig !== lastPredSig) {
      post("prediction", { experiment: s.experiment, params: pred.params || (s.result && s.result.params) || null, prediction: pred });
    }
    lastPredSig = predSig;
    if (!busy && s.result) {
      if (s.runs_finished > postedRuns) {
        postedRuns = s.runs_finished;
        const r = s.result;
        post("run", {
          experiment: r.experiment, engine: r.engine, params: r.params, seed: r.seed, metrics: r.metrics,
          units: r.units || {}, error: r.error || null, prediction: pred, query: api.query(),
        });
      }
    }
    if (busy) idlePolls = 0; else idlePolls++;
    if (busy || idlePolls < 6) watchTimer = setTimeout(pollRun, 250);
  }
  // Embedded where the frame cannot be isolated (a course page in Firefox or Safari, or a host
  // without Document-Isolation-Policy): a real-thread experiment gets a bar with a link that
  // opens the lab as it is now in its own tab, where it can be isolated.
  let engines = null;  // experiment id -> "sim" | "real"
  function updateNewTab(query) {
    const bar = $("newtab");
    if (!bar || !embedded || isolated || !module || !module.ccall) return;
    if (!engines) {
      try { engines = Object.fromEntries(api.list().map((e) => [e.id, e.engine])); } catch (err) { return; }
    }
    const m = /(?:^|&)exp=([^&]*)/.exec(query);
    const exp = m ? decodeURIComponent(m[1]) : "";
    const real = engines[exp] === "real";
    $("newtab-link").href = linkFor(query);
    api.newTab = real ? $("newtab-link").href : null;
    if (bar.hidden === real) { bar.hidden = !real; postHeight(false); }
  }
  api.newTab = null;               // embedded, not isolated, real experiment: the link to its own tab

  // The user's input may start a run (Run, Space, Replay); look for a while after it.
  for (const t of ["pointerup", "keyup"]) window.addEventListener(t, () => watchRuns(), true);

  async function start() {
    if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
    const wasmBinary = await fetchWithProgress(build + ".wasm");
    progress(null, 0, "Starting the lab…");
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
        document.body.classList.toggle("light", /(?:^|&)theme=light(?:&|$)/.test(q));  // the shell's own panels follow the theme
        updateNewTab(q);
        postHeight(false);
      },
      // platform_web.cpp hands every copy to the shell (clipboard, or the link shown to copy by hand).
      copyText: (text, what) => { copyText(text, what); },
      linkFor,
      onFirstFrame: () => {
        api.startupMs = performance.now();
        $("loading").hidden = true;
        resolveReady(api);
        postHeight(false);
        updateNewTab(api.query());
        watchRuns();  // autorun=1
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
