// The UI in a real browser (Debian's Chromium via playwright-core): flame
// graph drawn, search, zoom, views, Leak Candidates on a snapshot series,
// goroutine filter by ID. Skipped only when Chromium is not installed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { readProfileFile, writeProfileFile } from '../../src/profile/load.ts';
import { StoreWriter } from '../../src/collect/store.ts';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { startHttp, type HttpHandle } from '../../src/cli/cmd-http.ts';
import { repoRoot, sharedDir } from '../helpers/paths.ts';
import { chromiumMissing, launch } from './chromium.ts';

const P5 = join(sharedDir(), 'corpus/leaks/p5-global-slice');
const corpus = existsSync(P5) ? readdirSync(P5).filter((f) => f.endsWith('.pb.gz')).map((f) => join(P5, f)) : [];
const built = existsSync(join(repoRoot, 'dist/web/app.js'));
const skip = chromiumMissing || (!built && 'browser tests skipped: UI bundle missing (run npm run build)') || (corpus.length < 16 && 'leak corpus not found');

let series: HttpHandle;
let dump: HttpHandle;
let browser: Awaited<ReturnType<typeof launch>>;
let page: Page;
const errors: string[] = [];

const io = () => {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  return { stdout: sink, stderr: sink, env: {}, cwd: repoRoot, isTTY: false };
};

before(async () => {
  if (skip) return;
  series = (await startHttp(['-http=127.0.0.1:0', '-no_browser', ...corpus], io()))!;
  dump = (await startHttp(['-http=127.0.0.1:0', '-no_browser', join(repoRoot, 'testdata/web/goroutines.txt')], io()))!;
  browser = await launch();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});
after(async () => {
  await browser?.close();
  await series?.close();
  await dump?.close();
});

async function flameState(p: Page) {
  return p.evaluate(() => {
    const f = window.__flame!;
    return { draws: f.draws, boxes: f.boxes, zoom: f.zoom, matchedTotal: f.matchedTotal, nodes: f.nodes };
  });
}

