// Saves a screenshot of each UI view to docs/screenshots/ (for the README).
// Usage: node --import tsx bench/web-screenshots.ts
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startHttp } from '../src/cli/cmd-http.ts';
import { launch } from '../test/web/chromium.ts';
import { repoRoot, sharedDir } from '../test/helpers/paths.ts';

const out = join(repoRoot, 'docs/screenshots');
const P5 = join(sharedDir(), 'corpus/leaks/p5-global-slice');
const corpus = readdirSync(P5).filter((f) => f.endsWith('.pb.gz')).map((f) => join(P5, f));
const sink = new Writable({ write: (_c, _e, cb) => cb() });
const io = { stdout: sink, stderr: sink, env: {}, cwd: repoRoot, isTTY: false };
const series = (await startHttp(['-http=127.0.0.1:0', '-no_browser', ...corpus], io))!;
const dump = (await startHttp(['-http=127.0.0.1:0', '-no_browser', join(repoRoot, 'testdata/web/goroutines.txt')], io))!;
const P2 = join(sharedDir(), 'corpus/leaks/p2-blocked-goroutines');
const gseries = (await startHttp(['-http=127.0.0.1:0', '-no_browser', ...readdirSync(P2).filter((f) => f.startsWith('goroutine_')).map((f) => join(P2, f))], io))!;
const bigFile = join(repoRoot, 'bench/out/web-300k.pb.gz');
const big = existsSync(bigFile) ? (await startHttp(['-http=127.0.0.1:0', '-no_browser', bigFile], io))! : null;
const b = await launch();
const page = await b.context.newPage();
const flameReady = () => page.waitForFunction(() => (window.__flame?.draws ?? 0) > 0);
const shots: [string, string, () => Promise<unknown>][] = [
  ['flame', `${series.url}/`, flameReady],
  ['flame-search', `${series.url}/?q=Audit`, flameReady],
  ['flame-diff', `${series.url}/?base=0&target=7`, flameReady],
  ['top', `${series.url}/?view=top`, () => page.waitForSelector('[data-testid=top] tbody tr')],
  ['callgraph', `${series.url}/?view=graph`, () => page.waitForSelector('[data-testid=graph] svg g.node', { timeout: 60000 })],
  ['source', `${series.url}/?view=source&sym=storeSession|recordAudit`, () => page.waitForSelector('[data-testid=text]')],
  ['peek', `${series.url}/?view=peek&sym=recordAudit`, () => page.waitForSelector('[data-testid=text]')],
  ['leaks', `${series.url}/?view=leaks`, () => page.waitForSelector('[data-testid=timeline] canvas')],
  ['goroutines', `${dump.url}/?view=goroutines`, () => page.waitForSelector('[data-testid=groups] .gr-group')],
  ['goroutines-series', `${gseries.url}/`, () => page.waitForSelector('[data-testid=groups] .gr-group')],
];
if (big) shots.push(['flame-300k', `${big.url}/?icicle=1`, flameReady]);
for (const [name, url, ready] of shots) {
  await page.goto(url);
  await ready();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}
await b.close();
await series.close();
await dump.close();
await gseries.close();
await big?.close();
