// harness.mjs — shared by the browser tests: serve build/web, launch Debian's Chromium
// through playwright-core, collect console errors, and fail loudly.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const OUT = path.join(ROOT, "build", "test-output");
mkdirSync(OUT, { recursive: true });

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--use-gl=angle", "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// Starts web/serve.py on a free port; resolves to { url, stop }. isolation: COOP/COEP
// (and Document-Isolation-Policy unless dip is false); dir: any folder with an index.html.
export async function serve({ isolation = true, dip = true, dir = path.join(ROOT, "build", "web") } = {}) {
  const port = await freePort();
  const args = [path.join(ROOT, "web", "serve.py"), "--dir", dir, "--port", String(port)];
  if (!isolation) args.push("--no-isolation");
  if (!dip) args.push("--no-dip");
  const proc = spawn("python3", args, { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise((resolve, reject) => {
    let out = "";
    const t = setTimeout(() => reject(new Error("serve.py did not start: " + out)), 10000);
    proc.stdout.on("data", (d) => { out += d; if (out.includes("http://")) { clearTimeout(t); resolve(); } });
    proc.stderr.on("data", (d) => { out += d; });
    proc.on("exit", (c) => { clearTimeout(t); reject(new Error("serve.py exited " + c + ": " + out)); });
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => proc.kill() };
}

export async function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
}

// A page whose console errors and page errors are collected in page.errors.
export async function openPage(browser, url, { width = 1280, height = 720 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.errors = [];
  page.on("console", (m) => { if (m.type() === "error") page.errors.push("console: " + m.text()); });
  page.on("pageerror", (e) => page.errors.push("pageerror: " + e.message));
  await page.goto(url);
  return page;
}

export async function waitReady(page, timeout = 60000) {
  await page.waitForFunction(() => window.gillab && window.gillab.startupMs !== null, null, { timeout });
}

let failures = 0, skipped = 0;
// A test that cannot run here says so loudly (it is not counted as passed).
export function skip(name, why) {
  skipped++;
  console.log(`SKIP ${name}: ${why}`);
}
export async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}
export function assert(cond, msg) { if (!cond) throw new Error("assertion failed: " + msg); }
export function finish() {
  if (failures) { console.log(`${failures} browser test(s) failed`); process.exit(1); }
  console.log(skipped ? `all browser tests that could run passed; ${skipped} SKIPPED (see SKIP lines)` : "all browser tests passed");
}
