/**
 * One line for every property of every component schema, for those who build on the API. The
 * shared zod schemas carry none (the PWA bundles them, and every byte counts there), so they
 * are written here and applied to the final document, keyed `Component.property` (nested:
 * `Component.property.inner`; a union's variants and an array's items keep their parent's
 * key). A description the schema gives itself is kept. `unusedPropertyKeys` names the entries
 * that describe no property (renamed, removed, or described by its schema), so they fail a
 * test instead of rotting here.
 *
 * The document is OpenAPI 3.1 (JSON Schema 2020-12): a description beside a `$ref` is read, so
 * a property that is a bare `$ref` takes its description as it is.
 *
 * The AsyncAPI document (`asyncapi.ts`) takes the same lines for the shared schemas its messages
 * hold, keyed as here; only the messages' own fields have lines of their own
 * (`MESSAGE_PROPERTY_DESCRIPTIONS`, checked by `unusedMessagePropertyKeys`).
 */

type Json = Record<string, unknown>;

const ROW_META: Record<string, string> = {
  orgId: 'The org the row belongs to; nothing crosses orgs',
  createdAt: 'When the row was created (server time, UTC), kept by every later write',
  updatedAt: 'When the row was last written (server time, UTC)',
  version:
    'The seq of the row\u2019s last change in the org\u2019s change log (gaps are normal); its ETag is this number, `If-Match` compares against it',
};

const rowId = (entity: string) =>
  `The ${entity}\u2019s id: a UUIDv7 in lower case, never reused (a REST path or reference may name it in either case)`;

const TASK: Record<string, string> = {
  projectId: 'The project the task belongs to: a live project of the org',
  title:
    'The title: one line, trimmed, 1\u2013500 UTF-16 units, no control characters or unpaired surrogates',
  notes:
    'Free text, up to 20,000 UTF-16 units; may hold tab and line breaks but no other control characters',
  status: 'Where the task stands: `todo`, `doing` or `done`',
  assigneeId: 'The user the task is assigned to (a live user of the org); null for nobody',
  dueDate:
    'The day the task is due, `YYYY-MM-DD` in the years 1900\u20139999; null for none (no time, no time zone)',
};

const PROJECT: Record<string, string> = {
  name: 'The name: one line, trimmed, 1\u2013200 UTF-16 units, no control characters or unpaired surrogates',
  description:
    'Free text, up to 5,000 UTF-16 units; may hold tab and line breaks but no other control characters',
  status: '`active` or `archived` (still read and synced like an active one)',
  ownerId: 'The user who owns the project: a live user of the org',
};

const USER: Record<string, string> = {
  email:
    'The email, compared trimmed and case-insensitively: an org\u2019s live users hold each at most once, and sign-in links an invitation to its person by it',
  name: 'The display name: one line, trimmed, 1\u2013200 UTF-16 units, no control characters or unpaired surrogates',
  role: 'What the user may do (docs/protocol.md#push): `admin`, `manager` or `member`; with Clerk, set in Clerk (a REST role edit is 403)',
};

/** How a stored row may differ from what a write may send (rules newer than some rows). */
const ROW_AS_STORED: Record<string, string> = {
  title: 'The title, 1\u2013500 UTF-16 units (rows stored before the text rules may break them)',
  notes:
    'Free text, up to 20,000 UTF-16 units (rows stored before the text rules may hold other control characters)',
  dueDate:
    'The day the task is due, `YYYY-MM-DD`; null for none (rows stored before the 1900\u20139999 rule may hold an earlier year)',
  name: 'The name, 1\u2013200 UTF-16 units (rows stored before the text rules may break them)',
  description:
    'Free text, up to 5,000 UTF-16 units (rows stored before the text rules may hold other control characters)',
};

