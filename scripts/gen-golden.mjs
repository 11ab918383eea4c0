#!/usr/bin/env node
// Regenerates test/golden/ by running the oracle, `go tool pprof` (go1.19's),
// over the committed fixtures in testdata/core/profiles with each option set
// below. Golden files are never edited by hand: change the table and rerun.
//
//   node scripts/gen-golden.mjs          # needs `go` on PATH
//
// Runs with cwd = repo root, relative fixture paths and TZ=UTC so the
// header lines (File:, Time:) are stable.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test/golden');
const P = 'testdata/core/profiles/';
const heap = P + 'heap.pb.gz';
const cpu = P + 'cpu.pb.gz';
const series = (i) => `${P}series/heap.${i}.pb.gz`;
const src = ['-source_path=testdata/core'];

/** [name, flags, fixtures] */
const cases = [
  // heap: output formats
  ['heap.top', ['-top'], [heap]],
  ['heap.text.cum', ['-text', '-cum'], [heap]],
  ['heap.flat', ['-top', '-flat'], [heap]],
  ['heap.traces', ['-traces'], [heap]],
  ['heap.tags', ['-tags'], [heap]],
  ['heap.peek', ['-peek=main\\.'], [heap]],
  ['heap.tree', ['-tree'], [heap]],
  ['heap.raw', ['-raw'], [heap]],
  ['heap.list', ['-list=main\\.allocSmall', ...src], [heap]],
  ['heap.list.trim_path', ['-list=cache', '-source_path=testdata/core/profgen', '-trim_path=profgen'], [heap]],
  ['heap.list.not_found', ['-list=cache', '-source_path=testdata', '-trim_path=x'], [heap]],
  ['heap.dot', ['-dot'], [heap]],
  ['heap.comments', ['-comments'], [heap]],
  // heap: selection
  ['heap.si.alloc_space', ['-top', '-sample_index=alloc_space'], [heap]],
  ['heap.si.1', ['-top', '-sample_index=1'], [heap]],
  ['heap.inuse_objects', ['-top', '-inuse_objects'], [heap]],
  ['heap.alloc_objects', ['-top', '-alloc_objects'], [heap]],
  ['heap.alloc_space', ['-top', '-alloc_space'], [heap]],
  ['heap.inuse_space', ['-top', '-inuse_space'], [heap]],
  ['heap.mean', ['-top', '-mean', '-sample_index=alloc_space'], [heap]],
  ['heap.focus', ['-top', '-focus=cache'], [heap]],
  ['heap.ignore', ['-top', '-ignore=allocLarge'], [heap]],
  ['heap.focus.ignore', ['-top', '-focus=main', '-ignore=Large|cache'], [heap]],
  ['heap.hide', ['-top', '-hide=runtime'], [heap]],
  ['heap.show', ['-top', '-show=main\\.'], [heap]],
  ['heap.show_from', ['-top', '-show_from=main\\.main'], [heap]],
  ['heap.show_from.traces', ['-traces', '-show_from=main\\.main'], [heap]],
  ['heap.prune_from', ['-top', '-prune_from=main\\.main'], [heap]],
  ['heap.prune_from.traces', ['-traces', '-prune_from=runtime\\.main'], [heap]],
  ['heap.tagfocus.64kb', ['-top', '-tagfocus=64kb'], [heap]],
  ['heap.tagfocus.upto1kb', ['-top', '-tagfocus=:1kb'], [heap]],
  ['heap.tagfocus.range', ['-top', '-tagfocus=1kb:10kb'], [heap]],
  ['heap.tagfocus.from', ['-top', '-tagfocus=bytes=4kb:'], [heap]],
  ['heap.tagignore', ['-top', '-tagignore=64kb'], [heap]],
  ['heap.tagshow', ['-tags', '-tagshow=bytes'], [heap]],
  ['heap.taghide', ['-traces', '-taghide=bytes'], [heap]],
  ['heap.relative_percentages', ['-top', '-focus=cache', '-relative_percentages'], [heap]],
  // heap: shaping
  ['heap.nodecount', ['-top', '-nodecount=3'], [heap]],
  ['heap.nodefraction', ['-top', '-nodefraction=0.2'], [heap]],
  ['heap.nodefraction0', ['-top', '-nodefraction=0'], [heap]],
  ['heap.edgefraction.dot', ['-dot', '-edgefraction=0.1'], [heap]],
  ['heap.functions', ['-top', '-functions'], [heap]],
  ['heap.filefunctions', ['-top', '-filefunctions'], [heap]],
  ['heap.files', ['-top', '-files'], [heap]],
  ['heap.lines', ['-top', '-lines'], [heap]],
  ['heap.addresses', ['-top', '-addresses'], [heap]],
  ['heap.noinlines', ['-top', '-noinlines', '-lines'], [heap]],
  ['heap.unit.mb', ['-top', '-unit=mb'], [heap]],
  ['heap.unit.b', ['-top', '-unit=b'], [heap]],
  ['heap.unit.auto', ['-top', '-unit=auto'], [heap]],
  ['heap.divide_by', ['-top', '-divide_by=1024'], [heap]],
  ['heap.compact_labels', ['-top', '-compact_labels'], [heap]],
  ['heap.tree.lines', ['-tree', '-lines', '-nodecount=10'], [heap]],
  // heap series: base, diff, merge
  ['series.base', ['-top', `-base=${series(1)}`], [series(5)]],
  ['series.base.traces', ['-traces', `-base=${series(1)}`], [series(3)]],
  ['series.diff_base', ['-top', `-diff_base=${series(2)}`], [series(5)]],
  ['series.diff_base.traces', ['-traces', `-diff_base=${series(4)}`], [series(5)]],
  ['series.normalize', ['-top', '-normalize', `-base=${series(1)}`], [series(5)]],
  ['series.merge', ['-top'], [series(1), series(2), series(3)]],
  ['series.merge.alloc', ['-top', '-sample_index=alloc_space'], [series(4), series(5)]],
  ['series.merge.raw', ['-raw'], [series(1), series(2)]],
  ['series.merge.traces', ['-traces'], [series(2), series(3)]],
  ['series.diff_base.raw', ['-raw', `-diff_base=${series(1)}`], [series(2)]],
  ['series.base.tags', ['-tags', `-base=${series(2)}`], [series(4)]],
  ['series.diff_base.dot', ['-dot', `-diff_base=${series(3)}`], [series(5)]],
  ['series.base.normalize.traces', ['-traces', '-normalize', `-base=${series(2)}`], [series(3)]],
  // allocs
  ['allocs.top', ['-top'], [P + 'allocs.pb.gz']],
  ['allocs.tree', ['-tree', '-nodecount=8'], [P + 'allocs.pb.gz']],
  // cpu with labels
  ['cpu.top', ['-top'], [cpu]],
  ['cpu.cum', ['-top', '-cum'], [cpu]],
  ['cpu.traces', ['-traces'], [cpu]],
  ['cpu.tags', ['-tags'], [cpu]],
  ['cpu.tree', ['-tree'], [cpu]],
  ['cpu.peek', ['-peek=spin'], [cpu]],
  ['cpu.dot', ['-dot'], [cpu]],
  ['cpu.raw', ['-raw'], [cpu]],
  ['cpu.lines', ['-top', '-lines'], [cpu]],
  ['cpu.files', ['-top', '-files'], [cpu]],
  ['cpu.list', ['-list=main\\.spin', ...src], [cpu]],
  ['cpu.tagfocus', ['-top', '-tagfocus=handler=hash'], [cpu]],
  ['cpu.tagfocus.value', ['-top', '-tagfocus=sqrt'], [cpu]],
  ['cpu.tagignore', ['-top', '-tagignore=tenant=b'], [cpu]],
  ['cpu.tagshow', ['-tags', '-tagshow=tenant'], [cpu]],
  ['cpu.taghide', ['-traces', '-taghide=handler'], [cpu]],
  ['cpu.unit.ms', ['-top', '-unit=ms'], [cpu]],
  ['cpu.hide', ['-top', '-hide=^runtime\\.'], [cpu]],
  ['cpu.focus.relative', ['-top', '-focus=spinSqrt', '-relative_percentages'], [cpu]],
  ['cpu.tagfocus.multi', ['-top', '-tagfocus=handler:hash,tenant:a'], [cpu]],
  ['cpu.tagfocus.tagignore', ['-traces', '-tagfocus=handler=hash', '-tagignore=tenant=a'], [cpu]],
  ['cpu.si.0', ['-top', '-sample_index=0'], [cpu]],
  ['cpu.mean', ['-top', '-mean'], [cpu]],
  ['cpu.divide_by', ['-top', '-divide_by=0.001'], [cpu]],
  ['cpu.show_from', ['-tree', '-show_from=cpuWork'], [cpu]],
  ['cpu.peek.lines', ['-peek=spinHash', '-lines'], [cpu]],
  ['cpu.dot.nodecount', ['-dot', '-nodecount=4', '-cum'], [cpu]],
  ['cpu.tags.taghide', ['-tags', '-taghide=tenant'], [cpu]],
  ['cpu.addresses.noinlines', ['-top', '-addresses', '-noinlines'], [cpu]],
  ['cpu.filefunctions.cum', ['-text', '-filefunctions', '-cum'], [cpu]],
  // goroutine, block, mutex, threadcreate
  ['goroutine.top', ['-top'], [P + 'goroutine.pb.gz']],
  ['goroutine.traces', ['-traces'], [P + 'goroutine.pb.gz']],
  ['goroutine.tree', ['-tree'], [P + 'goroutine.pb.gz']],
  ['goroutine.raw', ['-raw'], [P + 'goroutine.pb.gz']],
  ['block.raw', ['-raw'], [P + 'block.pb.gz']],
  ['allocs.raw', ['-raw'], [P + 'allocs.pb.gz']],
  ['block.top', ['-top'], [P + 'block.pb.gz']],
  ['block.contentions', ['-top', '-contentions'], [P + 'block.pb.gz']],
  ['block.mean_delay', ['-top', '-mean_delay'], [P + 'block.pb.gz']],
  ['block.total_delay', ['-top', '-total_delay'], [P + 'block.pb.gz']],
  ['block.traces', ['-traces'], [P + 'block.pb.gz']],
  ['mutex.top', ['-top'], [P + 'mutex.pb.gz']],
  ['mutex.raw', ['-raw'], [P + 'mutex.pb.gz']],
  ['threadcreate.top', ['-top'], [P + 'threadcreate.pb.gz']],
  ['threadcreate.traces', ['-traces'], [P + 'threadcreate.pb.gz']],
];

