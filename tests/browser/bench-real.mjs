// bench-real.mjs — real.race modes and real.contention lock kinds in headless Chromium
// (Web Workers over SharedArrayBuffer); prints one JSON object per line for bench.sh.
import { serve, launch, openPage, waitReady } from "./harness.mjs";

const server = await serve();
const browser = await launch();
try {
  const page = await openPage(browser, server.url);
  await waitReady(page);
  for (const mode of ["racy", "atomic", "mutex", "spin", "sharded"]) {
    const r = await page.evaluate((mode) => window.gillab.run("real.race", { mode, threads: 2, increments: 2000000, runs: 5 }), mode);
    console.log(JSON.stringify({ bench: "race", mode, ns_per_increment: r.metrics.ns_per_increment, lost: r.metrics.lost }));
  }
  for (const lock of ["mutex", "spin", "ticket"]) {
    const r = await page.evaluate((lock) => window.gillab.run("real.contention", { lock, threads: 2, duration_ms: 200, work_ns: 200, critical_ns: 100 }), lock);
    console.log(JSON.stringify({ bench: "contention", lock, ns_per_acquisition: 1e9 / r.metrics.throughput, wait_p99_ns: r.metrics.wait_p99_ns }));
  }
  if (page.errors.length) throw new Error(page.errors.join("; "));
} finally {
  await browser.close();
  server.stop();
}
