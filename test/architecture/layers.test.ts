// The layering stays true: a module imports only from its own layer or a
// lower one, and the browser bundle only takes types from the server's API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { repoRoot } from '../helpers/paths.ts';

const LAYERS = ['profile', 'symbolize', 'fetch', 'report', 'leak', 'collect', 'server', 'cli'];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const src = readFileSync(file, 'utf8');
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"`;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m; (m = re.exec(src)); ) out.push({ spec: m[3] ?? m[4], typeOnly: Boolean(m[2]) });
  return out;
}

function layerOf(absPath: string): number {
  const rel = relative(join(repoRoot, 'src'), absPath);
  return LAYERS.indexOf(rel.split('/')[0]);
}

test('src modules never import from a higher layer', () => {
  const violations: string[] = [];
  for (const file of walk(join(repoRoot, 'src'))) {
    const from = layerOf(file);
    assert.ok(from >= 0, `${relative(repoRoot, file)} is outside the known layers ${LAYERS.join(', ')}`);
    for (const { spec } of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(join(repoRoot, 'src'))) {
        violations.push(`${relative(repoRoot, file)} imports ${spec} from outside src/`);
        continue;
      }
      const to = layerOf(target);
      if (to > from) violations.push(`${relative(repoRoot, file)} (${LAYERS[from]}) imports ${spec} (${LAYERS[to]})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('web/ takes only types from src/server/api-types.ts', () => {
  const violations: string[] = [];
  let webFiles: string[] = [];
  try {
    webFiles = walk(join(repoRoot, 'web'));
  } catch {
    return;
  }
  for (const file of webFiles) {
    for (const { spec, typeOnly } of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(join(repoRoot, 'src'))) continue;
      if (!(typeOnly && /src\/server\/api-types(\.ts)?$/.test(target))) {
        violations.push(`${relative(repoRoot, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the layer check catches an upward import', () => {
  // Guard against a regex that silently matches nothing.
  const found = imports(join(repoRoot, 'src/cli/main.ts')).map((i) => i.spec);
  assert.ok(found.includes('../profile/errors.ts'), `imports seen: ${found.join(', ')}`);
});