// google/pprof's internal/driver test profiles, rebuilt as .pb.gz fixtures
// by testdata/core/pproftest (when present), run with its test base flags.
const base = ['-compact_labels', '-nodecount=20', '-nodefraction=0.05', '-edgefraction=0.01'];
const T = 'testdata/core/pproftest/';
// The TestParse cases of google/pprof's driver_test.go that a text report
// can answer (callgrind, disasm, weblist, svg and topproto are left out).
const pproftestCases = [
  ['cpu', 'text,functions,flat'],
  ['cpu', 'text,functions,noinlines,flat'],
  ['cpu', 'text,filefunctions,noinlines,flat'],
  ['cpu', 'text,addresses,noinlines,flat'],
  ['cpusmall', 'tree,addresses,flat,nodecount=4'],
  ['cpu', 'text,functions,flat,nodecount=5,call_tree'],
  ['heap_alloc', 'text,alloc_objects,flat'],
  ['heap', 'text,files,flat'],
  ['heap', 'text,files,flat,focus=[12]00,taghide=[X3]00'],
  ['heap', 'text,inuse_objects,flat'],
  ['cpu', 'text,lines,cum,hide=line[X3]0'],
  ['cpu', 'text,lines,cum,show=[12]00'],
  ['cpu', 'text,lines,cum,hide=line[X3]0,focus=[12]00'],
  ['heap', 'tree,lines,cum,focus=[24]00'],
  ['heap', 'tree,relative_percentages,cum,focus=[24]00'],
  ['cpu', 'tree,lines,cum,show_from=line2'],
  ['cpu', 'dot,functions,flat'],
  ['cpu', 'dot,functions,flat,call_tree'],
  ['heap', 'dot,lines,flat,focus=[12]00'],
  ['heap_sizetags', 'dot,unit=minimum'],
  ['contention', 'dot,addresses,flat,ignore=[X3]002,focus=[X1]000'],
  ['contention', 'dot,files,cum'],
  ['cpu', 'comments,add_comment=some-comment'],
  ['heap', 'comments'],
  ['cpu', 'tags'],
  ['cpu', 'tags,tagignore=tag[13],tagfocus=key[12]'],
  ['heap', 'tags'],
  ['heap', 'tags,unit=bytes'],
  ['cpu', 'traces'],
  ['heap_tags', 'traces'],
  ['heap_alloc', 'dot,alloc_space,flat,focus=[234]00'],
  ['heap_alloc', 'dot,alloc_space,flat,tagshow=[2]00'],
  ['heap_alloc', 'dot,alloc_space,flat,hide=line.*1?23?'],
  ['heap', 'dot,inuse_space,flat,tagfocus=1mb:2gb'],
  ['heap', 'dot,inuse_space,flat,tagfocus=30kb:,tagignore=1mb:2mb'],
  ['cpu', 'peek=line.*01'],
  ['heap_request', 'tags,tagfocus=400kb:'],
  ['heap_request', 'tags,tagfocus=+400kb:'],
  ['longNameFuncs', 'dot'],
  ['longNameFuncs', 'text'],
  ['contention', 'text,functions,flat'],
  ['contention', 'text,cum,functions,mean'],
  ['heap_alloc', 'top,mean'],
  ['heap', 'raw'],
  ['cpu', 'raw'],
  ['heap', 'text,all,prune_from=line3'],
];

