// Runs the CLI in-process with a fake CommandIO, capturing both streams.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';

export const root = join(import.meta.dirname, '../..');

class Sink extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export async function runCli(args: string[], cwd = root): Promise<CliResult> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(args, { stdout, stderr, env: { ...process.env, TZ: 'UTC' }, cwd, isTTY: false });
  return { code, stdout: stdout.bytes().toString('latin1'), stdoutBytes: stdout.bytes(), stderr: stderr.bytes().toString('utf8') };
}
