import { z } from 'zod';
import type { ZodMiniObject } from 'zod/mini';
import { pokeCarriedSchema, WS_CLOSE, wsDownSchema, wsUpSchema } from '@outpost/shared';
import { nameSharedComponents } from './components.js';
import { describeMessageProperties, PROPERTY_KEY } from './properties.js';

/** What each socket message means (the shapes come from the shared zod schemas). */
const MESSAGES = {
  hello: [
    'send',
    'First message, within 5 s: protocol version, client id and a session token or device sync credential (tokens never go in the URL). Any other message first (a `ping` too) closes 4002 `invalid_message`. The client id is checked as a push checks it: a new one must be in lower case (else 4002 naming `/clientId`); one of another user or org closes 4003 `forbidden`.',
  ],
  auth: [
    'send',
    'Replace the token before it expires, for the same user and org, without reconnecting.',
  ],
  ping: [
    'send',
    'Application-level heartbeat (browsers cannot see protocol pings), answered once `hello` is sent: send about every `heartbeatMs`; a missing `pong` means the connection is dead.',
  ],
  welcome: ['receive', "Answer to `hello`: the org's current cursor and the heartbeat interval."],
  poke: [
    'receive',
    "The org's change log reached `cursor`: pull from your own cursor. Coalesced per org; may name a cursor you already have. Protocol ≥ 5: a small commit's poke also carries its log entries (`carried`: what a pull from `carried.from` would answer); a client whose cursor is `from` applies them as a pull page and moves to `cursor`, any other pulls.",
  ],
  push: [
    'send',
    'Protocol ≥ 6, after `welcome`: a `POST /sync/push` body (`request`, ≤ 64 KiB a frame) numbered `n`; the same service, answered in order. Unanswered when the socket closes: send it again (over HTTP or a new socket).',
  ],
  pong: ['receive', 'Answer to `ping`, echoing `t`.'],
  pushed: ['receive', 'Answer to push `n`: what `POST /sync/push` answers with 200.'],
  'push-failed': [
    'receive',
    'Push `n` was refused and nothing was applied: the HTTP `status` and error body `POST /sync/push` would give (the socket stays open).',
  ],
  error: [
    'receive',
    'Sent just before the server closes the socket, `code` naming why: every close code of `x-close-codes` but 4009 (a slow consumer, whose buffer is full) and a 1009 for a frame past the body limit (not read at all).',
  ],
} as const;

type MessageType = keyof typeof MESSAGES;

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Schemas the OpenAPI document has inline whose lines the table keys under their place there
 * (the poke's `carried` is a push answer's `echo`).
 */
const KEYED_AS: ReadonlyMap<z.core.$ZodType, string> = new Map([
  [pokeCarriedSchema, 'PushResponse.echo'],
]);

/**
 * JSON Schema of one message, inlined (an empty registry: no `$ref`s into the OpenAPI
 * document). A shared schema that is an OpenAPI component is marked with its name, so its
 * properties take the lines the OpenAPI's do (`describeMessageProperties`); a field's own
 * `z.describe` line is kept, as the OpenAPI keeps it.
 */
function payload(schema: z.core.$ZodType, io: 'input' | 'output') {
  const json = z.toJSONSchema(schema, {
    target: 'draft-7',
    io,
    metadata: z.registry(),
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const meta = z.globalRegistry.get(zodSchema);
      const key = KEYED_AS.get(zodSchema) ?? meta?.id;
      if (key) jsonSchema[PROPERTY_KEY] = key;
      else if (meta?.description) jsonSchema.description ??= meta.description;
    },
  });
  delete json.$schema;
  // One object per place (the generator reuses a schema's object wherever it appears).
  return JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
}

/**
 * AsyncAPI 3 description of the real-time socket (`/api/v1/sync/ws`), generated from
 * `wsUpSchema`/`wsDownSchema`; served at `/asyncapi.json` next to the OpenAPI document.
 */
export function buildAsyncApi(version: string, host: string): Record<string, unknown> {
  nameSharedComponents();
  const variants = [
    ...wsUpSchema._zod.def.options.map((o) => ({
      schema: o as ZodMiniObject,
      io: 'input' as const,
    })),
    ...wsDownSchema._zod.def.options.map((o) => ({
      schema: o as ZodMiniObject,
      io: 'output' as const,
    })),
  ];
  const schemas: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const channelMessages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const { schema, io } of variants) {
    const type = (schema.shape['type'] as z.core.$ZodLiteral<MessageType>)._zod.def.values[0]!;
    const [action, description] = MESSAGES[type];
    const name = `${type.split('-').map(capitalized).join('')}Message`;
    schemas[name] = payload(schema, io);
    messages[type] = {
      name: type,
      title: `${type} (${action === 'send' ? 'client → server' : 'server → client'})`,
      summary: description,
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${name}` },
    };
    channelMessages[type] = { $ref: `#/components/messages/${type}` };
    operations[`${action}${capitalized(type)}`] = {
      action,
      summary: description,
      channel: { $ref: '#/channels/sync' },
      messages: [{ $ref: `#/channels/sync/messages/${type}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Outpost real-time pokes',
      version,
      description:
        'A poke only says "pull now": each client pulls from its own cursor with POST /api/v1/sync/pull, so a missed poke costs latency, never data. See docs/protocol.md and the OpenAPI document at /openapi.json.',
    },
    defaultContentType: 'application/json',
    servers: {
      outpost: {
        host,
        protocol: 'ws',
        description: 'The Outpost server (use wss behind TLS).',
      },
    },
    channels: {
      sync: {
        address: '/api/v1/sync/ws',
        title: 'Sync socket',
        description:
          'One socket per replica. Authenticated by the `hello` message, not by headers.',
        messages: channelMessages,
        'x-close-codes': WS_CLOSE,
      },
    },
    operations,
    components: { schemas: describeMessageProperties(schemas), messages },
  };
}
