/**
 * `--shard i/n`: which scenes a process handles when n processes share a backlog (a
 * Kubernetes Indexed Job, a Slurm or AWS Batch array, GNU parallel). The split hashes the
 * scene id (SHA-256, first 32 bits, mod n), so it is deterministic, needs no coordination,
 * does not depend on listing order or on which other scenes exist, and a scene keeps its
 * shard as the archive grows.
 */
import { createHash } from 'node:crypto';
import { optionText } from '../src/errors.js';

export interface Shard {
  /** 0-based index of this process. */
  index: number;
  /** Number of processes. */
  count: number;
}

export class ShardSpecError extends Error {
  override readonly name = 'ShardSpecError';
}

/**
 * Parses `i/n` with 0 ≤ i < n.
 * @throws ShardSpecError
 * @example parseShard('2/3') // { index: 2, count: 3 }
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m) {
    const index = Number(m[1]);
    const count = Number(m[2]);
    if (count >= 1 && index < count) return { index, count };
  }
  throw new ShardSpecError(`${optionText('shard')} '${text}' must be i/n with 0 <= i < n (e.g. 0/4; with a Kubernetes Indexed Job: $JOB_COMPLETION_INDEX/N)`);
}

/** The shard (0 … count−1) a scene belongs to. */
export function shardOfScene(sceneId: string, count: number): number {
  const h = createHash('sha256').update(sceneId).digest();
  return h.readUInt32BE(0) % count;
}

/** True when `sceneId` is this shard's. */
export function inShard(sceneId: string, shard: Shard | null | undefined): boolean {
  return !shard || shard.count === 1 || shardOfScene(sceneId, shard.count) === shard.index;
}

/** File-name suffix for a shard's outputs: `` for none, `.shard-1-of-3` otherwise. */
export function shardSuffix(shard: Shard | null | undefined): string {
  return !shard || shard.count === 1 ? '' : `.shard-${shard.index}-of-${shard.count}`;
}