/** A mutation carries fields as rows hold them; the server checks the text rules per mutation. */
const MUTATION_FIELD: Record<string, string> = {
  title:
    'The title, 1\u2013500 UTF-16 units; breaking the text rules (one line, no control characters) rejects this mutation `validation`, not the push',
  notes:
    'Free text, up to 20,000 UTF-16 units; a control character other than tab and line breaks rejects this mutation `validation`, not the push',
  dueDate:
    '`YYYY-MM-DD` or null; the shape is checked with the push (400), a day that does not exist or a year before 1900 rejects this mutation `validation`',
  name: 'The name, 1\u2013200 UTF-16 units; breaking the text rules (one line, no control characters) rejects this mutation `validation`, not the push',
  description:
    'Free text, up to 5,000 UTF-16 units; a control character other than tab and line breaks rejects this mutation `validation`, not the push',
  projectId:
    'The project the task belongs to; not a live project of the org rejects this mutation `validation`',
  assigneeId:
    'The user the task is assigned to, null for nobody; not a live user of the org rejects this mutation `validation`',
  ownerId:
    'The user who owns the project; not a live user of the org rejects this mutation `validation`',
};

/** A create's defaults: these replace the entity's lines for `New<Entity>` (later entries win). */
const NEW_ROW_DEFAULTS: Record<string, string> = {
  'NewTask.notes':
    'Free text, up to 20,000 UTF-16 units (tab and line breaks allowed); `""` when omitted',
  'NewTask.status': 'Where the task stands: `todo` (when omitted), `doing` or `done`',
  'NewTask.assigneeId':
    'The user the task is assigned to (a live user of the org); null (nobody) when omitted',
  'NewTask.dueDate':
    'The day the task is due, `YYYY-MM-DD` in the years 1900\u20139999; null (none) when omitted',
  'NewProject.description':
    'Free text, up to 5,000 UTF-16 units (tab and line breaks allowed); `""` when omitted',
  'NewProject.status': '`active` (when omitted) or `archived`',
  'NewUser.role': 'What the user may do: `admin`, `manager` or `member` (when omitted)',
  'NewUser.email':
    'The invited person\u2019s email: their first sign-in with it links them to this row (compared trimmed and case-insensitively; one live user per email in the org). A member removed before this invitation was made gets their own earlier row back instead (same id); what was given to this row moves to it and this row is deleted',
};

const CHANGE: Record<string, string> = {
  seq: 'The entry\u2019s place in the org\u2019s change log: increasing, with gaps (compaction, activities); equals `row.version`',
  entityId: 'The id of the row this entry is about (`row.id`)',
  clocks:
    'The HLC stamp of each field of the row after this write, by field name (empty for an activity: never edited)',
  deleted:
    'The tombstone\u2019s clock when the row is deleted (then `row` is its last state); null for a live row. A deleted row never comes back',
};

const MUTATION: Record<string, string> = {
  id: 'The mutation id, per client: 1, 2, 3\u2026 with no gap (the next new one is lastMutationId + 1)',
  hlc: 'The writer\u2019s HLC stamp for this change, ending in the push\u2019s `clientId` (a stamp naming another writer is 400 VALIDATION for the whole push): the clock of every field it writes (a stamp over a day ahead of the server is rejected `validation`)',
  entityId:
    'The row\u2019s id: a new UUIDv7 in lower case for a create, the row to change for an update or delete (either case)',
};

const FRESHNESS: Record<string, string> = {
  stale: 'True when the source could not be read and this is the last good copy',
  staleAgeMs: 'How old the stale copy is, in milliseconds; present only when `stale` is true',
};

const ECHO: Record<string, string> = {
  from: 'The org cursor the echoed entries start after: apply them only if your cursor is exactly this, then take the answer\u2019s `cursor`',
  changes: 'Every log entry of (`from`, `cursor`], as a pull from `from` would return them',
  activityFloor:
    'The activity window\u2019s floor after these changes, as a pull page\u2019s `activityFloor`',
};

const WRITER: Record<string, string> = {
  userId: 'The user whose write it was; null for a system write (an `srv-` stamp)',
  clientId: 'The replica (device) that wrote it; null for a REST write or a system write',
};

const PAGE = (plural: string) => `The ${plural} of this page, ordered by id; empty when none match`;

function entries(prefix: string, table: Record<string, string>): [string, string][] {
  return Object.entries(table).map(([k, text]) => [`${prefix}.${k}`, text]);
}

function rowMeta(component: string, entity: string): [string, string][] {
  return [[`${component}.id`, rowId(entity)], ...entries(component, ROW_META)];
}

