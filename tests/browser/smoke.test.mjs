// smoke.mjs — the isolated page loads, draws, runs real threads that race, and says so.
import path from "node:path";
import { serve, launch, openPage, waitReady, test, assert, finish, OUT } from "./harness.mjs";

const server = await serve();
const browser = await launch();
try {
  await test("isolated page: real.race racy counter falls below the atomic one", async () => {
    const page = await openPage(browser, server.url);
    await waitReady(page);
    assert(await page.evaluate(() => self.crossOriginIsolated), "page is cross-origin isolated");
    assert(await page.evaluate(() => window.gillab.build) === "lab", "threaded build loaded");
    let result = null;
    // Lost updates need the two workers to overlap in time; on a busy machine one run may
    // not, so allow a few.
    for (let attempt = 0; attempt < 4; attempt++) {
      result = await page.evaluate(() => window.gillab.run("real.race", { mode: "both", threads: 2, increments: 3000000 }));
      if (result.metrics.final < result.metrics.atomic_final) break;
    }
    assert(!result.error, "no error: " + result.error);
    assert(result.metrics.atomic_final === 6000000, "atomic counter = 6,000,000, got " + result.metrics.atomic_final);
    assert(result.metrics.final < result.metrics.atomic_final,
      `racy ${result.metrics.final} < atomic ${result.metrics.atomic_final}`);
    await page.waitForTimeout(300);  // let a few frames draw the final counters
    await page.screenshot({ path: path.join(OUT, "smoke-page.png") });
    assert(page.errors.length === 0, "no console or page errors: " + page.errors.join("; "));
    await page.close();
  });
} finally {
  await browser.close();
  server.stop();
}
finish();
