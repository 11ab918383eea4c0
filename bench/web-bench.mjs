// Web UI speed: time from starting `-http` to the first flame graph drawn in
// Chromium, then zoom and search latency, on the 300k-sample profile; and
// go tool pprof -http's time to its first flame graph on the same file.
// Usage: node bench/web-bench.mjs [profile] [--no-go]
// Writes nothing; paste the printed table into bench/RESULTS-web.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const noGo = args.includes('--no-go');
let profile = args.find((a) => !a.startsWith('--')) ?? join(root, 'bench/out/web-300k.pb.gz');
if (!existsSync(profile)) {
  console.error(`generating ${profile}`);
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/web-gen.ts')], { cwd: root, stdio: 'inherit' });
}

// The command as users run it: bundled like dist/cli.mjs, started cold.
let command;
const cli = join(root, 'dist/cli.mjs');
const probe = existsSync(cli) ? spawnSync(process.execPath, [cli, '-http=:0', '-h'], { encoding: 'utf8' }) : null;
if (probe && probe.status === 0 && /-no_browser/.test(probe.stdout + probe.stderr)) {
  command = [cli];
} else {
  const entry = join(root, 'bench/out/web-http-entry.mjs');
  await build({
    stdin: {
      contents: "import { runHttp } from './src/cli/cmd-http.ts'; import { processIO } from './src/cli/io.ts'; runHttp(process.argv.slice(2), processIO()).then((c) => process.exit(c));",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  command = [entry];
}

const dir = mkdtempSync(join(tmpdir(), 'pp-bench-chromium-'));
const ctx = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.PPROF_PLUS_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await ctx.newPage();

function waitUrl(child, re) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const on = (d) => {
      buf += d;
      const m = re.exec(buf);
      if (m) resolve(m[1]);
    };
    child.stderr.on('data', on);
    child.stdout.on('data', on);
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${buf}`)));
  });
}

function freePort() {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
}

async function oursOnce() {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...command, '-http=127.0.0.1:0', '-no_browser', profile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await waitUrl(child, /Serving web UI on (http:\/\/\S+)/);
    const tServe = performance.now() - t0;
    await page.goto(`${url}/?icicle=1`);
    await page.waitForFunction(() => (window.__flame?.draws ?? 0) > 0, null, { timeout: 60000 });
    const tFirst = performance.now() - t0;
    const info = await page.evaluate(() => ({ nodes: window.__flame.nodes, boxes: window.__flame.boxes, drawMs: window.__flame.lastDrawMs }));
    return { tServe, tFirst, info, child };
  } catch (e) {
    child.kill();
    throw e;
  }
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const runs = [];
let last;
for (let i = 0; i < 3; i++) {
  const r = await oursOnce();
  runs.push(r);
  if (i < 2) r.child.kill();
  else last = r;
}
const tFirst = median(runs.map((r) => r.tFirst));
const tServe = median(runs.map((r) => r.tServe));

// Zoom and search latency, measured from the input event to the redraw.
async function timeIt(action, until, arg) {
  const t = performance.now();
  await action();
  await page.waitForFunction(until, arg, { timeout: 10000 });
  return performance.now() - t;
}
const zooms = [];
const fetchedZooms = [];
const searches = [];
const canvas = await page.$('canvas.flame');
for (let i = 0; i < 8; i++) {
  await page.evaluate(() => document.querySelector('[data-testid=crumbs] button').click());
  await page.waitForFunction(() => window.__flame.zoom === 'root' && !location.search.includes('zoom='));
  // Even runs: a box whose subtree is all in the page; odd runs: one the server pruned (fetched on zoom).
  const wantHidden = i % 2 === 1;
  let cands = await page.evaluate((h) => window.__flame.listBoxes(5000).filter((b) => b.depth >= 2 && b.w >= (h ? 2 : 20) && b.hidden === h), wantHidden);
  // Pruned subtrees only show up deep down: zoom in locally until one is on screen.
  for (let k = 0; wantHidden && cands.length === 0 && k < 8; k++) {
    const step = await page.evaluate(() => window.__flame.listBoxes(5000).filter((b) => b.w >= 40 && b.w <= 400).sort((a, b) => b.depth - a.depth)[0]);
    if (!step) break;
    const cbz = await canvas.boundingBox();
    const bz = await page.evaluate(() => window.__flame.draws);
    await page.mouse.click(cbz.x + step.x + step.w / 2, cbz.y + step.y + 9);
    await page.waitForFunction((b) => window.__flame.draws > b, bz);
    cands = await page.evaluate(() => window.__flame.listBoxes(5000).filter((b) => b.w >= 2 && b.hidden));
  }
  if (cands.length === 0) continue;
  const box = cands[(i * 37) % cands.length];
  const y = box.y + 9;
  const before = await page.evaluate(() => window.__flame.draws);
  const cbNow = await canvas.boundingBox();
  const ms = await timeIt(() => page.mouse.click(cbNow.x + box.x + box.w / 2, cbNow.y + y), (b) => window.__flame.draws > b && window.__flame.zoom !== 'root', before);
  (page.url().includes('zoom=') ? fetchedZooms : zooms).push(ms);
  if (page.url().includes('zoom=')) {
    // Back to the whole tree (served from the server's cached call tree).
    const b2 = await page.evaluate(() => window.__flame.draws);
    await page.evaluate(() => document.querySelector('[data-testid=crumbs] button').click());
    await page.waitForFunction((b) => window.__flame.draws > b && window.__flame.zoom === 'root', b2);
  }
}
for (const q of ['fn1\\d\\d$', 'json', 'pkg4', 'Marshal|fn7', 'T1\\d\\.']) {
  const before = await page.evaluate(() => window.__flame.draws);
  await page.fill('input[name=search]', q);
  searches.push(await timeIt(() => page.click('form.search button[type=submit]'), (b) => window.__flame.draws > b, before));
}
const drawMs = await page.evaluate(() => window.__flame.lastDrawMs);
last.child.kill();

// go tool pprof -http, same file: time to its flame graph page drawn.
let goFirst = null;
if (!noGo && spawnSync('go', ['version']).status === 0) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('go', ['tool', 'pprof', `-http=127.0.0.1:${port}`, '-no_browser', profile], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitUrl(child, /Serving web UI on (http:\/\/\S+)/);
    await page.goto(`http://127.0.0.1:${port}/ui/flamegraph`, { timeout: 300000 });
    await page.waitForSelector('#chart svg g, #flamegraph svg g, .flamegraph svg g', { timeout: 300000 });
    goFirst = performance.now() - t0;
  } catch (e) {
    console.error(`go tool pprof: ${e.message.split('\n')[0]}`);
  } finally {
    child.kill();
  }
}
await ctx.close();
rmSync(dir, { recursive: true, force: true });

const f = (ms) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const m = (ms) => `${ms.toFixed(0)} ms`;
console.log(`profile: ${profile}`);
console.log(`flame nodes sent: ${last.info.nodes}, boxes drawn: ${last.info.boxes}`);
console.log('| measure | pprof-plus | go tool pprof | ratio |');
console.log('|---|---|---|---|');
console.log(`| start → URL printed (median of 3) | ${f(tServe)} | | |`);
console.log(`| start → first flame graph drawn (median of 3) | ${f(tFirst)} | ${f(goFirst)} | ${goFirst ? `${(goFirst / tFirst).toFixed(1)}× faster` : ''} |`);
if (zooms.length) console.log(`| zoom, subtree already in the page (click → redrawn), median of ${zooms.length} | ${m(median(zooms))} | | |`);
if (fetchedZooms.length) console.log(`| zoom into a pruned subtree (click → fetched from the server → redrawn), median of ${fetchedZooms.length} | ${m(median(fetchedZooms))} | | |`);
console.log(`| search (submit → redrawn), median of 5 | ${m(median(searches))} | | |`);
console.log(`| canvas draw of one frame | ${m(drawMs)} | | |`);
process.exit(0);
