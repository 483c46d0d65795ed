/** Physics modes by name; an unknown name gets an error listing the valid ones. */
import { hardPhysics } from './hard.js';
import { nonePhysics } from './none.js';
import { softPhysics, type SoftPhysicsOptions } from './soft.js';
import type { PhysicsMode } from './types.js';
import type { PhysicsName } from '../spec.js';

export const PHYSICS_NAMES: readonly PhysicsName[] = ['none', 'soft', 'hard'];

export function isPhysicsName(v: string): v is PhysicsName {
  return (PHYSICS_NAMES as readonly string[]).includes(v);
}

export function createPhysics(name: string, options: { soft?: Partial<SoftPhysicsOptions> } = {}): PhysicsMode {
  switch (name) {
    case 'none':
      return nonePhysics;
    case 'soft':
      return softPhysics(options.soft);
    case 'hard':
      return hardPhysics;
    default:
      throw new Error(`unknown physics mode '${name}' (valid: ${PHYSICS_NAMES.join(', ')})`);
  }
}
export type { PhysicsMode, ModelOutputs, PhysicsBatch, TargetScales, TargetScale } from './types.js';