/** Every entity field as each component carries it. */
function entityFields(
  Name: string,
  fields: Record<string, string>,
  asStored: string[],
  mutations: boolean,
): [string, string][] {
  const rowFields = {
    ...fields,
    ...Object.fromEntries(asStored.map((k) => [k, ROW_AS_STORED[k]!])),
  };
  const mutationFields = Object.fromEntries(
    Object.keys(fields).map((k) => [k, MUTATION_FIELD[k] ?? fields[k]!]),
  );
  const base = Object.fromEntries(
    Object.keys(fields).map((k) => [
      k,
      `The clock \`${k}\` had in the writer\u2019s replica when it made this edit; null or absent: not seen (tells a concurrent overwrite, a conflict, from a sequential one)`,
    ]),
  );
  return [
    ...entries(Name, rowFields),
    ...entries(`${Name}Fields`, fields),
    ...entries(`${Name}Patch`, fields),
    ...entries(`New${Name}`, fields),
    ...(mutations
      ? [
          ...entries(`${Name}MutationFields`, mutationFields),
          ...entries(`${Name}UpdateMutation.fields`, mutationFields),
          ...entries(`${Name}UpdateMutation.base`, base),
        ]
      : []),
  ];
}

function mutations(Name: string, entity: string): [string, string][] {
  const out: [string, string][] = [];
  for (const kind of ['Create', 'Update', 'Delete']) {
    const c = `${Name}${kind}Mutation`;
    out.push([`${c}.type`, `\`${entity}.${kind.toLowerCase()}\`: picks this variant`]);
    out.push(...entries(c, MUTATION));
  }
  out.push([
    `${Name}CreateMutation.fields`,
    `Every writable field of the new ${entity}; a create of an id that already exists in the org merges like an update`,
  ]);
  out.push([
    `${Name}UpdateMutation.fields`,
    `The fields this update writes, at least one; each takes the clock \`hlc\` (per-field last writer wins)`,
  ]);
  out.push([
    `${Name}UpdateMutation.base`,
    'Optional: the clock each written field had in the writer\u2019s replica, keyed only by fields in `fields` (any other key is 400)',
  ]);
  return out;
}

function change(Name: string, entity: string): [string, string][] {
  return [
    [`${Name}Change.entity`, `\`${entity}\`: picks this variant, and the shape of \`row\``],
    ...entries(`${Name}Change`, CHANGE),
    [
      `${Name}Change.row`,
      `The ${entity}\u2019s full state after this write (for a tombstone, its last state); \`row.version\` is \`seq\``,
    ],
  ];
}

/** Described where the schema is made (`rest/resources.ts`), so not here. */
const DESCRIBED_BY_SCHEMA = new Set(['NewProject.ownerId']);

