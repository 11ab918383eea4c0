// Placeholder until the subcommand lands; its owner replaces this file.
import { UsageError } from '../profile/errors.ts';
import type { CommandIO } from './io.ts';

export async function runCollect(_args: string[], _io: CommandIO): Promise<number> {
  throw new UsageError('collect: not available in this build');
}
