// code.test.mjs — your own code in the page, as a teacher uses it: type a small threaded
// program into the editor (real key presses on the canvas), see the compile error of a
// deliberate mistake, fix it, run it on 3.9 and 3.12, copy the link, open it in a fresh page
// and get the same code, version and result; and a course page from another port that embeds
// a code= link shows that program.
import path from "node:path";
import http from "node:http";
import { serve, launch, openPage, waitReady, test, assert, finish, OUT } from "./harness.mjs";
import { coursePage } from "./course-page.mjs";

// Waits until the lab drew n more frames (ImGui sees input in the frame after it).
async function frames(page, n = 2) {
  await page.evaluate((n) => new Promise((res) => { const f = () => (--n <= 0 ? res() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);
}

// Until the lab has drawn n more frames of its own (status().frame counts them).
async function labFrames(page, n) {
  const f0 = (await page.evaluate(() => window.gillab.status())).frame;
  await page.waitForFunction((f) => window.gillab.status().frame >= f, f0 + n, { polling: "raf", timeout: 10000 });
}

// A key pressed as a user taps it: down and up at once. The lab holds a key-up that comes in
// the frame of its key-down for the next frame (src/app/main.cpp), so the press is seen exactly
// once however slow the frames are; holding the key across frames instead made a busy
// machine's slow frames repeat it. `mods` are held around it (Control for Control+A).
async function press(page, key, mods = []) {
  for (const m of mods) await page.keyboard.down(m);
  await page.keyboard.press(key);
  await labFrames(page, 2);
  for (const m of mods) await page.keyboard.up(m);
  await labFrames(page, 1);
}

// Types text into the editor as a user does: click into it, select all and delete, then type
// each line and press Enter.
async function typeIntoEditor(page, text) {
  const c = await page.evaluate(() => window.gillab.code());
  assert(c.editor[2] > 0, "the editor is on screen: " + JSON.stringify(c.editor));
  const canvas = await (await page.$("#canvas")).boundingBox();
  const sx = canvas.width / c.display[0], sy = canvas.height / c.display[1];
  await page.mouse.click(canvas.x + (c.editor[0] + c.editor[2] * 0.5) * sx, canvas.y + (c.editor[1] + 10) * sy);
  await frames(page);
  await press(page, "a", ["Control"]);
  await press(page, "Delete");
  const empty = await page.evaluate(() => window.gillab.code());
  assert(empty.code === "" || empty.code === "\n", "select all + Delete emptied the editor: " + JSON.stringify(empty.code.slice(0, 40)));
  for (const line of text.split("\n")) {
    await page.keyboard.type(line);
    await press(page, "Enter");
  }
}

const PROGRAM = [
  "import threading",
  "n = 0",
  "def f():",
  "    global n",
  "    for i in range(300000):",
  "        n += 1",
  "a = threading.Thread(target=f)",
  "b = threading.Thread(target=f)",
  "a.start()",
  "b.start()",
  "a.join()",
  "b.join()",
  "print('n', n)",
].join("\n");

const isolated = await serve();
const browser = await launch();
try {
  let link = null, result312 = null;
  await test("editor: type a program, see the compile error, fix it, run on 3.9 and 3.12, copy the link", async () => {
    const page = await openPage(browser, isolated.url + "?exp=program");
    await waitReady(page);
    await frames(page, 3);
    // A deliberate mistake on line 3.
    await typeIntoEditor(page, PROGRAM.replace("def f():", "def f(:"));
    let c = null;
    for (let i = 0; i < 40; i++) {  // the check runs once typing pauses
      await page.waitForTimeout(100);
      c = await page.evaluate(() => window.gillab.code());
      if (c.error) break;
    }
    assert(c.code.startsWith("import threading\nn = 0\ndef f(:"), "the typed text is the program: " + JSON.stringify(c.code.slice(0, 60)));
    assert(c.line === 3 && /line 3, column \d+/.test(c.error), "the compile error names line 3: " + c.error);
    await page.screenshot({ path: path.join(OUT, "code-editor-error.png") });
    const refused = await page.evaluate(() => window.gillab.run({}).then(() => "", (e) => e.message));
    assert(/does not compile: line 3/.test(refused), "Run says why it cannot run: " + refused);
    // Fixed where it is wrong, as a user would: line 3, End, Backspace, "):".
    await press(page, "Home", ["Control"]);
    await press(page, "ArrowDown");
    await press(page, "ArrowDown");
    await press(page, "End");
    await press(page, "Backspace");
    await page.keyboard.type("):");
    await frames(page);
    for (let i = 0; i < 40; i++) {
      await page.waitForTimeout(100);
      c = await page.evaluate(() => window.gillab.code());
      if (!c.error) break;
    }
    assert(!c.error, "the fixed program compiles: " + c.error);
    assert(c.code.trimEnd() === PROGRAM, "the editor holds the program as typed");
    const r39 = await page.evaluate(() => window.gillab.run({ version: "3.9", interval_us: 100 }));
    assert(r39.experiment === "program" && r39.params.version === "3.9", "ran on 3.9");
    assert(r39.metrics["global.n"] < 600000 && r39.metrics.races >= 1, "3.9 loses updates, flagged: " + JSON.stringify(r39.metrics));
    assert(/^n \d+$/.test(r39.metrics.output), "it printed on the run's schedule: " + r39.metrics.output);
    assert(Number(r39.metrics.output.split(" ")[1]) === r39.metrics["global.n"], "what it printed is what the run computed");
    result312 = await page.evaluate(() => window.gillab.run({ version: "3.12", interval_us: 100 }));
    assert(result312.metrics["global.n"] === 600000, "3.12 with the GIL loses nothing here");
    assert(result312.metrics.races >= 1 && /^n: written by/.test(result312.metrics.race_1), "yet the race detector flags n: " + result312.metrics.race_1);
    await page.evaluate(() => window.gillab.request("seek 20000000"));
    await frames(page, 3);
    await page.screenshot({ path: path.join(OUT, "code-editor-paused.png") });
    const copy = await page.evaluate(() => window.gillab.copyLink());
    link = copy.text;
    assert(/[?&]code=1[A-Za-z0-9_-]+/.test(link) && /version=|interval_us=100/.test(link), "the link carries the code: " + link);
    assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
    await page.close();
  });

  await test("the copied link opens a fresh page with the same code, version and result", async () => {
    assert(link, "a link was copied");
    const page = await openPage(browser, link);
    await waitReady(page);
    const c = await page.evaluate(() => window.gillab.code());
    assert(c.experiment === "program" && c.code.trimEnd() === PROGRAM, "same code: " + JSON.stringify(c.code.slice(0, 80)));
    const r = await page.evaluate(() => window.gillab.run({}));
    assert(r.params.version === "3.12" && r.params.interval_us === 100, "same parameters: " + JSON.stringify(r.params));
    assert(r.metrics["global.n"] === result312.metrics["global.n"] && r.metrics.wall_ns === result312.metrics.wall_ns &&
      r.metrics.gil_switches === result312.metrics.gil_switches, "same result");
    assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
    await page.close();
  });

  await test("on a touch screen (390x844), a tap on the editor opens the program as text; Done puts the edit back", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(isolated.url + "?exp=race.counter&version=3.9");
    await waitReady(page);
    await page.evaluate(() => window.gillab.request("tab Program"));
    await frames(page, 4);
    const c = await page.evaluate(() => window.gillab.code());
    assert(c.editor[2] > 0, "the phone layout shows the editor: " + JSON.stringify(c.editor));
    const box = await (await page.$("#canvas")).boundingBox();
    const kx = box.width / c.display[0], ky = box.height / c.display[1];
    await page.touchscreen.tap(box.x + (c.editor[0] + c.editor[2] * 0.5) * kx, box.y + (c.editor[1] + 20) * ky);
    await page.waitForSelector("#edit-panel:not([hidden])", { timeout: 10000 });
    const text = await page.inputValue("#edit-text");
    assert(text === c.code, "the text box holds the program on screen");
    await page.fill("#edit-text", text.replace("counter += 1", "counter = counter + 1"));
    await page.tap("#edit-done");
    await page.waitForSelector("#edit-panel", { state: "hidden", timeout: 10000 });
    const after = await page.evaluate(() => window.gillab.code());
    assert(after.experiment === "program" && after.code.includes("counter = counter + 1") && !after.error,
           "Done put the edit in the editor: it is Your program now: " + JSON.stringify({ e: after.experiment, err: after.error }));
    await page.screenshot({ path: path.join(OUT, "code-touch-edited.png") });
    assert(errors.length === 0, errors.join("; "));
    await page.close();
  });

  await test("a course page on another port embeds a code= link and shows that program", async () => {
    const q = new URL(link).search.slice(1);
    const html = coursePage("Your own threads", [isolated.url + "?" + q + "&embed=1"]);
    const srv = http.createServer((req, res) => { res.writeHead(200, { "content-type": "text/html" }); res.end(html); });
    await new Promise((res) => srv.listen(0, "127.0.0.1", res));
    try {
      const page = await openPage(browser, `http://127.0.0.1:${srv.address().port}/`);
      const frame = await (await page.$("#lab")).contentFrame();
      await frame.waitForFunction(() => window.gillab && window.gillab.startupMs !== null, null, { timeout: 90000 });
      const c = await frame.evaluate(() => window.gillab.code());
      assert(c.experiment === "program" && c.code.trimEnd() === PROGRAM, "the frame shows the program");
      assert(/embed=1/.test(await frame.evaluate(() => window.gillab.query())), "embedded");
      await page.screenshot({ path: path.join(OUT, "code-embed.png") });
      // A student edits it right there, in the course page's frame: a click into the editor, keys.
      const box = await (await frame.$("#canvas")).boundingBox();
      const e = await frame.evaluate(() => window.gillab.code());
      assert(e.editor[2] > 0, "the embedded lab shows the editor: " + JSON.stringify(e.editor));
      const kx = box.width / e.display[0], ky = box.height / e.display[1];
      await page.mouse.click(box.x + (e.editor[0] + e.editor[2] * 0.5) * kx, box.y + (e.editor[1] + 10) * ky);
      await frames(frame);
      await page.keyboard.press("End");  // (the keys go to the page; the frame's lab counts the frames)
      await labFrames(frame, 2);
      await page.keyboard.type("  # edited in the course page");
      let edited = null;
      for (let i = 0; i < 40 && !(edited && edited.code.includes("# edited in the course page")); i++) {
        await page.waitForTimeout(100);
        edited = await frame.evaluate(() => window.gillab.code());
      }
      assert(edited.code.split("\n")[0] === "import threading  # edited in the course page",
             "typed into the embedded editor's first line: " + JSON.stringify(edited.code.slice(0, 60)));
      assert(!edited.error, "and it still compiles: " + edited.error);
      assert(page.errors.length === 0, "no errors: " + page.errors.join("; "));
      await page.close();
    } finally {
      srv.close();
    }
  });
} finally {
  await browser.close();
  isolated.stop();
}
finish();
