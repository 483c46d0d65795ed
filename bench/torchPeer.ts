/**
 * Runs bench/train_torch.py (the PyTorch CPU peer) and reads its JSON line. Finds a Python
 * that can import torch (Debian's python3-torch lives under /usr/bin/python3, which a pyenv
 * shim may hide), and installs python3-torch with apt-get when none can and we may.
 */
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { BenchArch } from './trainModel.js';

export interface TorchResult {
  step_ms: number;
  infer_ms: number;
  infer_patches_per_s: number;
  threads: number;
  torch: string;
}

const PYTHONS = ['python3', '/usr/bin/python3'];

function pythonWithTorch(): string | null {
  for (const py of PYTHONS) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

/** A Python with torch, installing Debian's python3-torch if allowed; null with a reason otherwise. */
export function findTorchPython(install: boolean, log: (m: string) => void): { python: string | null; reason?: string } {
  const found = pythonWithTorch();
  if (found !== null) return { python: found };
  if (!install) return { python: null, reason: 'PyTorch not installed (apt-get install python3-torch)' };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { python: null, reason: 'PyTorch not installed and apt-get is not usable here (run: apt-get install python3-torch)' };
  }
  log('installing python3-torch with apt-get (PyTorch peer)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'python3-torch'], { stdio: 'ignore', env });
  const after = pythonWithTorch();
  if (after === null) return { python: null, reason: `apt-get install python3-torch failed (exit ${r.status ?? 'signal'})` };
  return { python: after };
}

/** The peer script, next to this file in src (bench/) or one level up from dist/bench/. */
function scriptPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, 'train_torch.py'), path.join(here, '..', '..', 'bench', 'train_torch.py')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('bench/train_torch.py not found');
}

export function runTorch(python: string, arch: BenchArch, opts: { batch: number; size: number; threads: number; steps: number }): TorchResult {
  const out = execFileSync(
    python,
    [scriptPath(), '--arch', JSON.stringify(arch), '--batch', String(opts.batch), '--size', String(opts.size), '--threads', String(opts.threads), '--steps', String(opts.steps)],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(opts.threads), MKL_NUM_THREADS: String(opts.threads) } },
  );
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as TorchResult;
}

/**
 * A PyTorch peer kept running (train_torch.py --serve) that times one step or one forward
 * pass per request, so the bench can alternate tfjs and PyTorch repetitions: both then run
 * under the same background load, which a shared 2-core machine changes from second to second.
 */
export class TorchServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private buffer = '';
  readonly version: Promise<string>;

  constructor(python: string, arch: BenchArch, opts: { batch: number; size: number; threads: number }) {
    this.child = spawn(
      python,
      [scriptPath(), '--serve', '--arch', JSON.stringify(arch), '--batch', String(opts.batch), '--size', String(opts.size), '--threads', String(opts.threads)],
      { env: { ...process.env, OMP_NUM_THREADS: String(opts.threads), MKL_NUM_THREADS: String(opts.threads) } },
    );
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.child.stderr.resume();
    this.version = this.next().then((line) => (JSON.parse(line) as { torch: string }).torch);
  }

  private next(): Promise<string> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error('PyTorch peer exited'));
      this.child.once('exit', onExit);
      this.waiting.push((line) => {
        this.child.off('exit', onExit);
        resolve(line);
      });
    });
  }

  /** Runs one training step or one forward pass; resolves with its milliseconds. */
  async time(what: 'step' | 'infer'): Promise<number> {
    const reply = this.next();
    this.child.stdin.write(`${what}\n`);
    return (JSON.parse(await reply) as { ms: number }).ms;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
