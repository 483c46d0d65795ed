import { describe, expect, it } from 'vitest';
import { describeError, exitCodeFor, ExitCode, InputError, PartialFailure, UsageError } from '../../src/errors.js';

describe('error → exit code mapping', () => {
  it('maps usage and input errors to 2, partial failures to 3, anything else to 1', () => {
    expect(exitCodeFor(new UsageError('missing --sites'))).toBe(ExitCode.usage);
    expect(exitCodeFor(new InputError('a.tif', 'truncated'))).toBe(ExitCode.usage);
    expect(exitCodeFor(new PartialFailure('1 of 3 scenes failed', [{ item: 'b.tif', reason: 'not a TIFF' }]))).toBe(
      ExitCode.partial,
    );
    expect(exitCodeFor(new TypeError('x is undefined'))).toBe(ExitCode.internal);
    expect(exitCodeFor('a string')).toBe(ExitCode.internal);
  });

  it('describes an input error on one line naming the file first', () => {
    const msg = describeError(new InputError('scenes/a.tif', 'truncated: tile 3 ends past the end of the file'));
    expect(msg).toBe('scenes/a.tif: truncated: tile 3 ends past the end of the file');
    expect(msg).not.toContain('\n');
  });

  it('keeps stack traces for internal errors only, and only with --verbose', () => {
    const bug = new Error('boom\nsecond line');
    expect(describeError(bug)).toBe('boom');
    expect(describeError(bug, true)).toContain('at ');
    expect(describeError(new UsageError('bad'), true)).toBe('bad');
  });
});