function oracle(argv) {
  try {
    return execFileSync('go', ['tool', 'pprof', ...argv], {
      cwd: root,
      env: { ...process.env, TZ: 'UTC', PPROF_TMPDIR: '/tmp', HOME: '/tmp/pprof-plus-golden-home' },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    }).toString('latin1');
  } catch (err) {
    throw new Error(`go tool pprof ${argv.join(' ')} failed: ${err.stderr}`);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const all = cases.map(([name, flags, fixtures]) => ({ name, args: [...flags, ...fixtures], fixtures }));
let pt = [];
try {
  pt = readdirSync(join(root, T)).filter((f) => f.endsWith('.pb.gz'));
} catch {
  /* no rebuilt pprof test profiles */
}
for (const [src, spec] of pproftestCases) {
  const file = `${src}.pb.gz`;
  if (!pt.includes(file)) continue;
  const flags = spec.split(',').filter((f) => f !== 'all').map((f) => `-${f}`);
  const name = `pproftest.${src}.${spec.replace(/[^A-Za-z0-9_=.:+-]/g, '_').replace(/,/g, '.')}`;
  all.push({ name, args: [...base, ...flags, T + file], fixtures: [T + file] });
}
const seen = new Set();
for (const c of all) {
  if (seen.has(c.name)) throw new Error(`duplicate case ${c.name}`);
  seen.add(c.name);
  writeFileSync(join(out, `${c.name}.txt`), Buffer.from(oracle(c.args), 'latin1'));
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify({ oracle: 'go tool pprof (go1.19)', env: { TZ: 'UTC' }, cases: all }, null, 1) + '\n');
console.log(`wrote ${all.length} golden files to test/golden/`);
