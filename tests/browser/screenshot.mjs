// screenshot.mjs — opens the lab with a query, waits until the run and its playback are
// over, saves a PNG.   node tests/browser/screenshot.mjs QUERY OUT.png [width height]
import { serve, launch, openPage, waitReady } from "./harness.mjs";

const [, , query, out, w, h] = process.argv;
const server = await serve();
const browser = await launch();
try {
  const page = await openPage(browser, server.url + "?" + query, { width: +w || 1280, height: +h || 720 });
  await waitReady(page);
  await page.waitForFunction(() => {
    const s = window.gillab.status();
    return s.result && !s.running && !s.playing;
  }, null, { timeout: 120000, polling: 250 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: out });
  if (page.errors.length) console.error(page.errors.join("\n"));
  console.log("saved", out);
} finally {
  await browser.close();
  server.stop();
}
