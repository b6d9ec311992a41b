// puzzle.test.mjs — be the scheduler, as a student plays it: open a puzzle's link, click the
// Run buttons on the canvas (real mouse clicks) to choose who runs next at each switch point,
// and reach the goal: on 3.9, let Thread-1 load counter and stop before its store, run
// Thread-2 to its end, then let Thread-1 store its stale value. Undo takes a step back; on a
// phone-width page the board is there too.
import { serve, launch, openPage, waitReady, test, assert, finish, OUT } from "./harness.mjs";

// Until the lab has drawn n more frames of its own (status().frame counts them).
async function labFrames(page, n) {
  const f0 = (await page.evaluate(() => window.gillab.status())).frame;
  await page.waitForFunction((f) => window.gillab.status().frame >= f, f0 + n, { polling: "raf", timeout: 10000 });
}

// Clicks thread t's Run button (or its Line button) where the lab drew it; resolves once the
// step was taken.
async function clickRun(page, t, line = false) {
  await labFrames(page, 1);
  const s = await page.evaluate(() => window.gillab.scheduler());
  const b = s.buttons.find((x) => x.thread === t && x.line === line);
  assert(b, `a Run button for thread ${t}: ` + JSON.stringify(s.threads.map((x) => x.name + ": " + x.state)));
  // The lab's window units to CSS pixels of the canvas (code().display is the window's size).
  const canvas = await (await page.$("#canvas")).boundingBox();
  const c = await page.evaluate(() => window.gillab.code());
  const kx = canvas.width / c.display[0], ky = canvas.height / c.display[1];
  await page.mouse.move(canvas.x + (b.rect[0] + b.rect[2] / 2) * kx, canvas.y + (b.rect[1] + b.rect[3] / 2) * ky);
  await labFrames(page, 1);
  await page.mouse.down();
  await labFrames(page, 1);
  await page.mouse.up();
  await page.waitForFunction((n) => window.gillab.scheduler().steps > n, s.steps, { timeout: 10000, polling: "raf" });
}

const thread = (s, name) => s.threads.findIndex((x) => x.name.startsWith(name));

async function playToGoal(page) {
  const sched = () => page.evaluate(() => window.gillab.scheduler());
  let s = await sched();
  assert(s && s.on && s.puzzle === "counter-3.9" && s.state === "playing", "the puzzle is open: " + JSON.stringify(s));
  // MainThread runs (a line at a time) until Thread-1 exists and can run.
  for (let i = 0; i < 100 && !(thread(s, "Thread-1") >= 0 && s.threads[thread(s, "Thread-1")].can_run); i++) {
    await clickRun(page, 0, true);
    s = await sched();
  }
  const t1 = thread(s, "Thread-1");
  assert(t1 > 0, "Thread-1 was started");
  // Thread-1 runs, one switch point at a time, until it has loaded counter and added: it stops
  // before STORE_GLOBAL counter.
  for (let i = 0; i < 100 && s.threads[t1].instruction !== "STORE_GLOBAL counter"; i++) {
    await clickRun(page, t1);
    s = await sched();
  }
  assert(s.threads[t1].instruction === "STORE_GLOBAL counter", "3.9 lets Thread-1 stop between its load and its store: " + JSON.stringify(s.threads[t1]));
  // Thread-2 (MainThread starts it first if need be) runs to its end, a line at a time.
  for (let i = 0; i < 300; i++) {
    const t2 = thread(s, "Thread-2");
    if (t2 > 0 && s.threads[t2].state === "done") break;
    await clickRun(page, t2 > 0 && s.threads[t2].can_run ? t2 : 0, true);
    s = await sched();
  }
  assert(s.globals.counter === 2, "Thread-2 added its two: counter = " + s.globals.counter);
  // Thread-1 stores its stale value, then everyone finishes.
  for (let i = 0; i < 300 && s.state === "playing"; i++) {
    const runnable = s.threads.findIndex((x, k) => k > 0 && x.can_run);
    await clickRun(page, runnable >= 0 ? runnable : 0, true);
    s = await sched();
  }
  return s;
}

const server = await serve();
const browser = await launch();
try {
  await test("be the scheduler: a puzzle link, Run clicks on the canvas, the goal reached on 3.9; Undo", async () => {
    const page = await openPage(browser, server.url + "?puzzle=counter-3.9");
    await waitReady(page);
    const s = await playToGoal(page);
    assert(s.state === "reached", "goal reached: " + JSON.stringify({ state: s.state, globals: s.globals }));
    assert(s.globals.counter < 4, "counter ended below 4: " + s.globals.counter);
    assert((await page.evaluate(() => window.gillab.query())).includes("puzzle=counter-3.9"), "the link keeps the puzzle");
    await page.evaluate(() => window.gillab.schedule("undo"));
    const u = await page.evaluate(() => window.gillab.scheduler());
    // (the last click was a Line: one Undo takes the whole line back)
    assert(u.state === "playing" && u.steps < s.steps, "Undo took the last click back: " + JSON.stringify({ state: u.state, steps: u.steps, before: s.steps }));
    await page.screenshot({ path: OUT + "/puzzle-1280x720.png" });
    assert(page.errors.length === 0, page.errors.join("\n"));
    await page.close();
  });
  await test("be the scheduler on a phone-width page: the board and its buttons are on screen, a click steps", async () => {
    const page = await openPage(browser, server.url + "?puzzle=counter-3.9", { width: 390, height: 844 });
    await waitReady(page);
    await labFrames(page, 2);
    const s = await page.evaluate(() => window.gillab.scheduler());
    const c = await page.evaluate(() => window.gillab.code());
    for (const b of s.buttons)
      assert(b.rect[0] >= 0 && b.rect[1] >= 0 && b.rect[0] + b.rect[2] <= c.display[0] && b.rect[1] + b.rect[3] <= c.display[1],
             "a button inside the window: " + JSON.stringify(b) + " in " + c.display);
    await clickRun(page, 0);
    await clickRun(page, 0, true);
    const t = await page.evaluate(() => window.gillab.scheduler());
    assert(t.steps >= 2 && t.state === "playing", "two clicks, two or more steps: " + t.steps);
    await page.screenshot({ path: OUT + "/puzzle-390x844.png" });
    assert(page.errors.length === 0, page.errors.join("\n"));
    await page.close();
  });
} finally {
  await browser.close();
  server.stop();
}
finish();
