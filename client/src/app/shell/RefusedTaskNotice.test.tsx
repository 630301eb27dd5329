// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '@outpost/shared';
import type { OutpostDb } from '@outpost/sync';
import { appDatabases } from '../../../test/helpers/app-db';
import { EngineContext, type Engine } from '../engine/context';
import { testRoot } from '../testing/test-root';
import { RefusedTaskNotice } from './RefusedTaskNotice';

const openDb = appDatabases();
const t = testRoot();

const REFUSED = {
  taskId: uuidv7(),
  projectId: uuidv7(), // deleted meanwhile: not in the replica
  task: { title: 'Order chairs', notes: 'Forty, the folding kind', status: 'todo' as const },
  also: [],
};

/** A project row as the mirror stores it. */
function projectRow(name: string, status: 'active' | 'archived') {
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    orgId: 'org_1',
    createdAt: now,
    updatedAt: now,
    version: 1,
    name,
    description: '',
    status,
    ownerId: uuidv7(),
  };
}

/** The notice of a refused task, read by someone of `role`, over a replica of `projects`. */
async function mount(role: Role, projects: ReturnType<typeof projectRow>[]) {
  const db: OutpostDb = await openDb();
  await db.projects.bulkPut(projects as never[]);
  const replica = { db, orgId: 'org_1', userId: 'user_1' };
  const client = {
    replica,
    createProject: vi.fn(async (_fields: object) => 'new-project-id'),
    createTask: vi.fn(async (_fields: object) => 'new-task-id'),
  };
  const engine = {
    client,
    replica,
    session: { user: { id: 'user_1', role } },
  } as unknown as Engine;
  await act(async () =>
    t.root.render(
      <QueryClientProvider client={new QueryClient()}>
        <EngineContext.Provider value={engine}>
          <RefusedTaskNotice
            message="The server refused creating the task “Order chairs”."
            refused={REFUSED}
            onDone={() => undefined}
          />
        </EngineContext.Provider>
      </QueryClientProvider>,
    ),
  );
  return client;
}

const button = (name: string) =>
  [...t.host.querySelectorAll('button')].find((b) => b.textContent === name) ?? null;

describe('RefusedTaskNotice with no active project left to add the task to', () => {
  it('offers a manager "Add to a new project…": it makes the project and adds the task there, with every field', async () => {
    const client = await mount('manager', [projectRow('Gamma', 'archived')]);
    // Once the projects are read (a live query).
    await vi.waitFor(() => expect(button('Add to a new project…')).not.toBeNull());
    expect(button('Add to another project…')).toBeNull();
    act(() => button('Add to a new project…')!.click());
    const name = t.host.querySelector<HTMLInputElement>('input')!;
    expect(document.activeElement).toBe(name);
    // Nothing to add to before it has a name.
    expect(button('Add')!.disabled).toBe(true);
    await act(async () => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      set.call(name, 'Party again');
      name.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => button('Add')!.click());
    await vi.waitFor(() =>
      expect(t.host.textContent).toContain('“Order chairs” was added to “Party again”.'),
    );
    expect(client.createProject).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'Party again', ownerId: 'user_1' }),
    );
    expect(client.createTask).toHaveBeenCalledWith(
      expect.objectContaining({
        title: 'Order chairs',
        notes: 'Forty, the folding kind',
        projectId: 'new-project-id',
      }),
    );
  });

  it('tells a member, who may not make projects, that there is nowhere to add it yet, and offers no button that would be refused', async () => {
    const client = await mount('member', [projectRow('Gamma', 'archived')]);
    await vi.waitFor(() =>
      expect(t.host.textContent).toContain('No active project is left to add it to.'),
    );
    expect(button('Add to a new project…')).toBeNull();
    expect(button('Add to another project…')).toBeNull();
    expect(client.createProject).not.toHaveBeenCalled();
  });

  it('with an active project, offers it as before (and no new one)', async () => {
    await mount('manager', [projectRow('Office', 'active')]);
    await vi.waitFor(() => expect(button('Add to another project…')).not.toBeNull());
    expect(button('Add to a new project…')).toBeNull();
    expect(t.host.textContent).not.toContain('No active project');
  });
});

/** A promise settled by the test, for a write still in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Types `text` into the notice's name field as a person would. */
async function typeName(text: string) {
  const field = t.host.querySelector<HTMLInputElement>('input')!;
  await act(async () => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    set.call(field, text);
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const submitButton = () => t.host.querySelector<HTMLButtonElement>('form button[type="submit"]')!;

describe('RefusedTaskNotice adds once', () => {
  it('"Add to another project…": Add pressed twice before the first write resolves adds the task once, and says it is adding meanwhile', async () => {
    const client = await mount('manager', [projectRow('Office', 'active')]);
    await vi.waitFor(() => expect(button('Add to another project…')).not.toBeNull());
    act(() => button('Add to another project…')!.click());
    const write = deferred<string>();
    client.createTask.mockImplementationOnce(() => write.promise);
    // A double click: both presses land before the write resolves.
    await act(async () => {
      submitButton().click();
      submitButton().click();
    });
    expect(client.createTask).toHaveBeenCalledTimes(1);
    expect(submitButton().textContent).toBe('Adding…');
    expect(submitButton().getAttribute('aria-disabled')).toBe('true');
    // Enter in the form, again, still in flight.
    await act(async () => submitButton().click());
    await act(async () => write.resolve('new-task-id'));
    await vi.waitFor(() =>
      expect(t.host.textContent).toContain('“Order chairs” was added to “Office”.'),
    );
    expect(client.createTask).toHaveBeenCalledTimes(1);
  });

  it('"Add to a new project…": a double submit makes one project and one task; a failed task is retried into that project, not a second one', async () => {
    const client = await mount('manager', [projectRow('Gamma', 'archived')]);
    await vi.waitFor(() => expect(button('Add to a new project…')).not.toBeNull());
    act(() => button('Add to a new project…')!.click());
    await typeName('Party again');
    const made = deferred<string>();
    client.createProject.mockImplementationOnce(() => made.promise);
    client.createTask.mockImplementationOnce(async () => {
      throw new Error('This device is out of storage space');
    });
    await act(async () => {
      submitButton().click();
      submitButton().click();
    });
    expect(client.createProject).toHaveBeenCalledTimes(1);
    expect(submitButton().textContent).toBe('Adding…');
    await act(async () => made.resolve('new-project-id'));
    await vi.waitFor(() =>
      expect(t.host.querySelector('[role="alert"] [role="alert"]')?.textContent).toContain(
        'Could not add it: Error: This device is out of storage space',
      ),
    );
    expect(client.createProject).toHaveBeenCalledTimes(1);
    expect(client.createTask).toHaveBeenCalledTimes(1);
    // Tried again: into the project made the first time.
    expect(submitButton().textContent).toBe('Add');
    await act(async () => submitButton().click());
    await vi.waitFor(() =>
      expect(t.host.textContent).toContain('“Order chairs” was added to “Party again”.'),
    );
    expect(client.createProject).toHaveBeenCalledTimes(1);
    expect(client.createTask).toHaveBeenCalledTimes(2);
    expect(client.createTask).toHaveBeenLastCalledWith(
      expect.objectContaining({ projectId: 'new-project-id' }),
    );
  });
});
