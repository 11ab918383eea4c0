// Turns a symbolized profile into what an agent or `-symbolize=none`
// leaves: every location keeps its mapping and address, loses its lines.

import type { Profile } from '../../src/profile/model.ts';

export function stripNames(p: Profile): Profile {
  return {
    ...p,
    mappings: p.mappings.map((m) => ({ ...m, hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false })),
    locations: {
      ...p.locations,
      lineStart: new Uint32Array(p.locations.length + 1),
      lineFunction: new Uint32Array(0),
      lineNumber: new Float64Array(0),
      lineColumn: new Float64Array(0),
    },
    functions: { length: 0, id: new Float64Array(0), name: [], systemName: [], filename: [], startLine: new Float64Array(0) },
  };
}

/** Lines of location i as "func file:line" strings, innermost first. */
export function locationLines(p: Profile, i: number): string[] {
  const L = p.locations;
  const F = p.functions;
  const out: string[] = [];
  for (let k = L.lineStart[i]; k < L.lineStart[i + 1]; k++) {
    const f = L.lineFunction[k];
    out.push(`${F.name[f]} ${F.filename[f]}:${L.lineNumber[k]}`);
  }
  return out;
}
