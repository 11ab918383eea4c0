// Bundles the CLI (and the web UI, when present) so that `bin/pprof-plus`
// starts without a TypeScript loader: startup time is part of our speed goals.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

// Code splitting: each lazily imported subcommand (and the code only it
// uses) becomes its own chunk, so `symbolize` or `-top` do not parse the UI
// server and the collector at start (~25 ms of a ~80 ms start). Chunks sit
// next to cli.mjs (cmd-http finds dist/web beside its own file); chunks of
// earlier builds are removed first.
const CHUNK = /^(chunk|cmd-[a-z-]+)-[A-Z0-9]{8}\.mjs(\.map)?$/;
for (const f of readdirSync(dist)) if (CHUNK.test(f)) rmSync(join(dist, f));

await build({
  entryPoints: { cli: join(root, 'src/cli/main.ts') },
  outdir: dist,
  splitting: true,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// The web UI is built by its own script so the CLI build stays fast.
const webBuild = join(root, 'web/build.mjs');
if (existsSync(webBuild)) {
  const { buildWeb } = await import(webBuild);
  await buildWeb(root);
}
