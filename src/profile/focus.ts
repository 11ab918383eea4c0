// pprof's applyFocus: name filters, show_from, tag filters, tag visibility
// and prune_from, in pprof's order, with its warnings when an expression
// matches nothing. Shared by the report driver (src/cli) and the web UI
// (src/server), so both filter a profile the same way.

import { compileGoRegexp, filterSamplesByName, showFrom } from './filter.ts';
import type { Profile } from './model.ts';
import { pruneFrom } from './prune.ts';
import { compileTagFilter, filterSamplesByTag, filterTagsByName, numLabelUnitsOf } from './tagfilter.ts';

/** The filter options, as pprof's flags of the same names ('' = unset). */
export interface FocusOptions {
  focus: string;
  ignore: string;
  hide: string;
  show: string;
  showFrom: string;
  pruneFrom: string;
  tagFocus: string;
  tagIgnore: string;
  tagShow: string;
  tagHide: string;
}

export const NO_FOCUS: FocusOptions = {
  focus: '', ignore: '', hide: '', show: '', showFrom: '', pruneFrom: '', tagFocus: '', tagIgnore: '', tagShow: '', tagHide: '',
};

function rx(option: string, value: string): RegExp | null {
  return value === '' ? null : compileGoRegexp(option, value);
}

/** True when any option would change the profile. */
export function hasFocus(o: FocusOptions): boolean {
  return (Object.keys(NO_FOCUS) as (keyof FocusOptions)[]).some((k) => o[k] !== '');
}

/** pprof's "Active filters:" lines of a report's legend (prune_from is not one). */
export function activeFilterLines(o: FocusOptions): string[] {
  const out: string[] = [];
  const add = (k: string, val: string): void => { if (val !== '') out.push(`${k}=${val}`); };
  add('focus', o.focus);
  add('ignore', o.ignore);
  add('hide', o.hide);
  add('show', o.show);
  add('show_from', o.showFrom);
  add('tagfocus', o.tagFocus);
  add('tagignore', o.tagIgnore);
  add('tagshow', o.tagShow);
  add('taghide', o.tagHide);
  return out;
}

/** Applies every focus option; `warn` receives pprof's stderr lines. */
export function applyFocus(p: Profile, o: FocusOptions, warn: (line: string) => void): Profile {
  const focus = rx('focus', o.focus);
  const ignore = rx('ignore', o.ignore);
  const hide = rx('hide', o.hide);
  const show = rx('show', o.show);
  const sf = rx('show_from', o.showFrom);
  // Label units matter only to numeric tag ranges; skip the scan otherwise.
  const units = o.tagFocus !== '' || o.tagIgnore !== '' ? numLabelUnitsOf(p) : new Map<string, string>();
  const tagFocus = compileTagFilter('tagfocus', o.tagFocus, units, warn);
  const tagIgnore = compileTagFilter('tagignore', o.tagIgnore, units, warn);
  const prune = rx('prune_from', o.pruneFrom);

  const noMatch = (ok: boolean, name: string): void => { if (!ok) warn(`${name} expression matched no samples`); };
  const byName = filterSamplesByName(p, { focus, ignore, hide, show });
  p = byName.profile;
  noMatch(!focus || byName.focusMatched, 'Focus');
  noMatch(!ignore || byName.ignoreMatched, 'Ignore');
  noMatch(!hide || byName.hideMatched, 'Hide');
  noMatch(!show || byName.showMatched, 'Show');
  if (sf) {
    const r = showFrom(p, sf);
    p = r.profile;
    noMatch(r.matched, 'ShowFrom');
  }
  const byTag = filterSamplesByTag(p, tagFocus, tagIgnore);
  p = byTag.profile;
  noMatch(!tagFocus || byTag.focusMatched, 'TagFocus');
  noMatch(!tagIgnore || byTag.ignoreMatched, 'TagIgnore');
  const tagShow = rx('tagshow', o.tagShow);
  const tagHide = rx('taghide', o.tagHide);
  const tags = filterTagsByName(p, tagShow, tagHide);
  p = tags.profile;
  noMatch(!tagShow || tags.showMatched, 'TagShow');
  noMatch(!tagHide || tags.hideMatched, 'TagHide');
  if (prune) p = pruneFrom(p, prune);
  return p;
}
