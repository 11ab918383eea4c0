// The streams and environment a command runs with. Commands take this
// instead of touching process.* so tests can run them in-process.

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal (pprof writes binary formats to files then). */
  isTTY: boolean;
}

export function processIO(): CommandIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** A command: parses its own arguments, returns the exit status. */
export type Command = (args: string[], io: CommandIO) => Promise<number>;
