/**
 * The physics modes' names, without loading the modes (they import tfjs), for `--help` and
 * config checks.
 */
import type { PhysicsName } from '../spec.js';

export const PHYSICS_NAMES: readonly PhysicsName[] = ['none', 'soft', 'hard'];

export function isPhysicsName(v: string): v is PhysicsName {
  return (PHYSICS_NAMES as readonly string[]).includes(v);
}
