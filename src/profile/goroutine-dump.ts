// Placeholder (owner: goroutine analysis). The loader calls these two.
import { InputError } from './errors.ts';
import type { GoroutineDump } from './model.ts';

/** True when the bytes start like a debug=2 goroutine dump or a Go traceback. */
export function looksLikeGoroutineDump(_bytes: Uint8Array): boolean {
  return false;
}

/** Parses a debug=2 goroutine dump. */
export function parseGoroutineDump(_bytes: Uint8Array, source: string): GoroutineDump {
  throw new InputError(source, 'goroutine dumps are not supported yet');
}
