import { describe, expect, it } from 'vitest';
import { HybridLogicalClock, newClientId, newEntityId, PROTOCOL_VERSION } from '@outpost/shared';
import { ResponseParseError } from './errors';
import { createHttpTransport } from './http-transport';

const clientId = newClientId();
const clock = new HybridLogicalClock(clientId);
const ctx = { userId: 'u1' };

function taskChange(seq: number) {
  const id = newEntityId();
  return {
    entity: 'task',
    seq,
    entityId: id,
    clocks: { title: clock.now() },
    deleted: null,
    row: {
      id,
      orgId: 'org_1',
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
      version: seq,
      projectId: newEntityId(),
      title: 'A task',
      notes: '',
      status: 'todo',
      assigneeId: null,
      dueDate: null,
    },
  };
}

/** A transport whose server answers every request with `body`. */
function answering(body: unknown) {
  return createHttpTransport({
    baseUrl: 'http://server.test',
    getToken: async () => ({ token: 't', userId: 'u1' }),
    fetch: async () => new Response(JSON.stringify(body), { status: 200 }),
  });
}

describe('an answer that does not fit its schema', () => {
  it("is refused with the page's path and what was expected, also past the first slice", async () => {
    const changes = Array.from({ length: 150 }, (_, i) => taskChange(i + 1));
    changes[130]!.row.createdAt = '2026-02-30T10:00:00Z';
    const pull = answering({
      protocolVersion: PROTOCOL_VERSION,
      changes,
      cursor: 150,
      hasMore: false,
      headCursor: 150,
      lastMutationId: 0,
      activityFloor: 0,
      purgeHorizon: 0,
    }).pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 }, ctx);
    await expect(pull).rejects.toThrow(ResponseParseError);
    await expect(pull).rejects.toThrow(
      '/sync/pull: unexpected change shape: changes.130.row.createdAt: Invalid ISO datetime',
    );
  });

  it('names each wrong field of a push answer', async () => {
    const push = answering({
      protocolVersion: PROTOCOL_VERSION,
      lastMutationId: -1,
      results: [{ id: 1, status: 'kept' }],
      cursor: 3,
    }).push({ protocolVersion: PROTOCOL_VERSION, clientId, mutations: [] }, ctx);
    await expect(push).rejects.toThrow(
      /^\/sync\/push: unexpected response shape: lastMutationId: Too small: expected number to be >=0; results\.0\.status: Invalid input: expected status to be one of "applied"\|"duplicate"\|"rejected"$/,
    );
  });
});
