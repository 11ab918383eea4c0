import { startHttp } from '/work/main/src/cli/cmd-http.ts';
import { processIO } from '/work/main/src/cli/io.ts';
const t0 = performance.now();
const h = await startHttp(['-http=127.0.0.1:0', '-no_browser', ...process.argv.slice(2)], processIO());
console.log('start', performance.now() - t0);
for (const p of ['/api/flame', '/api/flame?q=1&si=0', '/api/top', '/api/dot']) {
  const t = performance.now();
  const r = await fetch(h!.url + p);
  const body = await r.text();
  console.log(p, r.status, body.length, (performance.now() - t).toFixed(0), 'ms', body.slice(-80));
}
await h!.close();
