// Bundles the CLI (and the web UI, when present) so that `bin/pprof-plus`
// starts without a TypeScript loader: startup time is part of our speed goals.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist'), { recursive: true });

await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'dist/cli.mjs'),
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