const TABLE: [string, string][] = [
  ...rowMeta('Task', 'task'),
  ...rowMeta('Project', 'project'),
  ...rowMeta('User', 'user'),
  ['Activity.id', 'The entry\u2019s id: a UUIDv7 the server made'],
  ['Activity.orgId', 'The org the entry belongs to'],
  [
    'Activity.createdAt',
    'When the server wrote the entry (UTC), in the transaction of the write it describes',
  ],
  ['Activity.updatedAt', 'As `createdAt`: an entry is never edited'],
  [
    'Activity.version',
    'The entry\u2019s seq (from the change log\u2019s counter): newest first in `GET /activities`, whose `before` takes it',
  ],
  ...entityFields('Task', TASK, ['title', 'notes', 'dueDate'], true),
  ...entityFields('Project', PROJECT, ['name', 'description'], true),
  ...entityFields('User', USER, [], false),
  ...Object.entries(NEW_ROW_DEFAULTS),
  [
    'User.externalId',
    'The identity provider\u2019s user id (Clerk `sub`); `invited:\u2026` for a REST invitation nobody has signed in as yet. No reference uses it',
  ],
  ...mutations('Task', 'task'),
  ...mutations('Project', 'project'),
  ...change('Task', 'task'),
  ...change('Project', 'project'),
  ...change('User', 'user'),
  ...change('Activity', 'activity'),
  ['TaskPage.data', PAGE('tasks')],
  ['ProjectPage.data', PAGE('projects')],
  ['UserPage.data', PAGE('users')],

  [
    'Activity.actorId',
    'The user whose request made this entry (for a conflict, the caller whose write surfaced it, either side); null for a system write',
  ],
  [
    'Activity.action',
    'What happened: `create`, `update`, `delete`, `conflict` (a value lost), `rejected` (a refused mutation) or `access-denied` (a refused request)',
  ],
  ['Activity.entity', 'The kind of row the entry is about'],
  [
    'Activity.entityId',
    'The id of the row (or shared resource) the entry is about; null when it is about no one row',
  ],
  [
    'Activity.changes',
    'Per field: `{ field, to }` for a create, `{ field, from, to }` for an update, the row\u2019s title or name as `{ field, from }` for a delete, `{ field, lost, lostHlc, wonHlc, to, winner, loser }` for a conflict; else empty',
  ],
  [
    'Activity.reason',
    'Why: `<code>: <why>` for `rejected`, the refusal for `access-denied`, `The record was deleted: delete wins over concurrent edits` for a conflict lost to a delete, a system write\u2019s cause; else null',
  ],
  [
    'Activity.requestId',
    'The id of the request that caused it (its `X-Request-Id`, sent or generated), to match server logs; null when none',
  ],
  ['Activity.clientId', 'The replica whose push caused it; null for a REST or system write'],
  [
    'Activity.mutationId',
    'The id of the pushed mutation that caused it (with `clientId`); null when no mutation did',
  ],

  ['FieldChange.field', 'The field\u2019s name (`title`, `status`, \u2026)'],
  [
    'FieldChange.from',
    'The value before the write (update, delete); absent for a create and a conflict',
  ],
  [
    'FieldChange.to',
    'The value after the write; for a conflict the kept value, absent when it is null or the row\u2019s deletion won',
  ],
  ['FieldChange.lost', 'Conflict only: the value that lost and was not applied'],
  ['FieldChange.lostHlc', 'Conflict only: the HLC stamp of the losing write'],
  [
    'FieldChange.wonHlc',
    'Conflict only: the HLC stamp of the kept value, or of the tombstone when the deletion won',
  ],
  ['FieldChange.winner', 'Conflict only (protocol \u2265 3): whose write was kept'],
  [
    'FieldChange.loser',
    'Conflict only (protocol \u2265 3): whose write lost; a client whose id is `loser.clientId` tells its person',
  ],
  ...entries('FieldChange.winner', WRITER),
  ...entries('FieldChange.loser', WRITER),

  ['MutationResult.id', 'The pushed mutation\u2019s id'],
  [
    'MutationResult.status',
    '`applied` (written; fields that lost to newer writes are `conflict` activities), `duplicate` (processed before: not applied again) or `rejected` (not applied, never retry: roll it back)',
  ],
  [
    'MutationResult.code',
    'Why it was rejected: `validation`, `forbidden` (the role may not) or `not_found` (no such row in the org)',
  ],
  ['MutationResult.reason', 'The rejection in words, for people (also in the `rejected` activity)'],

  ['PushResponse.protocolVersion', 'The server\u2019s protocol version'],
  [
    'PushResponse.lastMutationId',
    'The highest mutation id of this client the server has processed (applied or rejected): drop outbox entries up to it',
  ],
  ['PushResponse.results', 'The outcome of each pushed mutation, in the order sent'],
  ['PushResponse.cursor', 'The org\u2019s change-log head after this push'],
  [
    'PushResponse.echo',
    'Protocol \u2265 7: this push\u2019s own log entries, when they are all of (`from`, `cursor`] and at most 64; absent otherwise',
  ],
  ...entries('PushResponse.echo', ECHO),

  ['PullResponse.protocolVersion', 'The server\u2019s protocol version'],
  [
    'PullResponse.changes',
    'The latest state of every row changed after the request\u2019s cursor, and the window\u2019s activities, in seq order, at most `limit`',
  ],
  [
    'PullResponse.cursor',
    'Where this page ends (its last seq when the page is full, else `headCursor`): send it as the next pull\u2019s `cursor`',
  ],
  ['PullResponse.hasMore', 'Whether `cursor` is below `headCursor`: pull again until false'],
  ['PullResponse.headCursor', 'The org\u2019s latest seq when this page was read'],
  [
    'PullResponse.remaining',
    'Protocol \u2265 3: rows (not activities) after this page up to `headCursor`, for progress ("3,400 of 10,000")',
  ],
  [
    'PullResponse.lastMutationId',
    'The highest mutation id of the calling client the server has processed: every row in the page already reflects those',
  ],
  [
    'PullResponse.activityFloor',
    'The activity window\u2019s lowest seq: older activities are not sent (except this client\u2019s own conflicts and rejections); page them with `GET /activities?before=`',
  ],
  [
    'PullResponse.purgeHorizon',
    'The highest seq of a purged tombstone: send it back with the next pull',
  ],
  [
    'PullResponse.liveThrough',
    'Protocol \u2265 4: tombstones at or below this seq were left out (0: none); send it back with the snapshot download\u2019s next pages',
  ],

  [
    'SharedResource.id',
    'The resource\u2019s id as its source stores it: exact text (an ObjectId\u2019s 24 hex digits match in either case)',
  ],
  ['SharedResource.name', 'The resource\u2019s name, 1\u2013500 UTF-16 units'],
  [
    'SharedResource.data',
    'The source\u2019s document, as it holds it (e.g. `kind`); its keys depend on the source',
  ],
  ['SharedResource.createdAt', 'When the document was created, as its source says'],
  ['SharedResourceItem.data', 'The resource'],
  ...entries('SharedResourceItem', FRESHNESS),
  ['SharedResourcePage.data', 'The resources of this page, in id order; empty when none match'],
  [
    'SharedResourcePage.nextCursor',
    'Pass as `cursor` for the next page (with the same `q` and `kind`); null on the last',
  ],
  [
    'SharedResourcePage.total',
    'Matching documents in the source, on the first page only (a document that fails validation is counted, never served)',
  ],
  ...entries('SharedResourcePage', FRESHNESS),

  [
    'SyncCredential.id',
    'The credential\u2019s id: revoke it with `DELETE /api/v1/sync/credentials/{id}`',
  ],
  [
    'SyncCredential.credential',
    'The secret, shown once: send it as `Authorization: Bearer <credential>` on push (push and socket hello only)',
  ],
  ['SyncCredential.clientId', 'The client id it was issued for: it may push for that client only'],
  [
    'SyncCredential.expiresAt',
    'When it stops working (30 days after it was issued), unless revoked or signed out before',
  ],
  [
    'SyncCredentialRequest.clientId',
    'This replica\u2019s client id, as it pushes with it (a new one in lower case); one of another user or org is 403',
  ],

  [
    'MemberActivity.roleSource',
    '`clerk`: roles come from Clerk and REST role edits are refused; `local`: roles are edited here',
  ],
  [
    'MemberActivity.lastSeen',
    'When each member last made an authenticated request (at most a minute stale), by user id; never seen: absent',
  ],

  ['ErrorBody.error', 'What went wrong, for people: branch on `code`, not on these words'],
  [
    'ErrorBody.code',
    'A stable code for programs (one of those the OpenAPI document\u2019s ErrorBody component lists); the HTTP status always matches it',
  ],
  [
    'ErrorBody.details',
    'Present for some codes, its shape set by the code (docs/protocol.md#errors): `[{ path, message }]` for VALIDATION',
  ],
];

