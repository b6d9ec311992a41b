// screenshot.mjs — opens the lab with a query, waits until the run and its playback are
// over, sends any JS API requests given after the size ("tab Program", "seek 30000000",
// "code\n<program>", "run", "wait-run"; "hover Y REGEX" moves the mouse until the tooltip matches), saves a PNG.   node tests/browser/screenshot.mjs QUERY OUT.png [width height [REQUEST ...]]
import { serve, launch, openPage, waitReady } from "./harness.mjs";

const [, , query, out, w, h, ...requests] = process.argv;
const server = await serve();
const browser = await launch();
try {
  const page = await openPage(browser, server.url + "?" + query, { width: +w || 1280, height: +h || 720 });
  await waitReady(page);
  await page.waitForFunction(() => {
    const s = window.gillab.status();
    return s.result && !s.running && !s.playing;
  }, null, { timeout: 120000, polling: 250 });
  for (const r of requests) {
    // "hover Y REGEX": move the mouse along the row at y (CSS px) until the timeline's
    // tooltip matches REGEX (a wait-blame tooltip, say); the shot is taken with it open.
    const hover = /^hover (\d+) (.+)$/.exec(r);
    if (hover) {
      const y = +hover[1], re = new RegExp(hover[2]);
      let found = false;
      for (let x = 460; x < (+w || 1280) - 20 && !found; x += 12) {
        await page.mouse.move(x, y);
        await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
        const tip = (await page.evaluate(() => window.gillab.status())).tooltip || "";
        found = re.test(tip);
      }
      if (!found) throw new Error("no tooltip matching " + re + " along y=" + y);
      continue;
    }
    const sched = /^wait-scheduler (\w+)$/.exec(r);
    if (sched) {  // until the scheduler's puzzle is in this state (reached, missed) and Show me is over
      await page.waitForFunction((st) => { const s = window.gillab.status().scheduler; return s && s.state === st && !s.showing; },
                                 sched[1], { timeout: 60000, polling: 200 });
      continue;
    }
    if (r === "wait-run") {  // after "run": until that run and its playback are over
      await page.waitForFunction(() => { const s = window.gillab.status(); return s.result && !s.running && !s.playing; },
                                 null, { timeout: 120000, polling: 250 });
      continue;
    }
    if (r === "wait-explore") {  // until the explorer's outcomes are shown
      await page.waitForFunction(() => !!window.gillab.status().explore, null, { timeout: 60000, polling: 200 });
      continue;
    }
    const reply = await page.evaluate((line) => window.gillab.request(line), r);
    if (!reply.ok) throw new Error(r.split("\n")[0] + ": " + JSON.stringify(reply));
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: out });
  if (page.errors.length) console.error(page.errors.join("\n"));
  console.log("saved", out);
} finally {
  await browser.close();
  server.stop();
}
