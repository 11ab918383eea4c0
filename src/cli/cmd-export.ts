// Placeholder until the subcommand lands; its owner replaces this file.
import { UsageError } from '../profile/errors.ts';
import type { CommandIO } from './io.ts';

export async function runExport(_args: string[], _io: CommandIO): Promise<number> {
  throw new UsageError('export: not available in this build');
}
