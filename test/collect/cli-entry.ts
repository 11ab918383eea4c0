// Runs the CLI from source in a child process (tests that kill or signal
// the collector need a real process; dist/ may be stale during development).
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
