// Parser for Go's full goroutine dumps: `/debug/pprof/goroutine?debug=2`,
// `runtime.Stack(buf, true)`, and the tracebacks of panics, fatal errors
// and SIGQUIT, which share the format. Go 1.19 to current:
//
//   goroutine 52 [select, 957 minutes, locked to thread]:
//   goroutine 7 gp=0xc000007340 m=nil [chan receive]:
//   goroutine 38669 [chan receive] {pid: "<ABC.0.1>"}:
//   main.worker(0xc000010000, {0x4d2e1a, 0x5})
//   	/app/main.go:27 +0x44
//   main.handler(...)                      <- inlined: no +0x
//   	/app/main.go:18
//   ...3 frames elided...                  <- Go 1.21+; older: ...additional frames elided...
//   created by main.start in goroutine 1   <- " in goroutine N" since Go 1.21
//   	/app/main.go:40 +0x98
//
// The scan works line by line with indexOf and charCodeAt: a 100k-goroutine
// dump is tens of megabytes and must parse in well under a second. Function
// and file names are interned so repeated stacks share their strings.

import { InputError } from './errors.ts';
import type { Goroutine, GoroutineDump, GoroutineFrame } from './model.ts';

const HEADER_PREFIX = 'goroutine ';

/** True when the bytes look like a debug=2 dump or a Go traceback (not debug=1's counted form). */
export function looksLikeGoroutineDump(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 64 * 1024));
  if (/^goroutine profile: total \d+/.test(head)) return false;
  return /(^|\n)goroutine \d+[^\n\[]*\[[^\]\n]*\][^\n]*:\r?\n/.test(head);
}

/** Parses a dump. Text before the first goroutine (a panic message) is kept as `preamble`. */
export function parseGoroutineDump(input: Uint8Array | string, source: string, timeMs: number | null = null): GoroutineDump {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const names = new Map<string, string>();
  const intern = (s: string): string => {
    const v = names.get(s);
    if (v !== undefined) return v;
    names.set(s, s);
    return s;
  };

  const goroutines: Goroutine[] = [];
  const n = text.length;
  let pos = 0;
  let lineNo = 0;
  let cur: MutableGoroutine | null = null;
  let pendingFunc: string | null = null;
  let pendingArgs = '';
  let pendingCreatedBy = false;
  let preambleEnd = -1;

  const finish = () => {
    if (cur) goroutines.push(cur);
    cur = null;
    pendingFunc = null;
  };

  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    let end = eol;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    const line = text.slice(pos, end);
    const lineStart = pos;
    pos = eol + 1;
    lineNo++;

    if (line.length === 0) {
      // A blank line ends a goroutine block.
      finish();
      continue;
    }
    if (line.startsWith(HEADER_PREFIX) && line.endsWith(':') && line.charCodeAt(HEADER_PREFIX.length) >= 48 && line.charCodeAt(HEADER_PREFIX.length) <= 57) {
      finish();
      if (preambleEnd < 0) preambleEnd = lineStart;
      cur = parseHeader(line, source, lineNo);
      continue;
    }
    if (!cur) continue; // panic preamble or trailing text
    const g: MutableGoroutine = cur;
    const c0 = line.charCodeAt(0);
    if (c0 === 9 /* \t */) {
      // File line of the pending frame.
      if (pendingFunc === null) continue;
      const { file, line: ln, offset } = parseFileLine(line);
      const frame: GoroutineFrame = { func: pendingFunc, args: pendingArgs, file: intern(file), line: ln, pcOffset: offset };
      if (pendingCreatedBy) g.createdBy = frame;
      else g.frames.push(frame);
      pendingFunc = null;
      pendingCreatedBy = false;
      continue;
    }
    if (line.startsWith('created by ')) {
      let rest = line.slice('created by '.length);
      const inG = rest.lastIndexOf(' in goroutine ');
      if (inG >= 0) {
        g.creatorId = Number(rest.slice(inG + ' in goroutine '.length));
        rest = rest.slice(0, inG);
      }
      pendingFunc = intern(rest);
      pendingArgs = '';
      pendingCreatedBy = true;
      continue;
    }
    if (line.startsWith('...')) {
      const m = /^\.\.\.(\d+) frames elided\.\.\.$/.exec(line);
      if (m) g.elidedFrames = Number(m[1]);
      else if (line.startsWith('...additional frames elided')) g.elidedFrames = -1;
      continue;
    }
    if (line.startsWith('goroutine running on other thread')) continue;
    if (line.startsWith('[originating from goroutine')) {
      // tracebackancestors: the ancestors' stacks follow; keep only this goroutine's own frames.
      finish();
      continue;
    }
    // A function line: name(args), possibly with a trailing " fp=... sp=... pc=..." under GOTRACEBACK=system.
    const { func, args } = splitCall(line);
    pendingFunc = intern(func);
    pendingArgs = args;
    pendingCreatedBy = false;
  }
  finish();
  if (goroutines.length === 0) throw new InputError(source, 'no goroutines found in the dump');
  const preamble = preambleEnd > 0 ? text.slice(0, preambleEnd).trim() : '';
  return preamble ? { source, goroutines, timeMs, preamble } : { source, goroutines, timeMs };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableGoroutine = Mutable<Goroutine> & { frames: GoroutineFrame[] };