/**
 * The AsyncAPI document's own properties: each socket message's (`HelloMessage.token`). The
 * shared schemas a message holds (a push's `request`, a poke's `carried`, …) take the lines
 * above, keyed as in the OpenAPI document (`describeMessageProperties`): one line per field.
 */
const MESSAGE_TYPES = {
  HelloMessage: 'hello',
  AuthMessage: 'auth',
  PingMessage: 'ping',
  PushMessage: 'push',
  WelcomeMessage: 'welcome',
  PokeMessage: 'poke',
  PongMessage: 'pong',
  PushedMessage: 'pushed',
  PushFailedMessage: 'push-failed',
  ErrorMessage: 'error',
} as const;

const MESSAGE_TABLE: [string, string][] = [
  ...Object.entries(MESSAGE_TYPES).map(([name, type]): [string, string] => [
    `${name}.type`,
    `\`${type}\`: picks this message`,
  ]),
  [
    'HelloMessage.protocolVersion',
    'The client\u2019s protocol version, a whole number from 1 (anything else closes 4002): outside the server\u2019s range closes 4010 (`client_too_old` / `server_too_old`: update, do not reconnect)',
  ],
  [
    'HelloMessage.clientId',
    'This replica\u2019s id, checked as a push checks it: a new one must be in lower case (else 4002), one of another user or org closes 4003. A hello binds nothing',
  ],
  [
    'HelloMessage.token',
    'A session token (Clerk or dev) or a device sync credential (only for the client id it was issued for); never in the URL. Invalid: 4001',
  ],
  [
    'AuthMessage.token',
    'A fresh session token for the same user and org (another closes 4003, an invalid one 4001); without one the socket closes 4004 at the old token\u2019s expiry',
  ],
  [
    'PingMessage.t',
    'Any number, echoed in the `pong` (e.g. the send time, to measure the round trip)',
  ],
  ['PongMessage.t', 'The `t` of the `ping` this answers'],
  [
    'PushMessage.n',
    'The push\u2019s number on this socket, chosen by the client: its answer (`pushed` or `push-failed`) carries the same `n`',
  ],
  [
    'PushMessage.request',
    'A `POST /sync/push` body, checked and applied as that route does; its refusals point into the frame (`/request/\u2026`)',
  ],
  [
    'WelcomeMessage.cursor',
    'The org\u2019s change-log head when the socket was opened: pull up to it if behind; pokes name higher cursors',
  ],
  [
    'WelcomeMessage.heartbeatMs',
    'How often to send `ping` (and how often the server pings): a `pong` missing longer than this means the connection is dead',
  ],
  [
    'PokeMessage.cursor',
    'The org\u2019s change-log head after a commit: pull from your own cursor if it is below (only increases on one socket; may be one you have)',
  ],
  [
    'PokeMessage.carried',
    'Protocol \u2265 5: the commit\u2019s log entries when it is small (the poke within 32 KiB); a client whose cursor is `carried.from` applies them as a pull page and moves to `cursor`, any other pulls',
  ],
  ['PushedMessage.n', 'The `n` of the push this answers'],
  [
    'PushedMessage.response',
    'What `POST /sync/push` answers with 200 (its `echo` left out when the socket\u2019s buffer has no room for it)',
  ],
  ['PushFailedMessage.n', 'The `n` of the push this refuses: nothing of it was applied'],
  ['PushFailedMessage.status', 'The HTTP status `POST /sync/push` would have answered'],
  [
    'PushFailedMessage.error',
    'The error body `POST /sync/push` would have answered; a VALIDATION pointer names the place in the frame (`/request/\u2026`)',
  ],
  [
    'ErrorMessage.code',
    'Why the server is closing the socket, as the close frame\u2019s reason (`invalid_message`, `forbidden`, `token_expired`, \u2026: the channel\u2019s `x-close-codes`)',
  ],
  [
    'ErrorMessage.message',
    'The reason in words, for people (a schema error names each JSON pointer)',
  ],
];

