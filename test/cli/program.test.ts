import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/index.js';

describe('co2sat program', () => {
  it('documents the exit codes in --help', async () => {
    const program = await buildProgram();
    const help = program.helpInformation() + '';
    let after = '';
    program.configureOutput({ writeOut: (s) => (after += s), writeErr: (s) => (after += s) });
    program.exitOverride();
    try {
      await program.parseAsync(['node', 'co2sat', '--help']);
    } catch {
      // commander throws on --help under exitOverride
    }
    expect(help).toContain('Usage: co2sat');
    expect(after).toMatch(/Exit codes[^\n]*:[\s\S]*\n  2\s+usage error[\s\S]*\n  3\s+some items failed[\s\S]*\n  75\s+try again later/);
  });

  it('gives every command an Examples section and the global flags', async () => {
    const program = await buildProgram();
    // Leaf commands do the work; a group such as `bench` only lists its subcommands.
    const leaves = (cmds: readonly Command[]): Command[] =>
      cmds.flatMap((c) => (c.commands.length > 0 ? leaves(c.commands.filter((s) => s.name() !== 'help')) : [c]));
    const all = leaves(program.commands.filter((c) => c.name() !== 'help'));
    expect(all.map((c) => c.name())).toEqual(expect.arrayContaining(['tile', 'synth', 'train', 'run', 'demo']));
    for (const cmd of all) {
      let text = '';
      cmd.configureOutput({ writeOut: (s) => (text += s) });
      cmd.outputHelp();
      expect(text, cmd.name()).toContain('Examples:');
      expect(text, cmd.name()).toContain('--json');
      expect(text, cmd.name()).toContain('--quiet');
    }
  });

  it('lists every command with a one-line summary', async () => {
    const program = await buildProgram();
    for (const cmd of program.commands) {
      const line = cmd.summary() || cmd.description();
      expect(line.length, cmd.name()).toBeGreaterThan(10);
      expect(line, cmd.name()).not.toContain('\n');
    }
  });
});
