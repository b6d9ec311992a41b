// embed.test.mjs — the lab as a course page uses it: in a cross-origin iframe of a plain
// page (no COOP/COEP, like a Moodle or Canvas page) served from a second port.
//   1. lab served with COOP/COEP but without Document-Isolation-Policy: the frame is not
//      isolated, loads the single-thread build without the service-worker helper reloading
//      it; a click focuses it, Space runs (and does not scroll the course page), the predict
//      box takes typing, copying works or shows the link by hand, and the parent receives the
//      height (which the README's snippet applies) and the run event.
//   2. lab served with Document-Isolation-Policy: the frame is cross-origin isolated inside
//      the plain page and real.race runs on real threads there.
import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { serve, launch, test, skip, assert, finish, OUT } from "./harness.mjs";
import { coursePage } from "./course-page.mjs";

async function openCourse(browser, url, { width = 1280, height = 720 } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  page.errors = [];
  page.labNavigations = 0;
  page.on("console", (m) => { if (m.type() === "error") page.errors.push("console: " + m.text()); });
  page.on("pageerror", (e) => page.errors.push("pageerror: " + e.message));
  // Document loads of the frame (history.replaceState, which keeps the URL in step, is none).
  page.on("request", (r) => { if (r.isNavigationRequest() && r.frame() !== page.mainFrame()) page.labNavigations++; });
  await page.goto(url);
  const frame = await (await page.$("#lab")).contentFrame();
  await frame.waitForFunction(() => window.gillab && window.gillab.startupMs !== null, null, { timeout: 90000 });
  // The README snippet gave the frame the height it asked for, and the lab was drawn at it:
  // from here on the layout stays put (for clicks at spots of it).
  await page.waitForFunction(() => { const m = (window.labMessages || []).filter((m) => m.type === "gillab:height").pop();
    return m && Math.round(document.getElementById("lab").getBoundingClientRect().height) === m.height; }, null, { timeout: 10000 });
  await frames(frame, 3);  // the lab follows its canvas's size on its next frame
  return { ctx, page, frame };
}

