// The Top table: sortable by flat/cum/name, filter box, click focuses the flame graph.

import { useMemo, useState } from 'preact/hooks';
import type { TopResponse } from '../../src/server/api-types.ts';
import { formatValue, percent } from './format.ts';

type Key = 'flat' | 'cum' | 'name';

export function TopView({ data, onPick }: { data: TopResponse; onPick: (name: string) => void }) {
  const [sort, setSort] = useState<Key>('flat');
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    let re: RegExp | null = null;
    try {
      re = filter ? new RegExp(filter, 'i') : null;
    } catch {
      re = null;
    }
    const r = re ? data.rows.filter((x) => re!.test(x.name)) : data.rows.slice();
    if (sort === 'name') r.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    else r.sort((a, b) => Math.abs(b[sort]) - Math.abs(a[sort]));
    return r.slice(0, 1000);
  }, [data, sort, filter]);
  let running = 0;
  const u = data.unit;
  const cls = (v: number) => (data.isDiff ? (v > 0 ? 'pos' : v < 0 ? 'neg' : '') : '');
  return (
    <div>
      <div class="flame-bar">
        <input type="text" name="topfilter" placeholder="filter (regex)" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        <span class="muted">{rows.length} of {data.rows.length} rows · click a row to focus the flame graph on it{data.isDiff ? ` · values are target − base; 100% = ${formatValue(data.percentOf, data.unit)}` : ''}</span>
      </div>
      <table class="top" data-testid="top">
        <thead>
          <tr>
            <th onClick={() => setSort('flat')}>flat{sort === 'flat' ? ' ▼' : ''}</th>
            <th>flat%</th>
            <th>sum%</th>
            <th onClick={() => setSort('cum')}>cum{sort === 'cum' ? ' ▼' : ''}</th>
            <th>cum%</th>
            <th class="name" onClick={() => setSort('name')}>name{sort === 'name' ? ' ▲' : ''}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            running += r.flat;
            return (
              <tr key={r.name} onClick={() => onPick(r.name)}>
                <td class={cls(r.flat)}>{formatValue(r.flat, u)}</td>
                <td>{percent(r.flat, data.percentOf)}</td>
                <td>{percent(running, data.percentOf)}</td>
                <td class={cls(r.cum)}>{formatValue(r.cum, u)}</td>
                <td>{percent(r.cum, data.percentOf)}</td>
                <td class="name">{r.name}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
