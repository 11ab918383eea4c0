// Goroutines: groups of identical stacks with state, wait range, labels and
// verdicts; the filter takes goroutine IDs, a label (key=value) or a regex.

import { useState } from 'preact/hooks';
import type { GoroutinesResponse } from '../../src/server/api-types.ts';

export function GoroutinesView({ data, filter, onFilter }: { data: GoroutinesResponse; filter: string; onFilter: (f: string) => void }) {
  const [text, setText] = useState(filter);
  return (
    <div>
      <form class="flame-bar" onSubmit={(e) => { e.preventDefault(); onFilter(text); }}>
        <input type="text" name="gfilter" placeholder="IDs (1,17), label k=v, or regex" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} style={{ width: '280px' }} />
        <button type="submit">Filter</button>
        {filter && <button type="button" onClick={() => { setText(''); onFilter(''); }}>Clear</button>}
        <span class="muted" data-testid="gcount">{data.matched} of {data.total} goroutines · {data.groups.length} groups · {data.sources.map((s) => s.split('/').pop()).join(', ')}{data.snapshots > 1 ? ` (latest of ${data.snapshots})` : ''}</span>
      </form>
      <div class="states">
        {Object.entries(data.states).sort((a, b) => b[1] - a[1]).map(([s, c]) => <span key={s}>{s || 'unknown'}: {c}</span>)}
      </div>
      <div data-testid="groups">
        {data.groups.map((g, i) => (
          <div key={i} class={`gr-group${g.verdict ? ' flagged' : ''}`}>
            <div class="gr-head">
              <span class="gr-count">{g.count}×</span>
              {g.state && <span class="gr-state">{g.state}</span>}
              {g.waitMax > 0 && <span>waiting {g.waitMin === g.waitMax ? g.waitMin : `${g.waitMin}–${g.waitMax}`} min</span>}
              <code title={g.frames[0]}>{g.frames.find((f) => !f.startsWith('runtime.') && !f.startsWith('runtime/')) ?? g.frames[0] ?? '?'}</code>
              {g.history && <span class="muted" title="group size in each snapshot, oldest first">{g.history.join(' → ')}</span>}
              {g.verdict && <span class={`verdict ${g.verdict.startsWith('leak') ? 'leak' : 'suspect'}`}>{g.verdict.split(': ')[0]}</span>}
            </div>
            {g.verdict.includes(': ') && <div class="gr-why">{g.verdict.slice(g.verdict.indexOf(': ') + 2)}</div>}
            {g.hint && <div class="gr-hint">fix: {g.hint}</div>}
            {g.evidence && <div class="muted">evidence: {g.evidence.join('; ')}</div>}
            {g.labels.length > 0 && <div class="gr-labels">labels: {g.labels.join(' ')}</div>}
            {g.ids.length > 0 && <div class="gr-ids">ids: {g.ids.slice(0, 30).join(', ')}{g.ids.length > 30 ? ` … (${g.ids.length})` : ''}</div>}
            <details>
              <summary class="muted">stack ({g.frames.length} frames){g.createdBy ? ` · created by ${g.createdBy}` : ''}</summary>
              <ol class="gr-frames">{g.frames.map((f, j) => <li key={j}>{f}</li>)}</ol>
            </details>
          </div>
        ))}
      </div>
    </div>
  );
}
