import {
  PROTOCOL_VERSION,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type Task,
} from '@outpost/shared';

/**
 * Worked examples shown in the OpenAPI document (one push, one pull, one REST write). They are
 * typed by the shared schemas and parsed by them in `test/openapi.test.ts`, so they stay valid.
 */
const clientId = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const orgId = 'org_2b1x9Qz';
const userId = '0193a1b0-0000-7000-8000-00000000a11a';
const projectId = '0193a1b4-1111-7111-8111-111111111111';
const taskId = '0193a1b5-2222-7222-8222-222222222222';
const at = (ms: number, counter = 0, node = clientId) =>
  `${String(1764500000000 + ms).padStart(15, '0')}-${String(counter).padStart(5, '0')}-${node}`;

type Json = Record<string, unknown>;

export const pushRequestExample = {
  protocolVersion: PROTOCOL_VERSION,
  clientId,
  mutations: [
    {
      type: 'task.create',
      id: 41,
      hlc: at(0),
      entityId: taskId,
      fields: {
        projectId,
        title: 'Draft the launch plan',
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate: '2026-12-15',
      },
    },
    {
      type: 'task.update',
      id: 42,
      hlc: at(5000),
      entityId: taskId,
      fields: { status: 'doing' },
      base: { status: at(0) },
    },
  ],
} satisfies Json as unknown as PushRequest;

export const pushResponseExample = {
  protocolVersion: PROTOCOL_VERSION,
  lastMutationId: 42,
  cursor: 1017,
  results: [
    { id: 41, status: 'applied' },
    { id: 42, status: 'applied' },
  ],
} satisfies Json as unknown as PushResponse;

export const pullRequestExample = {
  protocolVersion: PROTOCOL_VERSION,
  clientId,
  cursor: 1015,
  limit: 500,
  purgeHorizon: 0,
} satisfies Json as unknown as PullRequest;

const task = {
  id: taskId,
  orgId,
  createdAt: '2026-11-30T10:53:20.000Z',
  updatedAt: '2026-11-30T10:53:25.000Z',
  version: 1017,
  projectId,
  title: 'Draft the launch plan',
  notes: '',
  status: 'doing',
  assigneeId: null,
  dueDate: '2026-12-15',
} satisfies Json as unknown as Task;

export const pullResponseExample = {
  protocolVersion: PROTOCOL_VERSION,
  changes: [
    {
      seq: 1017,
      entity: 'task',
      entityId: taskId,
      row: task,
      clocks: {
        projectId: at(0),
        title: at(0),
        notes: at(0),
        status: at(5000),
        assigneeId: at(0),
        dueDate: at(0),
      },
      deleted: null,
    },
  ],
  cursor: 1017,
  hasMore: false,
  headCursor: 1017,
  remaining: 0,
  lastMutationId: 42,
  activityFloor: 12,
  purgeHorizon: 0,
  liveThrough: 0,
} satisfies Json as unknown as PullResponse;

/** `PATCH /api/v1/primary-data/tasks/{id}` with `If-Match: "1017"`. */
export const taskPatchExample = { status: 'done', assigneeId: userId };

export const taskPatchedExample = {
  ...task,
  status: 'done',
  assigneeId: userId,
  updatedAt: '2026-11-30T11:02:00.000Z',
  version: 1020,
} satisfies Json as unknown as Task;

interface OperationExamples {
  request?: unknown;
  responses?: Record<string, unknown>;
}

/** Which operation shows which example (by operationId). */
const EXAMPLES: Record<string, OperationExamples> = {
  pushMutations: { request: pushRequestExample, responses: { 200: pushResponseExample } },
  pullChanges: { request: pullRequestExample, responses: { 200: pullResponseExample } },
  updateTask: { request: taskPatchExample, responses: { 200: taskPatchedExample } },
};

type JsonObject = Record<string, unknown>;
type Media = { content?: Record<string, JsonObject> };

/**
 * Puts the examples on the operations' JSON media objects. Done on the finished document
 * because @fastify/swagger drops keywords beside a `$ref` (where zod metadata would put them).
 */
export function attachExamples<T extends object>(document: T): T {
  const paths = ((document as JsonObject)['paths'] ?? {}) as Record<
    string,
    Record<string, JsonObject>
  >;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const examples = EXAMPLES[operation['operationId'] as string];
      if (!examples) continue;
      const body = (operation['requestBody'] as Media | undefined)?.content?.['application/json'];
      if (body && examples.request !== undefined) body['example'] = examples.request;
      const responses = (operation['responses'] ?? {}) as Record<string, Media>;
      for (const [status, example] of Object.entries(examples.responses ?? {})) {
        const media = responses[status]?.content?.['application/json'];
        if (media) media['example'] = example;
      }
    }
  }
  return document;
}
