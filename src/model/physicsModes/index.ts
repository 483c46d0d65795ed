/** Physics modes by name; an unknown name gets an error listing the valid ones. */
import { hardPhysics } from './hard.js';
import { nonePhysics } from './none.js';
import { softPhysics, type SoftPhysicsOptions } from './soft.js';
import type { PhysicsMode } from './types.js';
import { isPhysicsName, PHYSICS_NAMES } from './names.js';

export { PHYSICS_NAMES, isPhysicsName };

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
