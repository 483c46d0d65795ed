#!/usr/bin/env node
/** Entry point of the `co2sat` binary. */
import { buildProgram } from './index.js';
import { ExitCode } from './errors.js';

const program = await buildProgram();
const toExitCode = (err: { exitCode: number }): never => {
  // commander reports usage errors itself; map them to our documented usage exit code.
  if (err.exitCode !== 0) process.exit(ExitCode.usage);
  process.exit(0);
};
program.exitOverride(toExitCode);
// Subcommands added with addCommand do not inherit the override: give it to each.
for (const cmd of program.commands) cmd.exitOverride(toExitCode);
await program.parseAsync(process.argv);
