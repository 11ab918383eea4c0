// Placeholder (owner: legacy parsers). Recognizes nothing yet.
import type { Profile } from '../model.ts';

/** Parses a legacy (non-proto) profile; null when the bytes are not one. */
export function parseLegacyText(_bytes: Uint8Array, _source: string): Profile | null {
  return null;
}
