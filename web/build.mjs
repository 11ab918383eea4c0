// Bundles the web UI into dist/web/: one JS file for the page, one for the
// call-graph Worker (Graphviz compiled to WASM, carried inside the JS), one
// CSS file, and a static index.html. No CDN and no web fonts: the UI works
// offline and under a CSP that allows only 'self'.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function buildWeb(root) {
  const out = join(root, 'dist/web');
  mkdirSync(out, { recursive: true });
  const common = {
    bundle: true,
    format: 'esm',
    target: 'chrome110',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
  };
  await Promise.all([
    build({ ...common, entryPoints: [join(root, 'web/src/main.tsx')], outfile: join(out, 'app.js') }),
    build({ ...common, format: 'iife', entryPoints: [join(root, 'web/src/graph-worker.ts')], outfile: join(out, 'graph-worker.js') }),
  ]);
  const css = readFileSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'), 'utf8') + '\n' + readFileSync(join(root, 'web/app.css'), 'utf8');
  writeFileSync(join(out, 'app.css'), css);
  copyFileSync(join(root, 'web/index.html'), join(out, 'index.html'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWeb(join(new URL('.', import.meta.url).pathname, '..'));
}
