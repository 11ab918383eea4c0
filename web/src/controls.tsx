// The data-shaping controls: sample type, pprof's filters (focus, ignore,
// hide, show, show_from, prune_from, tag filters, tagshow/taghide), -normalize
// with a base, granularity, stack depth, call graph nodes. Text boxes apply on Enter so typing does not refetch.

import { useEffect, useState } from 'preact/hooks';
import type { MetaResponse } from '../../src/server/api-types.ts';
import type { UIState } from './state.ts';

const TEXT_KEYS = [
  ['focus', 'focus', 'keep samples through frames matching'],
  ['ignore', 'ignore', 'drop samples through frames matching'],
  ['hide', 'hide', 'drop frames matching'],
  ['show', 'show', 'keep only frames matching'],
  ['show_from', 'show_from', 'drop frames above the first (from the root) matching one'],
  ['prune_from', 'prune_from', 'drop frames below the matching ones'],
  ['tagfocus', 'tagfocus', 'keep samples with a label key=regex'],
  ['tagignore', 'tagignore', 'drop samples with a label key=regex'],
  ['tagshow', 'tagshow', 'keep only the label keys matching'],
  ['taghide', 'taghide', 'drop the label keys matching'],
] as const;

export function Controls({ meta, state, set }: { meta: MetaResponse; state: UIState; set: (p: Partial<UIState>) => void }) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  useEffect(() => setDraft({}), [state]);
  const val = (k: string) => draft[k] ?? (state as Record<string, string | undefined>)[k] ?? (meta.defaults as Record<string, string | undefined>)[k] ?? '';
  const si = state.si ?? meta.defaults.si ?? '';
  const siIndex = si === '' ? meta.defaultSampleIndex : /^\d+$/.test(si) ? Number(si) : meta.sampleTypes.findIndex((t) => t.type === si);
  const apply = () => set(Object.fromEntries(Object.entries(draft)));
  return (
    <form class="controls" onSubmit={(e) => { e.preventDefault(); apply(); }}>
      <label>
        sample
        <select name="si" value={String(siIndex)} onChange={(e) => set({ si: (e.target as HTMLSelectElement).value })}>
          {meta.sampleTypes.map((t, i) => <option key={i} value={String(i)}>{t.type} ({t.unit})</option>)}
        </select>
      </label>
      {TEXT_KEYS.map(([k, label, title]) => (
        <label key={k} title={title}>
          {label}
          <input type="text" name={k} list={k === 'tagfocus' || k === 'tagignore' ? 'label-pairs' : undefined} value={val(k)} onInput={(e) => setDraft((d) => ({ ...d, [k]: (e.target as HTMLInputElement).value }))} onChange={apply} />
        </label>
      ))}
      <label>
        granularity
        <select name="granularity" value={state.granularity ?? meta.defaults.granularity ?? 'functions'} onChange={(e) => set({ granularity: (e.target as HTMLSelectElement).value as UIState['granularity'] })}>
          {['functions', 'filefunctions', 'files', 'lines', 'addresses'].map((g) => <option key={g} value={g}>{g}</option>)}
        </select>
      </label>
      <label title="aggregate frames deeper than this many levels into their ancestor (0 = all)">
        depth
        <input type="text" class="narrow" name="depth" value={val('depth')} onInput={(e) => setDraft((d) => ({ ...d, depth: (e.target as HTMLInputElement).value }))} onChange={apply} />
      </label>
      {state.view === 'graph' && (
        <label>
          nodes
          <input type="text" class="narrow" name="nodecount" value={val('nodecount') || '80'} onInput={(e) => setDraft((d) => ({ ...d, nodecount: (e.target as HTMLInputElement).value }))} onChange={apply} />
        </label>
      )}
      {meta.hasBase && (
        <label title="scale the profile so its total equals the base's (pprof -normalize)">
          <input type="checkbox" name="normalize" checked={(state.normalize ?? meta.defaults.normalize ?? '') === '1'} onChange={(e) => set({ normalize: (e.target as HTMLInputElement).checked ? '1' : '0' })} />
          normalize
        </label>
      )}
      <button type="submit">Apply</button>
      <datalist id="label-pairs">{meta.labels.map((l) => <option key={l} value={l} />)}</datalist>
    </form>
  );
}
