// bench-web.mjs — bytes the page transfers (gzip, as a static host serves them) and the
// time from navigation to the first frame the lab drew; one JSON line per page kind.
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import path from "node:path";
import { serve, launch, ROOT } from "./harness.mjs";

const runs = +process.argv[2] || 5;
const web = path.join(ROOT, "build", "web");
const out = [];
for (const [label, isolation, query] of [["isolated (threads)", true, ""], ["not isolated (single thread)", false, "?coi=0"]]) {
  const server = await serve({ isolation });
  const browser = await launch();
  const times = [];
  let files = new Set();
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext({ serviceWorkers: "block" });
    const page = await ctx.newPage();
    page.on("request", (r) => { const u = new URL(r.url()); if (u.pathname !== "/favicon.ico") files.add(u.pathname === "/" ? "/index.html" : u.pathname); });
    await page.goto(server.url + query);
    await page.waitForFunction(() => window.gillab && window.gillab.startupMs !== null, null, { timeout: 60000 });
    times.push(await page.evaluate(() => window.gillab.startupMs));
    await ctx.close();
  }
  await browser.close();
  server.stop();
  times.sort((a, b) => a - b);
  let bytes = 0, gz = 0;
  const per = {};
  for (const f of [...files].sort()) {
    const data = readFileSync(path.join(web, f));
    const g = gzipSync(data, { level: 9 }).length;
    bytes += data.length;
    gz += g;
    per[f.slice(1)] = g;
  }
  out.push({ page: label, files: files.size, bytes, gzip: gz, per_file: per, ms_min: times[0], ms_median: times[times.length >> 1], ms_max: times[times.length - 1] });
}
for (const o of out) console.log(JSON.stringify(o));