/** Counts canvas pixels that are not background. */
async function paintedPixels(p: Page): Promise<number> {
  return p.evaluate(() => {
    const c = document.querySelector('canvas.flame') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
}

test('flame graph draws, searches and zooms', { skip }, async () => {
  await page.goto(series.url);
  await page.waitForFunction(() => (window.__flame?.draws ?? 0) > 0);
  const s = await flameState(page);
  assert.ok(s.boxes >= 5, `drew ${s.boxes} boxes`);
  assert.equal(s.zoom, 'root');
  assert.ok((await paintedPixels(page)) > 10000);

  await page.fill('input[name=search]', 'storeSession|formatAuditEntry');
  await page.click('form.search button[type=submit]');
  await page.waitForFunction(() => (window.__flame?.matchedTotal ?? -1) > 0);
  assert.match(await page.textContent('[data-testid=match]') ?? '', /^2 functions match; [\d.]+MB \(\d+\.\d+%\)/);
  assert.match(page.url(), /q=storeSession/);

  const box = await page.evaluate(() => window.__flame!.find('main.recordAudit'));
  assert.ok(box, 'main.recordAudit is drawn');
  const canvas = (await page.$('canvas.flame'))!;
  const cb = (await canvas.boundingBox())!;
  await page.mouse.click(cb.x + box.x + box.w / 2, cb.y + box.y + 9);
  await page.waitForFunction(() => window.__flame!.zoom === 'main.recordAudit');
  assert.match(await page.textContent('[data-testid=crumbs]') ?? '', /main\.main.*main\.recordAudit/);
  // Zoomed: the child now spans (nearly) the whole width.
  const child = await page.evaluate(() => window.__flame!.find('main.formatAuditEntry'));
  assert.ok(child && child.w > 1000, `zoomed child width ${child?.w}`);
  const cb2 = (await canvas.boundingBox())!;
  await page.mouse.move(cb2.x + child.x + 50, cb2.y + child.y + 9);
  await page.waitForSelector('.tooltip');
  assert.match(await page.textContent('.tooltip') ?? '', /main\.formatAuditEntry\nflat: .*\ncum: .*%/);
  await page.click('[data-testid=crumbs] button:first-child');
  await page.waitForFunction(() => window.__flame!.zoom === 'root');
});

test('pprof filter controls (show_from, prune_from, tagshow) apply and stay in the URL', { skip }, async () => {
  await page.goto(series.url + '/?show_from=recordAudit');
  await page.waitForFunction(() => (window.__flame?.draws ?? 0) > 0);
  assert.equal(await page.inputValue('input[name=show_from]'), 'recordAudit');
  // show_from drops main.main above recordAudit and every sample not through it.
  await page.waitForFunction(() => window.__flame!.find('main.recordAudit') !== null && window.__flame!.find('main.main') === null && window.__flame!.find('main.storeSession') === null);
  assert.ok(await page.evaluate(() => window.__flame!.find('main.formatAuditEntry') !== null));
  // prune_from drops what recordAudit calls.
  await page.fill('input[name=prune_from]', 'recordAudit');
  await page.press('input[name=prune_from]', 'Enter');
  await page.waitForFunction(() => location.search.includes('prune_from=recordAudit'));
  await page.waitForFunction(() => window.__flame!.find('main.recordAudit') !== null && window.__flame!.find('main.formatAuditEntry') === null);
  await page.fill('input[name=tagshow]', 'nosuchkey');
  await page.press('input[name=tagshow]', 'Enter');
  await page.waitForSelector('p.warning');
  assert.match(await page.textContent('p.warning') ?? '', /TagShow expression matched no samples/);
});

test('views: top table focuses the flame graph, call graph lays out, peek', { skip }, async () => {
  await page.goto(series.url + '/?view=top');
  await page.waitForSelector('[data-testid=top] tbody tr');
  const first = await page.textContent('[data-testid=top] tbody tr:first-child td.name');
  assert.equal(first, 'main.storeSession');
  await page.fill('input[name=topfilter]', 'loadCatalog');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=top] tbody tr').length === 1);
  await page.click('[data-testid=top] tbody tr');
  await page.waitForFunction(() => location.search.includes('view=flame') && (window.__flame?.draws ?? 0) > 0);
  assert.match(decodeURIComponent(page.url()), /focus=\^main\\\.loadCatalog\$/);
  await page.waitForFunction(() => window.__flame!.find('main.loadCatalog') !== null && window.__flame!.find('main.storeSession') === null);

  await page.goto(series.url + '/?view=graph');
  await page.waitForSelector('[data-testid=graph] svg g.node', { timeout: 30000 });
  const nodes = await page.$$eval('[data-testid=graph] svg g.node', (els) => els.map((e) => e.textContent ?? ''));
  assert.ok(nodes.some((t) => t.includes('storeSession')), nodes.join(' | '));
  assert.match(await page.textContent('[data-testid=graph-status]') ?? '', /^\d+ nodes.* · laid out in \d+ ms$/);

  await page.goto(series.url + '/?view=peek&sym=recordAudit');
  await page.waitForSelector('[data-testid=text]');
  assert.match(await page.textContent('[data-testid=text]') ?? '', /main\.formatAuditEntry/);
});

test('Leak Candidates shows the true leaks first and opens their growth', { skip }, async () => {
  await page.goto(series.url + '/?view=leaks');
  await page.waitForSelector('[data-testid=leaks] tbody tr');
  const rows = await page.$$eval('[data-testid=leaks] tbody tr', (trs) => trs.map((tr) => [tr.children[1].textContent, tr.children[2].textContent]));
  assert.deepEqual(rows.slice(0, 2).map((r) => r[0]).sort(), ['main.formatAuditEntry', 'main.storeSession']);
  assert.deepEqual(rows.slice(0, 2).map((r) => r[1]), ['leak', 'leak']);
  await page.waitForSelector('[data-testid=timeline] canvas');
  // Two clicks on the timeline pick the snapshots to diff.
  const over = (await (await page.$('[data-testid=timeline] .u-over'))!.boundingBox())!;
  for (const fx of [0.26, 0.74]) {
    await page.mouse.move(over.x + over.width * fx, over.y + over.height / 2);
    await page.mouse.click(over.x + over.width * fx, over.y + over.height / 2);
  }
  assert.match(await page.textContent('.timeline .pick') ?? '', /base: #2 heap_02\.pb\.gz.*target: #5 heap_05\.pb\.gz/);
  await page.click('text=Diff flame graph of the picked snapshots');
  await page.waitForFunction(() => location.search.includes('base=2') && location.search.includes('target=5') && (window.__flame?.draws ?? 0) > 0);
  assert.equal(await page.evaluate(() => window.__flame!.nodes > 1), true);
  await page.goto(series.url + '/?view=leaks');
  await page.waitForSelector('[data-testid=leaks] tbody tr');
  await page.click('[data-testid=leaks] tbody tr:first-child');
  await page.waitForFunction(() => location.search.includes('target=7') && (window.__flame?.draws ?? 0) > 0);
  assert.match(await page.textContent('.notes') ?? '', /compared with base #0/);
});

test('goroutine dump: filter by ID', { skip }, async () => {
  await page.goto(dump.url); // a dump alone opens on the Goroutines panel
  await page.waitForSelector('[data-testid=groups] .gr-group');
  assert.match(await page.textContent('[data-testid=gcount]') ?? '', /^(\d+) of \1 goroutines/);
  assert.match(await page.textContent('[data-testid=groups]') ?? '', /40×chan send/);
  const id = await page.evaluate(() => /ids: (\d+)/.exec(document.querySelector('.gr-ids')!.textContent!)![1]);
  await page.fill('input[name=gfilter]', id);
  await page.press('input[name=gfilter]', 'Enter');
  await page.waitForFunction(() => /^1 of /.test(document.querySelector('[data-testid=gcount]')!.textContent!));
  assert.equal(await page.$$eval('[data-testid=groups] .gr-group', (g) => g.length), 1);
  assert.match(page.url(), new RegExp(`gf=${id}`));
});

test('zooming into a subtree the server pruned fetches it in full', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-web-zoom-'));
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const loc = (name: string) => b.addLocation(0n, [{ fn: b.addFunction(name), line: 1 }]);
  const main = loc('main.main');
  const mid = loc('main.mid');
  // main.mid is 1% of the total; its leaves are under 1/200000 of the total (pruned at the root)
  // but about half a pixel each once main.mid fills the width.
  b.addSample([loc('main.heavy'), main], [10_000_000]);
  b.addSample([mid, main], [99_200]);
  for (let i = 0; i < 20; i++) b.addSample([loc(`main.leaf${i}`), mid, main], [40]);
  const file = join(dir, 'pruned.pb.gz');
  await writeProfileFile(file, b.build());
  const h = (await startHttp(['-http=127.0.0.1:0', '-no_browser', file], io()))!;
  try {
    await page.goto(h.url + '/?icicle=1');
    await page.waitForFunction(() => (window.__flame?.draws ?? 0) > 0);
    assert.equal(await page.evaluate(() => window.__flame!.find('main.leaf0')), null);
    const box = (await page.evaluate(() => window.__flame!.find('main.mid')))!;
    const cb = (await (await page.$('canvas.flame'))!.boundingBox())!;
    await page.mouse.click(cb.x + box.x + box.w / 2, cb.y + box.y + 9);
    await page.waitForFunction(() => location.search.includes('zoom=') && window.__flame!.find('main.leaf0') !== null);
    assert.equal(await page.evaluate(() => window.__flame!.zoom), 'main.mid');
    assert.match(decodeURIComponent(page.url()), /zoom=\["main\.main","main\.mid"\]/);
    // The link reproduces the zoom; root goes back to the whole tree.
    await page.reload();
    await page.waitForFunction(() => window.__flame?.zoom === 'main.mid');
    await page.click('[data-testid=crumbs] button:first-child');
    await page.waitForFunction(() => !location.search.includes('zoom=') && window.__flame!.zoom === 'root');
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('names with markup are shown as text in every view, never run', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-web-evil-'));
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const evil = 'main.F[<img src=x onerror=alert(1)>&"q"]';
  const loc = (name: string) => b.addLocation(0n, [{ fn: b.addFunction(name), line: 1 }]);
  b.addSample([loc(evil), loc('main.main')], [5]);
  const file = join(dir, 'evil.pb.gz');
  await writeProfileFile(file, b.build());
  const h = (await startHttp(['-http=127.0.0.1:0', '-no_browser', file], io()))!;
  const dialogs: string[] = [];
  const onDialog = (d: { message: () => string; dismiss: () => Promise<void> }) => {
    dialogs.push(d.message());
    void d.dismiss();
  };
  page.on('dialog', onDialog);
  try {
    await page.goto(h.url);
    await page.waitForFunction(() => (window.__flame?.draws ?? 0) > 0);
    assert.ok(await page.evaluate((n) => window.__flame!.find(n) !== null, evil));
    await page.goto(h.url + '/?view=top');
    await page.waitForSelector('[data-testid=top] tbody tr');
    assert.ok((await page.$$eval('[data-testid=top] td.name', (tds) => tds.map((t) => t.textContent))).includes(evil));
    await page.goto(h.url + '/?view=graph');
    await page.waitForSelector('[data-testid=graph] svg g.node', { timeout: 30000 });
    assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0);
    assert.deepEqual(dialogs, []);
  } finally {
    page.off('dialog', onDialog);
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('store: the Store panel draws every target and type, and a dragged range reloads Leak Candidates', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-web-store-ui-'));
  let h: HttpHandle | undefined;
  try {
    const a = 'http://127.0.0.1:6060';
    const b = 'http://10.0.0.2:6061';
    const w = await StoreWriter.open(dir);
    const heaps = corpus.filter((f) => f.includes('heap_')).sort();
    const gor = corpus.filter((f) => /goroutine/.test(f)).sort();
    for (let i = 0; i < heaps.length; i++) {
      const t = 1_700_000_000_000 + (i + 1) * 30_000;
      const heap = await readProfileFile(heaps[i]);
      await w.appendProfile(a, 'heap', heap, t, `${a}/debug/pprof/heap`);
      if (gor[i]) await w.appendProfile(a, 'goroutine', await readProfileFile(gor[i]), t, `${a}/debug/pprof/goroutine`);
      if (i < 3) await w.appendProfile(b, 'heap', heap, t + 1000, `${b}/debug/pprof/heap`);
    }
    await w.close();
    h = (await startHttp(['-http=127.0.0.1:0', '-no_browser', dir], io()))!;
    await page.goto(h.url + '/?view=leaks');
    await page.waitForSelector('[data-testid=store-timeline] .u-over');
    await page.waitForSelector('[data-testid=leaks] tbody tr');
    const lines = await page.evaluate(() => window.__store!.lines);
    assert.equal(lines, gor.length > 0 ? 3 : 2, 'one line per target and type');
    assert.equal(await page.$$eval('[data-testid=store-timeline] .u-legend .u-series', (l) => l.length), lines + 1);
    assert.deepEqual(await page.$$eval('select[name=st] option', (o) => o.map((x) => x.textContent).sort()), [b, a].sort());
    // The store lists targets by key: 10.0.0.2_6061 comes first, so pick the eight-snapshot target.
    await page.selectOption('select[name=st]', { label: a });
    await page.waitForFunction(() => /^8 heap snapshots/.test(document.querySelector('[data-testid=store-count]')!.textContent!));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=leaks] tbody tr').length > 0);
    const rowsOf = () => page.$$eval('[data-testid=leaks] tbody tr', (trs) => trs.map((tr) => `${tr.children[1].textContent} ${tr.children[4].textContent}`));
    const before = await rowsOf();
    assert.ok(page.url().includes('st=127.0.0.1_6060'));

    // Drag across the middle of the chart: a time range in the URL, fewer snapshots, a new ranking.
    const over = (await (await page.$('[data-testid=store-timeline] .u-over'))!.boundingBox())!;
    const y = over.y + over.height / 2;
    await page.mouse.move(over.x + over.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.55, y, { steps: 5 });
    await page.mouse.move(over.x + over.width * 0.8, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => /[?&]from=\d+/.test(location.search) && /[?&]to=\d+/.test(location.search));
    await page.waitForFunction(() => {
      const n = Number(/^(\d+) heap/.exec(document.querySelector('[data-testid=store-count]')!.textContent!)?.[1]);
      return n >= 2 && n < 8;
    });
    const inRange = Number(/^(\d+) heap/.exec(await page.textContent('[data-testid=store-count]') ?? '')![1]);
    await page.waitForFunction((b4) => {
      const rows = [...document.querySelectorAll('[data-testid=leaks] tbody tr')].map((tr) => `${tr.children[1].textContent} ${tr.children[4].textContent}`);
      return rows.length > 0 && JSON.stringify(rows) !== b4;
    }, JSON.stringify(before));
    const after = await rowsOf();
    assert.notDeepEqual(after, before);
    // The range survives a reload (it is in the URL).
    await page.reload();
    await page.waitForSelector('[data-testid=store-count]');
    assert.match(await page.textContent('[data-testid=store-count]') ?? '', new RegExp(`^${inRange} heap snapshots of ${a.replace(/[.]/g, '\\.')}`));
    assert.ok(String(await page.inputValue('input[name=from]')).startsWith('2023-11-14T'));
  } finally {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no script errors on any page', { skip }, () => {
  assert.deepEqual(errors, []);
});
