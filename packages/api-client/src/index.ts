import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './generated/openapi';

export type { components, operations, paths };

type Schemas = components['schemas'];
export type Task = Schemas['Task'];
export type Project = Schemas['Project'];
export type User = Schemas['User'];
export type Activity = Schemas['Activity'];
export type Mutation = Schemas['Mutation'];
export type Change = Schemas['Change'];
export type PushRequest = Schemas['PushRequest'];
export type PushResponse = Schemas['PushResponse'];
export type PullRequest = Schemas['PullRequest'];
export type PullResponse = Schemas['PullResponse'];
export type ErrorBody = Schemas['ErrorBody'];

export type OutpostClient = Client<paths>;

export interface OutpostClientOptions {
  /** Origin of the Outpost server, e.g. `https://outpost.example.com` (paths carry `/api/v1`). */
  baseUrl: string;
  /**
   * The bearer credential for each request: a session token (Clerk, or a dev token) or, for
   * push and sign-out only, a device sync credential. Called per request, so return a fresh one.
   */
  token?: () => string | Promise<string>;
  /** Defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client for every operation of the Outpost REST API:
 * `client.GET('/api/v1/primary-data/tasks', { params: { query: { status: 'todo' } } })` returns
 * `{ data, error, response }` where `data` is a `TaskPage` and `error` an `ErrorBody`.
 */
export function createOutpostClient(options: OutpostClientOptions): OutpostClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { token } = options;
  if (token) {
    const auth: Middleware = {
      async onRequest({ request }) {
        request.headers.set('Authorization', `Bearer ${await token()}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}
