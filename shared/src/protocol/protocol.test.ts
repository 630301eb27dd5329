import { describe, expect, it } from 'vitest';
import { newClientId, newEntityId } from '../uuid.js';
import { HybridLogicalClock } from '../hlc.js';
import { changeSchema } from './change.js';
import { pullRequestSchema } from './pull.js';
import { pushRequestSchema } from './push.js';
import {
  checkProtocolVersion,
  isProtocolVersion,
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_INVALID,
  PROTOCOL_VERSION_LIMIT,
  protocolVersionSchema,
} from './version.js';
import { wsUpSchema } from './ws.js';

const clientId = newClientId();
const clock = new HybridLogicalClock(clientId);

function validPush() {
  return {
    protocolVersion: PROTOCOL_VERSION,
    clientId,
    mutations: [
      {
        type: 'task.create',
        id: 1,
        hlc: clock.now(),
        entityId: newEntityId(),
        fields: {
          projectId: newEntityId(),
          title: 'Write the docs',
          notes: '',
          status: 'todo',
          assigneeId: null,
          dueDate: '2026-12-01',
        },
      },
      {
        type: 'task.update',
        id: 2,
        hlc: clock.now(),
        entityId: newEntityId(),
        fields: { status: 'done' },
      },
    ],
  };
}

function issuePaths(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('protocol schemas', () => {
  it('accept a well-formed push', () => {
    expect(pushRequestSchema.safeParse(validPush()).success).toBe(true);
  });

  it('reject a title that is too long, naming the exact path', () => {
    const body = validPush();
    (body.mutations[0] as { fields: { title: string } }).fields.title = 'x'.repeat(501);
    expect(issuePaths(pushRequestSchema.safeParse(body))).toEqual([
      expect.stringMatching(/^mutations\.0\.fields\.title: Too big/),
    ]);
  });

  it('reject an unknown field on an update', () => {
    const body = validPush();
    (body.mutations[1] as { fields: Record<string, unknown> }).fields['orgId'] = 'org_other';
    expect(issuePaths(pushRequestSchema.safeParse(body))).toEqual([
      expect.stringMatching(/^mutations\.1\.fields: Unrecognized key: "orgId"/),
    ]);
  });

  it('reject a negative pull cursor and a non-UUID client id', () => {
    const paths = issuePaths(
      pullRequestSchema.safeParse({ protocolVersion: 1, clientId: 'not-a-uuid', cursor: -1 }),
    );
    expect(paths).toEqual([
      expect.stringMatching(/^clientId: must be a UUID/),
      expect.stringMatching(/^cursor: Too small/),
    ]);
  });

  it('reject a mutation with an unknown type', () => {
    const body = validPush();
    (body.mutations[1] as { type: string }).type = 'task.explode';
    expect(issuePaths(pushRequestSchema.safeParse(body))[0]).toMatch(
      /^mutations\.1\.type: Invalid discriminator value/,
    );
  });

  it('reject mutation ids that are not increasing within a push', () => {
    const body = validPush();
    body.mutations[1]!.id = 1;
    expect(issuePaths(pushRequestSchema.safeParse(body))).toEqual([
      expect.stringMatching(/^mutations: mutation ids must be strictly increasing/),
    ]);
  });

  it('reject a socket hello without a token', () => {
    expect(
      issuePaths(wsUpSchema.safeParse({ type: 'hello', protocolVersion: 1, clientId })),
    ).toEqual([expect.stringMatching(/^token: /)]);
  });

  it('reject a change whose row does not match its entity', () => {
    const r = changeSchema.safeParse({
      seq: 1,
      entity: 'task',
      entityId: 'x',
      clocks: {},
      deleted: null,
      row: { name: 'p' },
    });
    expect(r.success).toBe(false);
  });

  it('answer a version mismatch with distinct codes for too old and too new', () => {
    expect(checkProtocolVersion(PROTOCOL_VERSION)).toEqual({ ok: true });
    expect(checkProtocolVersion(0, { current: 2, min: 1 })).toMatchObject({
      ok: false,
      code: 'client_too_old',
    });
    expect(checkProtocolVersion(3, { current: 2, min: 1 })).toMatchObject({
      ok: false,
      code: 'server_too_old',
    });
  });

  it('tell a non-version the range it must be in, naming the limit the schema enforces', () => {
    // The message is a plain literal (kept out of the engine bundle), so it is checked here.
    expect(PROTOCOL_VERSION_INVALID).toMatch(new RegExp(`from 1 to ${PROTOCOL_VERSION_LIMIT}$`));
    expect(isProtocolVersion(PROTOCOL_VERSION_LIMIT)).toBe(true);
    expect(isProtocolVersion(PROTOCOL_VERSION_LIMIT + 1)).toBe(false);
    const over = protocolVersionSchema.safeParse(PROTOCOL_VERSION_LIMIT + 1);
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toBe(PROTOCOL_VERSION_INVALID);
  });
});