function parseHeader(line: string, source: string, lineNo: number): MutableGoroutine {
  // goroutine <id>[ gp=.. m=..[ mp=..]] [<state>...]:[ {labels}]
  let i = HEADER_PREFIX.length;
  let id = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    id = id * 10 + (c - 48);
    i++;
  }
  const open = line.indexOf('[', i);
  const close = open >= 0 ? line.indexOf(']', open) : -1;
  if (open < 0 || close < 0) throw new InputError(source, `line ${lineNo}: malformed goroutine header "${line.slice(0, 80)}"`);
  const inside = line.slice(open + 1, close);
  const parts = inside.split(', ');
  let state = parts[0];
  let waitMinutes = 0;
  let locked = false;
  for (let k = 1; k < parts.length; k++) {
    const p = parts[k];
    if (p === 'locked to thread') locked = true;
    else if (p.endsWith(' minutes')) waitMinutes = Number(p.slice(0, -' minutes'.length)) || 0;
    else if (p.endsWith(' minute')) waitMinutes = Number(p.slice(0, -' minute'.length)) || 0;
    else state += `, ${p}`; // an unknown qualifier stays visible in the state
  }
  const labels: Record<string, string> = {};
  const after = line.slice(close + 1, line.length - 1).trim();
  if (after.startsWith('{') && after.endsWith('}')) {
    // {k: "v", k2: "v2"} (Go 1.27 tracebacklabels) or labels:{"k":"v"} forms.
    const re = /"?([^",{}:]+)"?\s*:\s*"((?:[^"\\]|\\.)*)"/g;
    for (let m; (m = re.exec(after)); ) labels[m[1].trim()] = m[2];
  }
  return {
    id,
    state,
    waitMinutes,
    lockedToThread: locked,
    frames: [],
    elidedFrames: 0,
    createdBy: null,
    creatorId: -1,
    labels,
  };
}

/** Splits `pkg.(*T).Method(0x1, {0x2, 0x3})` into name and argument text. */
function splitCall(line: string): { func: string; args: string } {
  let s = line;
  const fp = s.indexOf(' fp=');
  if (fp >= 0) s = s.slice(0, fp);
  if (!s.endsWith(')')) return { func: s, args: '' };
  // Find the '(' that opens the trailing argument list, skipping the
  // parentheses inside the name such as `(*T)`.
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40) {
      depth--;
      if (depth === 0) return { func: s.slice(0, i), args: s.slice(i + 1, s.length - 1) };
    }
  }
  return { func: s, args: '' };
}

/** `\t/path/file.go:123 +0x1a` (the offset absent for inlined frames). */
function parseFileLine(line: string): { file: string; line: number; offset: number } {
  let s = line.slice(1);
  const fp = s.indexOf(' fp=');
  if (fp >= 0) s = s.slice(0, fp);
  let offset = -1;
  const plus = s.lastIndexOf(' +0x');
  if (plus >= 0) {
    offset = parseInt(s.slice(plus + 4), 16);
    s = s.slice(0, plus);
  }
  const colon = s.lastIndexOf(':');
  if (colon < 0) return { file: s, line: 0, offset };
  const ln = Number(s.slice(colon + 1));
  if (!Number.isFinite(ln)) return { file: s, line: 0, offset };
  return { file: s.slice(0, colon), line: ln, offset };
}
