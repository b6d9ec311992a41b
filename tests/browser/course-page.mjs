// course-page.mjs — a plain course page (no COOP/COEP, like a Moodle or Canvas page) that
// embeds GIL Lab frames and pastes the README's resize snippet exactly as a course author
// would. Used by embed.test.mjs and screenshot-embed.mjs (served from a second port, so the
// frames are cross-origin).
import path from "node:path";
import { readFileSync } from "node:fs";
import { ROOT } from "./harness.mjs";

// The README's resize snippet (the ```html block with gillab:height and a <script>).
export function readmeSnippet() {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
  const s = blocks.find((b) => b.includes("gillab:height") && b.includes("<script>"));
  if (!s) throw new Error("README.md has no ```html block with the gillab:height snippet");
  return s;
}

// frames: iframe URLs; the first gets id "lab", the others "lab2", "lab3", ... Text around
// them makes the page taller than the window (so a scrolled course page would show), and
// every gillab:* message is recorded in window.labMessages.
export function coursePage(title, frames) {
  const iframes = frames.map((src, i) => `<iframe id="lab${i ? i + 1 : ""}" title="GIL Lab" src="${src}"
        allow="cross-origin-isolated; clipboard-write"></iframe>
<p>${i ? "" : "Try <i>Python version</i> 3.12: no update is lost, yet the code is still not thread-safe."}</p>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 5: ${title}</title><link rel="icon" href="data:,">
<style>body{font:17px/1.55 Georgia,serif;margin:0 auto;padding:8px 16px;max-width:1100px;color:#222;background:#fff}
h1{font-size:1.5em;margin:.3em 0} iframe{width:100%;height:480px;border:1px solid #ccc;border-radius:6px;box-sizing:border-box}
.after{height:1600px}</style></head><body>
<h1>Week 5: ${title}</h1>
<p>Two threads each add one to a shared counter. Press <b>Run</b> (or Space) in the lab below and
watch where the interpreter switches threads.</p>
${iframes}
<div class="after"><p>The rest of the course page.</p></div>
<script>window.labMessages = []; addEventListener("message", (e) => {
  if (e.data && typeof e.data.type === "string" && e.data.type.startsWith("gillab:")) labMessages.push(e.data); });</script>
${readmeSnippet()}
</body></html>`;
}
