#!/usr/bin/env node
/** Entry point of the `co2sat` binary. */
import { buildProgram } from './index.js';
import { ExitCode } from './errors.js';

const program = await buildProgram();
program.exitOverride((err) => {
  // commander reports usage errors itself; map them to our documented usage exit code.
  if (err.exitCode !== 0) process.exit(ExitCode.usage);
  process.exit(0);
});
await program.parseAsync(process.argv);
