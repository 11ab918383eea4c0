// `pprof-plus symbolize IN -o OUT`: writes a copy of a profile whose
// address-only locations now carry functions, files, lines and inlined
// frames, read from the binaries the mappings name (or from the Go
// program's /debug/pprof/symbol endpoint with -symbolize=remote).

import { UsageError, InputError } from '../profile/errors.ts';
import { readProfileFile, writeProfileFile } from '../profile/load.ts';
import { symbolizeProfile } from '../symbolize/symbolizer.ts';
import { formatUsage, parseFlags, type FlagSpec } from './flags.ts';
import type { CommandIO } from './io.ts';
import { isAbsolute, resolve } from 'node:path';

const SPECS: FlagSpec[] = [
  { name: 'output', aliases: ['o'], type: 'string', default: '', arg: 'file', help: 'Write the symbolized profile here (gzipped profile.proto)' },
  { name: 'symbolize', type: 'string', default: '', arg: 'mode', help: 'local, remote, force, none, demangle=full|templates|none (joined with :); default: local, then remote for URLs' },
  { name: 'source_url', type: 'string', default: '', arg: 'url', help: 'URL the profile was fetched from, for -symbolize=remote' },
  { name: 'quiet', type: 'bool', default: false, help: 'Do not print warnings and the summary' },
  { name: 'help', aliases: ['h'], type: 'bool', default: false, help: 'Show this help' },
];

const TITLE = 'usage: pprof-plus symbolize [flags] IN -o OUT';

export async function runSymbolize(args: string[], io: CommandIO): Promise<number> {
  const f = parseFlags(args, SPECS);
  if (f.values.help) {
    io.stdout.write(formatUsage(TITLE, SPECS));
    return 0;
  }
  if (f.positional.length !== 1) throw new UsageError('symbolize: need exactly one input profile', TITLE);
  const out = String(f.values.output ?? '');
  if (!out) throw new UsageError('symbolize: -o OUT is required', TITLE);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const input = abs(f.positional[0]);
  const p = await readProfileFile(input);
  let res;
  try {
    res = await symbolizeProfile(p, {
      mode: String(f.values.symbolize ?? ''),
      binaryPath: io.env.PPROF_BINARY_PATH ?? '',
      sourceUrl: String(f.values.source_url ?? '') || undefined,
      home: io.env.HOME,
    });
  } catch (e) {
    if (e instanceof Error && /symbolize option|demangle option/.test(e.message)) throw new UsageError(`symbolize: ${e.message}`);
    throw e instanceof InputError ? e : new InputError(f.positional[0], e instanceof Error ? e.message : String(e));
  }
  await writeProfileFile(abs(out), res.profile);
  if (!f.values.quiet) {
    for (const w of res.warnings) io.stderr.write(`pprof-plus: ${w}\n`);
    const L = res.profile.locations;
    let named = 0;
    for (let i = 0; i < L.length; i++) if (L.lineStart[i + 1] > L.lineStart[i]) named++;
    io.stderr.write(`${named} of ${L.length} locations symbolized\n`);
  }
  return 0;
}
