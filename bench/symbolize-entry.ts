// Bench entry point shaped like addr2line / llvm-symbolizer: the binary as
// argument, addresses (hex, one per line) on stdin, frames on stdout
// (function, file:line; inlined frames first; full demangled names).

import { readFileSync } from 'node:fs';
import { demangle } from '../src/symbolize/demangle.ts';
import { ObjectSymbolizer } from '../src/symbolize/object.ts';

const obj = ObjectSymbolizer.open(process.argv[2]);
const names = new Map<string, string>();
const out: string[] = [];
for (const line of readFileSync(0, 'latin1').split('\n')) {
  if (line === '') continue;
  const a = parseInt(line, 16);
  const frames = obj.frames(a);
  if (frames.length === 0) out.push('??', '??:0');
  for (const f of frames) {
    const raw = f.systemName || f.func;
    let n = names.get(raw);
    if (n === undefined) names.set(raw, (n = demangle(raw, 'full')));
    out.push(n, `${f.file || '??'}:${f.line}`);
  }
  out.push('');
}
process.stdout.write(out.join('\n'));
