// screenshot-embed.mjs — GIL Lab embedded in a plain course page served from another port
// (a cross-origin iframe, no isolation), once the run and its playback are over.
//   node tests/browser/screenshot-embed.mjs OUT.png [width height] [lab query]
// e.g. docs/screenshots/embed-course-1280x720.png and embed-course-390x844.png.
import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { serve, launch, OUT } from "./harness.mjs";
import { coursePage } from "./course-page.mjs";

const [, , out, w, h, query] = process.argv;
const lab = await serve({ dip: false });
const dir = path.join(OUT, "course-page-shot");
mkdirSync(dir, { recursive: true });
const q = query || "exp=race.counter&version=3.9&increments=200000&embed=1&autorun=1";
writeFileSync(path.join(dir, "index.html"), coursePage("why counter += 1 is not thread-safe", [lab.url + "index.html?" + q]));
const course = await serve({ isolation: false, dir });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: +w || 1280, height: +h || 720 } });
  await page.goto(course.url);
  const frame = await (await page.$("#lab")).contentFrame();
  await frame.waitForFunction(() => window.gillab && window.gillab.startupMs !== null, null, { timeout: 90000 });
  await frame.waitForFunction(() => { const s = window.gillab.status(); return s.result && !s.running && !s.playing; },
    null, { timeout: 120000, polling: 250 });
  await page.waitForFunction(() => { const m = labMessages.filter((m) => m.type === "gillab:height").pop();
    return m && Math.round(document.getElementById("lab").getBoundingClientRect().height) === m.height; });
  await page.waitForTimeout(300);  // a few frames at the final size
  await page.screenshot({ path: out });
  console.log("saved", out);
} finally {
  await browser.close();
  lab.stop();
  course.stop();
}
