import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';
import type { EntityId } from '@outpost/shared';

// Server-made ids (activities, users) are UUIDv7 like client ids. uuid's default source asks
// WebCrypto for 16 bytes per id, which showed up in push profiles; draw from a refilled pool.
const POOL = Buffer.alloc(16 * 512);
let offset = POOL.length;

export function serverEntityId(): EntityId {
  if (offset === POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const random = POOL.subarray(offset, offset + 16);
  offset += 16;
  return v7({ random }) as EntityId;
}
