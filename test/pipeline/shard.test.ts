import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOfScene, shardSuffix, ShardSpecError } from '../../pipeline/shard.js';

describe('shards', () => {
  it('parses i/n and rejects the rest with the accepted form', () => {
    expect(parseShard('0/3')).toEqual({ index: 0, count: 3 });
    expect(parseShard(' 2 / 3 ')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '1/0', '-1/3', 'a/b', '1', '1/3/4']) {
      expect(() => parseShard(bad)).toThrow(ShardSpecError);
    }
    expect(() => parseShard('3/3')).toThrow(/0 <= i < n/);
  });
  it('puts every scene in exactly one shard, stably and roughly evenly', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `S2A_MSIL2A_2024${String(i).padStart(5, '0')}`);
    const counts = [0, 0, 0];
    for (const id of ids) {
      const owners = [0, 1, 2].filter((i) => inShard(id, { index: i, count: 3 }));
      expect(owners).toHaveLength(1);
      expect(shardOfScene(id, 3)).toBe(owners[0]);
      counts[owners[0]!]!++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(900);
    // The same id always lands in the same shard (SHA-256 of the id, not a listing order).
    expect(shardOfScene('T32ULB_20240517T102559', 7)).toBe(shardOfScene('T32ULB_20240517T102559', 7));
    expect(inShard('anything', null)).toBe(true);
    expect(shardSuffix({ index: 1, count: 3 })).toBe('.shard-1-of-3');
    expect(shardSuffix({ index: 0, count: 1 })).toBe('');
  });
});
