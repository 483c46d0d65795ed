import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createOutput } from '../../src/cli/output.js';

class Capture extends Writable {
  text = '';
  isTTY: boolean;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function streams(tty: boolean): { stdout: Capture; stderr: Capture } {
  return { stdout: new Capture(false), stderr: new Capture(tty) };
}

describe('command output', () => {
  it('prints one JSON object on stdout with --json and no chatter on stderr', () => {
    const s = streams(true);
    const out = createOutput({ json: true }, s);
    out.info('tiling 3 scenes');
    out.result({ patches: 3 }, 'wrote 3 patches');
    const bar = out.progress('scenes', 3);
    bar.tick();
    bar.finish();
    expect(JSON.parse(s.stdout.text)).toEqual({ patches: 3 });
    expect(s.stderr.text).toBe('');
  });

  it('draws progress only on a TTY', () => {
    const tty = streams(true);
    const bar = createOutput({}, tty).progress('patches', 2);
    bar.tick(2);
    bar.finish();
    expect(tty.stderr.text).toContain('patches');
    expect(tty.stderr.text).toContain('2/2');

    const pipe = streams(false);
    const quietBar = createOutput({}, pipe).progress('patches', 2);
    quietBar.tick(2);
    quietBar.finish();
    expect(pipe.stderr.text).toBe('');
  });

  it('--quiet keeps warnings and results off, --verbose adds detail', () => {
    const q = streams(false);
    const quiet = createOutput({ quiet: true, verbose: true }, q);
    quiet.warn('site x outside scene');
    quiet.debug('detail');
    quiet.result({}, 'done');
    expect(q.stderr.text + q.stdout.text).toBe('');

    const v = streams(false);
    const verbose = createOutput({ verbose: true }, v);
    verbose.debug('read window 0 0 64 64');
    verbose.warn('site x outside scene');
    verbose.result({}, 'done');
    expect(v.stderr.text).toContain('read window 0 0 64 64');
    expect(v.stderr.text).toContain('warning: site x outside scene');
    expect(v.stdout.text).toBe('done\n');
  });
});
