// Choosing the value to report: pprof's SampleIndexByName, with its error
// text, and the legacy -inuse_space style aliases.

import { UsageError } from './errors.ts';
import type { Profile } from './model.ts';

/** Profile.SampleIndexByName; a selector that names nothing is a usage error. */
export function selectSampleIndex(p: Profile, selector: string): number {
  const n = p.sampleTypes.length;
  if (selector === '') {
    if (p.defaultSampleType !== '') {
      const i = p.sampleTypes.findIndex((t) => t.type === p.defaultSampleType);
      if (i >= 0) return i;
    }
    return n - 1;
  }
  if (/^[+-]?\d+$/.test(selector)) {
    const i = Number(selector);
    if (i < 0 || i >= n) throw new UsageError(`sample_index ${selector} is outside the range [0..${n - 1}]`);
    return i;
  }
  const noInuse = selector.startsWith('inuse_') ? selector.slice('inuse_'.length) : selector;
  const i = p.sampleTypes.findIndex((t) => t.type === selector || t.type === noInuse);
  if (i >= 0) return i;
  throw new UsageError(`sample_index "${selector}" must be one of: [${p.sampleTypes.map((t) => t.type).join(' ')}]`);
}
