// Entry point. The first argument picks a subcommand; anything else is
// `go tool pprof`'s command line (reports, -http, -proto ...).

import { InputError, UsageError } from '../profile/errors.ts';
import { processIO, type Command, type CommandIO } from './io.ts';

/** Subcommands, loaded lazily so a plain `-top` never pays for the UI or collector. */
const subcommands: Record<string, () => Promise<Command>> = {
  leaks: async () => (await import('./cmd-leaks.ts')).runLeaks,
  goroutines: async () => (await import('./cmd-goroutines.ts')).runGoroutines,
  collect: async () => (await import('./cmd-collect.ts')).runCollect,
  export: async () => (await import('./cmd-export.ts')).runExport,
  symbolize: async () => (await import('./cmd-symbolize.ts')).runSymbolize,
};

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  try {
    const sub = argv[0] !== undefined ? subcommands[argv[0]] : undefined;
    const command = sub ? await sub() : (await import('./cmd-pprof.ts')).runPprof;
    return await command(sub ? argv.slice(1) : argv, io);
  } catch (err) {
    return reportError(err, io);
  }
}

/** One line on stderr, no stack (unless PPROF_PLUS_DEBUG is set). */
export function reportError(err: unknown, io: CommandIO): number {
  if (io.env.PPROF_PLUS_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
  if (err instanceof UsageError) {
    io.stderr.write(`pprof-plus: ${err.message}\n`);
    if (err.hint) io.stderr.write(`${err.hint}\n`);
    return 2;
  }
  if (err instanceof InputError) {
    io.stderr.write(`pprof-plus: ${err.message}\n`);
    return 1;
  }
  const msg = err instanceof Error ? err.message : String(err);
  io.stderr.write(`pprof-plus: ${msg.split('\n')[0]}\n`);
  return 1;
}
