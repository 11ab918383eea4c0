// A minimal reader of debug=2 goroutine dumps, used only while the profile
// layer's parser (src/profile/goroutine-dump.ts) is not available: headers,
// frames and `created by`, nothing more.

import type { Goroutine, GoroutineDump, GoroutineFrame } from '../profile/model.ts';

const HEADER = /^goroutine (\d+)(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[([^\]]*)\](?: \{(.*)\})?:$/;

export function looksLikeDump(text: string): boolean {
  return /^\s*goroutine \d+ .*\[/.test(text.slice(0, 200));
}

/** Splits `pkg.(*T).m(args)` at the parenthesis that opens the argument list (the one matching the last `)`). */
function splitCall(line: string): [string, string] | null {
  if (!line.endsWith(')')) return null;
  let depth = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    if (line[i] === ')') depth++;
    else if (line[i] === '(' && --depth === 0) return [line.slice(0, i), line.slice(i + 1, -1)];
  }
  return null;
}

function parseFrame(fnLine: string, fileLine: string | undefined): GoroutineFrame {
  const m = splitCall(fnLine.trim());
  const loc = /^\s*(.*):(\d+)(?: \+0x([0-9a-f]+))?/.exec(fileLine ?? '');
  return {
    func: m ? m[0] : fnLine.trim(),
    args: m ? m[1] : '',
    file: loc ? loc[1] : '',
    line: loc ? Number(loc[2]) : 0,
    pcOffset: loc && loc[3] ? parseInt(loc[3], 16) : -1,
  };
}

export function parseDumpFallback(text: string, source: string, timeMs: number | null): GoroutineDump {
  const goroutines: Goroutine[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const h = HEADER.exec(lines[i].trimEnd());
    if (!h) {
      i++;
      continue;
    }
    i++;
    const parts = h[2].split(', ');
    let waitMinutes = 0;
    let locked = false;
    const stateParts: string[] = [];
    for (const part of parts) {
      const w = /^(\d+) minutes?$/.exec(part);
      if (w) waitMinutes = Number(w[1]);
      else if (part === 'locked to thread') locked = true;
      else stateParts.push(part);
    }
    const labels: Record<string, string> = {};
    if (h[3]) for (const m of h[3].matchAll(/"?([^":,]+)"?\s*:\s*"([^"]*)"/g)) labels[m[1].trim()] = m[2];
    const frames: GoroutineFrame[] = [];
    let createdBy: GoroutineFrame | null = null;
    let creatorId = -1;
    let elided = 0;
    while (i < lines.length && lines[i].trim() !== '') {
      const l = lines[i];
      if (l.startsWith('created by ')) {
        const cm = /^created by (.*?)(?: in goroutine (\d+))?$/.exec(l);
        createdBy = parseFrame(`${cm ? cm[1] : l.slice(11)}()`, lines[i + 1]);
        createdBy = { ...createdBy, args: '' };
        if (cm && cm[2]) creatorId = Number(cm[2]);
        i += 2;
        continue;
      }
      if (l.startsWith('...')) {
        const em = /(\d+) frames elided/.exec(l);
        elided = em ? Number(em[1]) : -1;
        i++;
        continue;
      }
      frames.push(parseFrame(l, lines[i + 1]));
      i += 2;
    }
    goroutines.push({
      id: Number(h[1]),
      state: stateParts.join(', '),
      waitMinutes,
      lockedToThread: locked,
      frames,
      elidedFrames: elided,
      createdBy,
      creatorId,
      labels,
    });
  }
  return { source, goroutines, timeMs };
}
