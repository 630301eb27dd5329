import { describe, expect, it } from 'vitest';
import type { PullResponse } from '@outpost/shared';
import { pageForVersion } from './compat.js';

const page = {
  protocolVersion: 3,
  changes: [
    {
      seq: 2,
      entity: 'activity',
      entityId: 'a1',
      clocks: {},
      deleted: null,
      row: {
        action: 'conflict',
        changes: [
          {
            field: 'title',
            lost: 'A',
            to: 'B',
            winner: { userId: null, clientId: null },
            loser: { userId: null, clientId: null },
          },
        ],
      },
    },
  ],
  cursor: 2,
  hasMore: false,
  headCursor: 2,
  remaining: 0,
  lastMutationId: 0,
  activityFloor: 1,
  purgeHorizon: 0,
  liveThrough: 2,
} as unknown as PullResponse;

describe('pageForVersion', () => {
  it('serves a protocol 2 client without the fields its strict schemas would refuse', () => {
    const old = pageForVersion(page, 2);
    expect(old).not.toHaveProperty('remaining');
    expect(old).not.toHaveProperty('liveThrough');
    expect(JSON.stringify(old)).not.toMatch(/winner|loser/);
    expect(old.changes[0]).toMatchObject({ row: { changes: [{ field: 'title', lost: 'A' }] } });
  });

  it('serves a protocol 3 client everything but liveThrough', () => {
    const { liveThrough: _, ...v3 } = page;
    expect(pageForVersion(page, 3)).toEqual(v3);
  });

  it('leaves a protocol 4 page as it is', () => {
    expect(pageForVersion(page, 4)).toBe(page);
  });
});