// Waits until the lab drew two more frames (ImGui sees a click in the frame after it).
async function frames(frame, n = 2) {
  await frame.evaluate((n) => new Promise((res) => { const f = () => (--n <= 0 ? res() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);
}

// Presses a key for two frames: ImGui 1.86 reads keys as held-down state once per frame, so a
// press and release that land in the same frame (a busy machine) would go unseen.
async function pressKey(page, frame, key) {
  await page.keyboard.down(key);
  await frames(frame);
  await page.keyboard.up(key);
}

// Where the iframe is on the page, to click at a spot inside it.
async function frameBox(page) { return (await page.$("#lab")).boundingBox(); }

// Clicks a spot of the lab that is no control (the header line under the toolbar).
async function clickNeutral(page, fx = 0.72, fy = 0.16) {
  const b = await frameBox(page);
  await page.mouse.click(b.x + b.width * fx, b.y + b.height * fy);
}

// The predict answer box, found in a screenshot of the frame (ImGui draws no DOM): the only
// control that is an empty rectangle of one colour, at least 100x16 px, bluer than it is red
// (ImGui's frame colour; sliders and combos have text or a grab in them, buttons are shorter).
async function findPredictBox(page) {
  const b = await frameBox(page);
  const png = await page.screenshot({ clip: b });
  const { width, height, px } = decodePng(png);
  const at = (x, y) => { const i = (y * width + x) * 4; return [px[i], px[i + 1], px[i + 2]]; };
  const bg = at(2, Math.floor(height / 2));
  const uniform = (x0, y0, w, h, c) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (!eq(at(x, y), c)) return false;
    return true;
  };
  let best = null;
  for (let y = 0; y + 16 < height; y += 2) {
    let runStart = 0;
    for (let x = 1; x <= width; x++) {
      if (x < width && eq(at(x, y), at(runStart, y))) continue;
      const len = x - runStart, c = at(runStart, y);
      if (len >= 100 && len <= 260 && !eq(c, bg) && c[2] > c[0] + 20 && uniform(runStart, y, len, 16, c) &&
          (!best || len > best.len)) best = { x: runStart, y, len, c };
      runStart = x;
    }
  }
  return best ? { x: b.x + best.x + best.len / 2, y: b.y + best.y + 8, colour: best.c, width: best.len, frame: b } : null;
}
// The first button right of the answer box on its row (ImGui's button colour is bluish, unlike
// the window background), as a point to click.
async function findButtonRightOf(page, box) {
  const clip = { x: Math.round(box.x + box.width / 2 + 2), y: Math.round(box.y - 6), width: 200, height: 1 };
  const { width, px } = decodePng(await page.screenshot({ clip }));
  const at = (x) => [px[x * 4], px[x * 4 + 1], px[x * 4 + 2]];
  const bg = at(0);
  let start = -1;
  for (let x = 0; x <= width; x++) {
    const c = x < width ? at(x) : bg;
    const button = c[2] > c[0] + 40 && !eq(c, bg);
    if (button && start < 0) start = x;
    if (!button && start >= 0) {
      if (x - start >= 30) return { x: clip.x + (start + x) / 2, y: box.y };
      start = -1;
    }
  }
  return null;
}
function eq(a, b) { return a[0] === b[0] && a[1] === b[1] && a[2] === b[2]; }

// Minimal PNG decoder for the screenshots (8-bit RGB/RGBA, non-interlaced, as Chromium writes).
function decodePng(buf) {
  let off = 8, width = 0, height = 0, ctype = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), type = buf.toString("ascii", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") { width = data.readUInt32BE(0); height = data.readUInt32BE(4); ctype = data[9]; }
    if (type === "IDAT") idat.push(data);
    off += 12 + len;
  }
  const bpp = ctype === 6 ? 4 : 3, stride = width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const out = new Uint8Array(width * height * 4), prev = new Uint8Array(stride), cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i], a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let p = v;
      if (f === 1) p = v + a; else if (f === 2) p = v + b; else if (f === 3) p = v + ((a + b) >> 1);
      else if (f === 4) { const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c); p = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c); }
      cur[i] = p & 255;
    }
    for (let x = 0; x < width; x++) for (let k = 0; k < 4; k++) out[(y * width + x) * 4 + k] = k < bpp ? cur[x * bpp + k] : 255;
    prev.set(cur);
  }
  return { width, height, px: out };
}

// The plain course pages, one per case, all embedding the lab from labUrl.
function writeCoursePages(dir, labUrl) {
  mkdirSync(dir, { recursive: true });
  const pages = {
    "index.html": ["index", "index.html?embed=1"],
    "race.html": ["counter += 1", "index.html?exp=race.counter&version=3.9&increments=20000&embed=1"],
    "predict.html": ["predict first", "index.html?exp=gil.cpu&iterations=1000000&embed=1&predict=1"],
    "real.html": ["real threads", "index.html?exp=real.race&embed=1"],
  };
  for (const [file, [title, src]] of Object.entries(pages)) writeFileSync(path.join(dir, file), coursePage(title, [labUrl + src]));
  return dir;
}