/** Key `Message.property` (nested `Message.property.inner`) → its one line. */
export const MESSAGE_PROPERTY_DESCRIPTIONS: Readonly<Record<string, string>> =
  Object.fromEntries(MESSAGE_TABLE);

/** Key `Component.property` (nested `Component.property.inner`) → its one line. */
export const PROPERTY_DESCRIPTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  TABLE.filter(([key]) => !DESCRIBED_BY_SCHEMA.has(key)),
);

/** Calls `visit` with each property's key and schema, through unions and array items. */
function eachProperty(schema: unknown, key: string, visit: (key: string, p: Json) => void): void {
  if (!schema || typeof schema !== 'object') return;
  if (Array.isArray(schema)) {
    for (const s of schema) eachProperty(s, key, visit);
    return;
  }
  const s = schema as Json;
  for (const [name, p] of Object.entries((s['properties'] ?? {}) as Record<string, Json>)) {
    visit(`${key}.${name}`, p);
    eachProperty(p, `${key}.${name}`, visit);
  }
  for (const k of ['anyOf', 'oneOf', 'allOf', 'items']) eachProperty(s[k], key, visit);
}

function eachComponentProperty(document: object, visit: (key: string, p: Json) => void): void {
  const schemas = ((document as Json)['components'] as Json | undefined)?.['schemas'] ?? {};
  for (const [name, schema] of Object.entries(schemas as Json)) eachProperty(schema, name, visit);
}

