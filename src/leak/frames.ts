// Which frames count as "user" frames. A heap site is charged to its first
// user frame: the runtime's allocator, allocation helpers and the standard
// library are where memory is *allocated*, not where it is *kept*.
//
// Go function names carry their package path, so the standard library is
// recognised by the first path element (`fmt`, `net/http`, `encoding/json`).
// A heuristic on dots would misfile modules named without a dot
// (`module leakdemo`), so the list of standard top-level packages is spelled
// out here instead.

const STD_ROOTS = new Set([
  'archive', 'bufio', 'builtin', 'bytes', 'cmp', 'compress', 'container', 'context', 'crypto', 'database',
  'debug', 'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index',
  'internal', 'io', 'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path', 'plugin', 'reflect', 'regexp',
  'runtime', 'slices', 'sort', 'strconv', 'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time',
  'unicode', 'unique', 'unsafe', 'vendor', 'weak', 'golang.org',
]);

/** The first element of a Go function's package path: `net` for `net/http.(*conn).serve`. */
export function packageRoot(fn: string): string {
  const slash = fn.indexOf('/');
  const head = slash >= 0 ? fn.slice(0, slash) : fn;
  const dot = head.indexOf('.');
  return dot >= 0 && slash < 0 ? head.slice(0, dot) : head;
}

/** True for Go standard library and runtime frames (and compiler-generated `type..eq` helpers). */
export function isStdFrame(fn: string): boolean {
  if (fn === '' || fn.startsWith('runtime.') || fn.startsWith('type..') || fn.startsWith('go.')) return true;
  if (fn.startsWith('main.')) return false;
  return STD_ROOTS.has(packageRoot(fn)) || fn.startsWith('golang.org/x/');
}

export interface FrameFilter {
  /** Frames matching any of these count as user frames even when they are in the standard library. */
  keep: readonly RegExp[];
  /** Frames matching any of these are skipped as allocation helpers. */
  skip: readonly RegExp[];
}

export const DEFAULT_FRAME_FILTER: FrameFilter = { keep: [], skip: [] };

export function isUserFrame(fn: string, f: FrameFilter): boolean {
  for (const re of f.keep) if (re.test(fn)) return true;
  for (const re of f.skip) if (re.test(fn)) return false;
  return !isStdFrame(fn);
}
