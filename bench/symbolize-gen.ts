// Writes the symbolizer benchmark's input: N addresses spread over the
// function symbols of a binary, as a text list (for addr2line and
// llvm-symbolizer) and as an address-only profile (for pprof-plus).

import { writeFileSync } from 'node:fs';
import { ProfileBuilder } from '../src/profile/builder.ts';
import { encodeProfileGzip } from '../src/profile/load.ts';
import { ElfFile, SHT_SYMTAB } from '../src/symbolize/elf.ts';

export function generate(bin: string, n: number, listPath: string, profilePath: string): number {
  const elf = ElfFile.open(bin);
  const text = elf.section('.text')!;
  const sec = elf.sections.find((s) => s.type === SHT_SYMTAB)!;
  const data = elf.rawData(sec);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const ranges: [number, number][] = [];
  for (let o = 24; o + 24 <= data.length; o += 24) {
    if ((data[o + 4] & 0xf) !== 2) continue;
    const v = dv.getUint32(o + 8, true) + dv.getUint32(o + 12, true) * 2 ** 32;
    const size = dv.getUint32(o + 16, true);
    if (size > 0 && v >= text.addr && v < text.addr + text.size) ranges.push([v, size]);
  }
  elf.close();
  ranges.sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, s] of ranges) total += s;
  const step = total / n;
  const addrs: number[] = [];
  let pos = 0, acc = 0;
  for (const [v, s] of ranges) {
    while (pos < acc + s && addrs.length < n) { addrs.push(v + Math.floor(pos - acc)); pos += step; }
    acc += s;
  }
  writeFileSync(listPath, addrs.map((a) => '0x' + a.toString(16)).join('\n') + '\n');
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const m = b.addMapping({ start: 0x400000n, limit: 0x10000000n, offset: 0n, file: bin });
  for (const a of addrs) b.addSample([b.addLocation(BigInt(a), [], m)], [1]);
  writeFileSync(profilePath, encodeProfileGzip(b.build()));
  return addrs.length;
}

/** Cold, in one fresh process: milliseconds spent in read, symbolizeProfile, and encode + gzip. */
export async function phases(profilePath: string): Promise<{ read: number; symbolize: number; encode: number }> {
  const { readProfileFile } = await import('../src/profile/load.ts');
  const { symbolizeProfile } = await import('../src/symbolize/symbolizer.ts');
  let t = performance.now();
  const p = await readProfileFile(profilePath);
  const read = performance.now() - t;
  t = performance.now();
  const { profile } = await symbolizeProfile(p, {});
  const symbolize = performance.now() - t;
  t = performance.now();
  encodeProfileGzip(profile);
  return { read, symbolize, encode: performance.now() - t };
}