const lab = await serve({ dip: false });           // COOP/COEP, no Document-Isolation-Policy
const labDip = await serve();                       // COOP/COEP + Document-Isolation-Policy
const course = await serve({ isolation: false, dir: writeCoursePages(path.join(OUT, "course-page"), lab.url) });
const browser = await launch();
let predictionEventSkipped = null;
try {
  await test("embedded without isolation: single-thread build, one navigation, no helper, height reaches the parent", async () => {
    const { ctx, page, frame } = await openCourse(browser, course.url + "race.html");
    assert(!(await page.evaluate(() => self.crossOriginIsolated)), "course page is not isolated");
    assert(!(await frame.evaluate(() => self.crossOriginIsolated)), "frame is not isolated");
    assert((await frame.evaluate(() => window.gillab.build)) === "lab-st", "frame loaded the single-thread build");
    assert(await frame.evaluate(() => window.gillab.embedded), "the lab knows it is embedded");
    assert(!(await frame.evaluate(() => !!document.querySelector('script[src*="coi-serviceworker"]'))),
      "the isolation helper was not loaded in a cross-origin frame");
    assert((await frame.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)) === 0,
      "no service worker registered by the frame");
    // The height: posted by the frame, received by the parent, applied by the README snippet.
    await page.waitForFunction(() => labMessages.some((m) => m.type === "gillab:height"), null, { timeout: 10000 });
    const h = await page.evaluate(() => labMessages.find((m) => m.type === "gillab:height").height);
    assert(Number.isInteger(h) && h >= 400 && h <= 1000, "a sensible wanted height: " + h);
    await page.waitForFunction((h) => Math.round(document.getElementById("lab").getBoundingClientRect().height) === h, h, { timeout: 5000 });
    // Asked again (a course page whose listener came late), the frame answers again.
    const before = await page.evaluate(() => labMessages.filter((m) => m.type === "gillab:height").length);
    await page.evaluate(() => document.getElementById("lab").contentWindow.postMessage({ type: "gillab:hello" }, "*"));
    await page.waitForFunction((n) => labMessages.filter((m) => m.type === "gillab:height").length > n, before, { timeout: 5000 });
    // Narrower frame, other layout: a new height is posted.
    await page.evaluate(() => { document.getElementById("lab").style.width = "420px"; });
    await page.waitForFunction((h) => labMessages.some((m) => m.type === "gillab:height" && m.height !== h), h, { timeout: 5000 });
    assert(await frame.evaluate(() => document.getElementById("newtab").hidden), "no new-tab bar for a simulated experiment");
    assert(page.labNavigations === 1, "the frame navigated exactly once (no helper reloads): " + page.labNavigations);
    assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
    await ctx.close();
  });

  await test("embedded: a click focuses the lab, Space runs it without scrolling the course page, the parent gets the run", async () => {
    const { ctx, page, frame } = await openCourse(browser, course.url + "race.html");
    assert(!(await frame.evaluate(() => document.hasFocus())), "frame starts without focus");
    await clickNeutral(page);
    await frame.waitForFunction(() => document.hasFocus(), null, { timeout: 5000 });
    assert(await frame.evaluate(() => document.activeElement && document.activeElement.id === "canvas"), "the canvas has focus");
    await frames(frame);
    const st0 = await frame.evaluate(() => window.gillab.status());
    assert(!st0.running && !st0.result, "no run before Space");
    await pressKey(page, frame, "Space");
    await frame.waitForFunction(() => { const s = window.gillab.status(); return s.running || !!s.result; }, null, { timeout: 10000 });
    assert((await page.evaluate(() => window.scrollY)) === 0, "Space did not scroll the course page");
    await page.keyboard.press("PageDown");
    assert((await page.evaluate(() => window.scrollY)) === 0, "PageDown in the lab did not scroll the course page");
    // The run event: once the run is over and its playback stopped.
    await page.waitForFunction(() => labMessages.some((m) => m.type === "gillab:run"), null, { timeout: 60000 });
    const ev = await page.evaluate(() => labMessages.find((m) => m.type === "gillab:run"));
    assert(ev.experiment === "race.counter" && ev.engine === "sim", "run event names the experiment: " + JSON.stringify(ev).slice(0, 200));
    assert(ev.params && ev.params.version === "3.9" && ev.params.increments === 20000, "run event has the parameters: " + JSON.stringify(ev.params));
    assert(ev.metrics && ev.metrics.expected === 40000 && typeof ev.metrics.lost === "number", "run event has the result: " + JSON.stringify(ev.metrics));
    assert(/exp=race.counter/.test(ev.query), "run event has the query that restores the state: " + ev.query);
    const runs = await page.evaluate(() => labMessages.filter((m) => m.type === "gillab:run").length);
    assert(runs === 1, "one run, one event: " + runs);
    // A second run (through the API, same seed, same result) is a second event.
    await frame.evaluate(() => window.gillab.run("race.counter", { version: "3.9", increments: 20000 }));
    await page.waitForFunction(() => labMessages.filter((m) => m.type === "gillab:run").length === 2, null, { timeout: 60000 });
    assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
    await ctx.close();
  });

  await test("embedded: Copy link works after a click, and a refused clipboard shows the link to copy by hand", async () => {
    const { ctx, page, frame } = await openCourse(browser, course.url + "race.html");
    await clickNeutral(page);
    await frame.waitForFunction(() => document.hasFocus(), null, { timeout: 5000 });
    const c = await frame.evaluate(() => window.gillab.copyLink());
    assert(c.ok, "the link was copied: " + JSON.stringify(c));
    assert(/^http:\/\/127\.0\.0\.1:\d+\/index\.html\?exp=race\.counter/.test(c.text) && /version=3\.9/.test(c.text), "it is the lab's own link: " + c.text);
    assert(!(await frame.evaluate(() => { const p = document.getElementById("copy-panel"); return p && !p.hidden; })), "no copy-by-hand panel when copying worked");
    // The browser refuses (as a course page's frame without clipboard access does).
    await frame.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException("Document is not focused.", "NotAllowedError"));
      document.execCommand = () => false;
    });
    const r = await frame.evaluate(() => window.gillab.copyLink({ autorun: true }));
    assert(!r.ok && /not focused/.test(r.error), "refusal reported: " + JSON.stringify(r));
    const panel = await frame.evaluate(() => {
      const p = document.getElementById("copy-panel");
      return p && { shown: !p.hidden, value: document.getElementById("copy-text").value, title: document.getElementById("copy-title").textContent,
                    focused: document.activeElement && document.activeElement.id === "copy-text" };
    });
    assert(panel && panel.shown && /did not let the lab copy the link/.test(panel.title), "the panel says so: " + JSON.stringify(panel));
    assert(panel.value === r.text && /autorun=1/.test(panel.value), "the panel shows the link: " + panel.value);
    assert(panel.focused, "the link is focused and selected, ready for Ctrl+C");
    // The plain link, or the one that runs on open.
    await frame.click("#copy-autorun");
    assert(!/autorun=1/.test(await frame.evaluate(() => document.getElementById("copy-text").value)), "unticked: the plain link");
    await frame.click("#copy-autorun");
    assert((await frame.evaluate(() => document.getElementById("copy-text").value)) === r.text, "ticked again: the link that runs");
    assert(await frame.evaluate(() => document.activeElement.id === "copy-text"), "the link has the focus again");
    await page.screenshot({ path: path.join(OUT, "embed-copy-by-hand.png") });
    // Keys typed in the panel stay there: Space does not start a run; Escape closes it.
    await pressKey(page, frame, "Space");
    await frames(frame);
    const st = await frame.evaluate(() => window.gillab.status());
    assert(!st.running && !st.result, "Space in the panel did not start a run");
    await page.keyboard.press("Escape");
    assert(await frame.evaluate(() => document.getElementById("copy-panel").hidden), "Escape closed the panel");
    assert(await frame.evaluate(() => document.activeElement.id === "canvas"), "focus went back to the lab");
    assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
    await ctx.close();
  });

  await test("embedded without isolation: a real-thread experiment offers its own tab, which restores the state and runs real threads", async () => {
    const { ctx, page, frame } = await openCourse(browser, course.url + "real.html");
    assert(!(await frame.evaluate(() => self.crossOriginIsolated)), "frame is not isolated");
    const bar = await frame.evaluate(() => ({ hidden: document.getElementById("newtab").hidden, href: document.getElementById("newtab-link").href,
      target: document.getElementById("newtab-link").target, text: document.getElementById("newtab").textContent }));
    assert(!bar.hidden && /Open in a new tab/.test(bar.text) && bar.target === "_blank", "the bar is shown: " + JSON.stringify(bar));
    // Change the state first: the link follows it.
    await frame.evaluate(() => window.gillab.set("threads", 3));
    await frame.waitForFunction(() => /threads=3/.test(document.getElementById("newtab-link").href), null, { timeout: 5000 });
    const q = await frame.evaluate(() => window.gillab.query());
    const href = await frame.evaluate(() => document.getElementById("newtab-link").href);
    assert(href === lab.url + "index.html?" + q, "the link is the lab's own page with the current state: " + href + " vs " + q);
    // The canvas is below the bar, not under it.
    const geo = await frame.evaluate(() => [document.getElementById("newtab").getBoundingClientRect().bottom,
      document.getElementById("canvas").getBoundingClientRect().top]);
    assert(geo[1] >= geo[0] - 0.5, "the bar does not cover the lab: " + geo);
    const [tab] = await Promise.all([ctx.waitForEvent("page"), frame.click("#newtab-link")]);
    await tab.waitForFunction(() => window.gillab && window.gillab.startupMs !== null, null, { timeout: 90000 });
    assert(await tab.evaluate(() => self.crossOriginIsolated), "the lab's own tab is cross-origin isolated");
    assert((await tab.evaluate(() => window.gillab.query())) === q, "the tab restored the state");
    const r = await tab.evaluate(() => window.gillab.run("real.race", { increments: 100000 }));
    assert(!r.error && r.engine === "real" && r.params.threads === 3, "real.race runs there: " + (r.error || JSON.stringify(r.params)));
    assert(await tab.evaluate(() => document.getElementById("newtab").hidden), "no bar in the lab's own tab");
    // The wanted height makes room for the bar; a simulated experiment hides the bar again
    // and asks for that much less.
    const barH = await frame.evaluate(() => Math.ceil(document.getElementById("newtab").getBoundingClientRect().height));
    const hReal = await page.evaluate(() => labMessages.filter((m) => m.type === "gillab:height").pop().height);
    await frame.evaluate(() => window.gillab.select("race.counter"));
    await frame.waitForFunction(() => document.getElementById("newtab").hidden, null, { timeout: 5000 });
    await page.waitForFunction((h) => labMessages.filter((m) => m.type === "gillab:height").pop().height !== h, hReal, { timeout: 5000 });
    const hSim = await page.evaluate(() => labMessages.filter((m) => m.type === "gillab:height").pop().height);
    assert(barH > 0 && hReal - hSim === barH, `the height includes the bar: ${hReal} - ${hSim} = bar ${barH}`);
    assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
    await ctx.close();
  });

  await test("embedded with predict=1: the answer box takes typing", async () => {
    const { ctx, page, frame } = await openCourse(browser, course.url + "predict.html");
    // Make the frame as tall as it asks, so the whole predict panel is on screen.
    let box = null;
    for (let i = 0; i < 20 && !box; i++) box = await findPredictBox(page);  // until the resized frame is drawn
    assert(box, "found the answer box in the frame");
    const q0 = await frame.evaluate(() => window.gillab.query());
    await page.mouse.click(box.x, box.y);
    await frame.waitForFunction(() => document.hasFocus(), null, { timeout: 5000 });
    await frames(frame);
    const b = box.frame;
    const clip = { x: box.x - box.width / 2, y: box.y - 8, width: box.width, height: 16 };
    const before = await page.screenshot({ clip });
    // "t" toggles the theme when typed outside a text field; in the field it must be text
    // (filtered out by the numeric field), and the digits must appear in the box.
    await page.keyboard.type("t1.5");
    let after = before;
    for (let i = 0; i < 50 && after.equals(before); i++) after = await page.screenshot({ clip });  // the next frames
    assert(!before.equals(after), "the typed digits appear in the answer box");
    const q1 = await frame.evaluate(() => window.gillab.query());
    assert(q1 === q0, "typing went to the text field, not to the shortcuts: " + q0 + " -> " + q1);
    const st = await frame.evaluate(() => window.gillab.status());
    assert(!st.running && !st.result, "typing did not start a run");
    await page.screenshot({ path: path.join(OUT, "embed-predict-typed.png") });
    // Lock in (the button right of the box): the box goes away; a lab that reports the
    // prediction in its status posts gillab:prediction to the course page.
    const lock = await findButtonRightOf(page, box);
    assert(lock, "found the Lock in button");
    await page.mouse.click(lock.x, lock.y);
    await frames(frame, 3);
    assert(!(await findPredictBox(page)), "the answer was locked in (the box is gone)");
    await page.screenshot({ path: path.join(OUT, "embed-predict-locked.png") });
    const pred = (await frame.evaluate(() => window.gillab.status())).prediction;
    if (pred === undefined) {
      predictionEventSkipped = "the lab's status() reports no prediction, so gillab:prediction cannot be posted yet " +
        "(UI hook needed: a \"prediction\" object in App::api's status reply, src/ui/app.cpp)";
    } else {
      assert(pred.locked && pred.value === 1.5, "status reports the locked prediction: " + JSON.stringify(pred));
      await page.waitForFunction(() => labMessages.some((m) => m.type === "gillab:prediction"), null, { timeout: 5000 });
      const ev = await page.evaluate(() => labMessages.find((m) => m.type === "gillab:prediction"));
      assert(ev.experiment === "gil.cpu" && ev.prediction.value === 1.5, "prediction event: " + JSON.stringify(ev));
    }
    // Outside the field the shortcut works again (so the keys did reach the lab).
    await page.mouse.click(b.x + b.width * 0.72, b.y + b.height * 0.16);
    await frames(frame);
    await page.keyboard.type("t");
    await frame.waitForFunction((q0) => window.gillab.query() !== q0, q0, { timeout: 5000 });
    assert(/theme=light/.test(await frame.evaluate(() => window.gillab.query())), "t outside the field switched the theme");
    assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
    await ctx.close();
  });
  if (predictionEventSkipped) skip("embedded with predict=1: the course page gets gillab:prediction", predictionEventSkipped);

  // Second server mode: the lab sends Document-Isolation-Policy.
  const course2 = await serve({ isolation: false, dir: writeCoursePages(path.join(OUT, "course-page-dip"), labDip.url) });
  try {
    const name = "embedded with Document-Isolation-Policy: the frame is cross-origin isolated and real.race runs on real threads";
    const { ctx, page, frame } = await openCourse(browser, course2.url + "real.html");
    const frameIsolated = await frame.evaluate(() => self.crossOriginIsolated);
    const version = browser.version();
    if (!frameIsolated) {
      const hdr = await frame.evaluate(async () => (await fetch(location.href, { cache: "no-store" })).headers.get("Document-Isolation-Policy"));
      if (hdr === "isolate-and-require-corp") {
        skip(name, `this Chromium (${version}) ignores Document-Isolation-Policy (the lab sent "${hdr}" and the frame is not isolated); ` +
          "Chrome and Edge 137+ support it");
      } else {
        await test(name, async () => { throw new Error("serve.py did not send Document-Isolation-Policy (got " + hdr + ")"); });
      }
    } else {
      await test(name + ` (Chromium ${version})`, async () => {
        assert(!(await page.evaluate(() => self.crossOriginIsolated)), "the course page itself is not isolated");
        assert((await frame.evaluate(() => window.gillab.build)) === "lab", "the frame loaded the threaded build");
        let r = null;
        // Lost updates need the workers to overlap in time; on a busy machine one run may not.
        let tries = 0;
        for (; tries < 6; tries++) {
          r = await frame.evaluate(() => window.gillab.run("real.race", { mode: "both", threads: 4, increments: 2000000 }));
          if (r.error || r.metrics.final < r.metrics.atomic_final) break;
        }
        assert(!r.error && r.engine === "real", "real.race ran: " + (r.error || r.engine));
        assert(r.metrics.atomic_final === 8000000, "atomic counter = 8,000,000: " + r.metrics.atomic_final);
        assert(r.metrics.final < r.metrics.atomic_final, `racy ${r.metrics.final} < atomic ${r.metrics.atomic_final}: real threads raced`);
        await page.waitForFunction(() => labMessages.some((m) => m.type === "gillab:run" && m.engine === "real"), null, { timeout: 10000 });
        assert(await frame.evaluate(() => document.getElementById("newtab").hidden), "no new-tab bar where the frame has threads");
        assert(page.labNavigations === 1, "one navigation: " + page.labNavigations);
        assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
      });
    }
    await ctx.close();
  } finally {
    course2.stop();
  }
} finally {
  await browser.close();
  lab.stop();
  labDip.stop();
  course.stop();
}
finish();