/**
 * A copy of the document in which every component property that has no description and is in
 * the table has its line (a copy: the generator may share one property's schema object
 * between components).
 */
export function describeProperties<T extends object>(document: T): T {
  const copy = structuredClone(document);
  eachComponentProperty(copy, (key, p) => {
    const text = PROPERTY_DESCRIPTIONS[key];
    if (text && !p['description']) p['description'] = text;
  });
  return copy;
}

/**
 * Table entries that describe no property of a described document: the key names none, or
 * every property it names kept a description of its own.
 */
export function unusedPropertyKeys(document: object): string[] {
  const used = new Set<string>();
  eachComponentProperty(document, (key, p) => {
    if (p['description'] === PROPERTY_DESCRIPTIONS[key]) used.add(key);
  });
  return Object.keys(PROPERTY_DESCRIPTIONS).filter((k) => !used.has(k));
}

/**
 * Marks, in an AsyncAPI payload (inlined), where a shared schema sits: the key its properties
 * have in the table (an OpenAPI component's name, or its place in one). Removed once read.
 */
export const PROPERTY_KEY = 'x-property-key';

/** Calls `visit` with each message property's key and schema; a marked schema's key restarts. */
function eachMessageProperty(
  schema: unknown,
  key: string,
  visit: (key: string, p: Json) => void,
): void {
  if (!schema || typeof schema !== 'object') return;
  if (Array.isArray(schema)) {
    for (const s of schema) eachMessageProperty(s, key, visit);
    return;
  }
  const s = schema as Json;
  const own = typeof s[PROPERTY_KEY] === 'string' ? (s[PROPERTY_KEY] as string) : key;
  for (const [name, p] of Object.entries((s['properties'] ?? {}) as Record<string, Json>)) {
    visit(`${own}.${name}`, p);
    eachMessageProperty(p, `${own}.${name}`, visit);
  }
  for (const k of ['anyOf', 'oneOf', 'allOf', 'items', 'additionalProperties'])
    eachMessageProperty(s[k], own, visit);
}

function dropKeys(value: unknown): void {
  if (!value || typeof value !== 'object') return;
  if (!Array.isArray(value)) delete (value as Json)[PROPERTY_KEY];
  for (const v of Object.values(value)) dropKeys(v);
}

const messageLine = (key: string) =>
  MESSAGE_PROPERTY_DESCRIPTIONS[key] ?? PROPERTY_DESCRIPTIONS[key];

/**
 * The AsyncAPI payloads (by message name, inlined, shared schemas marked with `PROPERTY_KEY`)
 * with every property that has no description given its line: a message's own from
 * `MESSAGE_PROPERTY_DESCRIPTIONS`, a shared schema's from `PROPERTY_DESCRIPTIONS` under the key
 * it has in the OpenAPI document. Marks are removed.
 */
export function describeMessageProperties<T extends Record<string, unknown>>(schemas: T): T {
  const copy = structuredClone(schemas);
  for (const [name, schema] of Object.entries(copy))
    eachMessageProperty(schema, name, (key, p) => {
      const text = messageLine(key);
      if (text && !p['description']) p['description'] = text;
    });
  dropKeys(copy);
  return copy;
}

/**
 * `MESSAGE_PROPERTY_DESCRIPTIONS` entries that describe no property of the AsyncAPI document
 * (described): the key names none, or every property it names kept a description of its own.
 */
export function unusedMessagePropertyKeys(document: object): string[] {
  const schemas = ((document as Json)['components'] as Json | undefined)?.['schemas'] ?? {};
  const used = new Set<string>();
  for (const [name, schema] of Object.entries(schemas as Json))
    eachProperty(schema, name, (key, p) => {
      if (p['description'] === MESSAGE_PROPERTY_DESCRIPTIONS[key]) used.add(key);
    });
  return Object.keys(MESSAGE_PROPERTY_DESCRIPTIONS).filter((k) => !used.has(k));
}
