// @vitest-environment happy-dom
import type { Activity } from '@outpost/shared';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { ActivityItem, BurstItem } from './ActivityItem';
import type { Lookup } from './describe';
import { testRoot } from '../../testing/test-root';

const dom = testRoot();

/** Ids as the server writes them in a reason ("user 01a2…"). */
const ANA = '01a232ea-8628-72b5-9769-1ae1f766865e';
const BEN = '01a232ea-8628-72b5-9769-1ae1f766865f';

/** Ben reads the feed: u2 is Ben (and so is BEN, the id a reason names him by). */
const lookup: Lookup = {
  name: (id) =>
    ({ u1: 'Ana', u2: 'Ben', [ANA]: 'Ana', [BEN]: 'Ben', t1: 'Book venue', p1: 'Launch' })[id] ??
    null,
  projectOf: (id) => (id === 't1' ? 'p1' : null),
  me: 'u2',
};

function activity(over: Partial<Record<keyof Activity, unknown>>): Activity {
  return {
    id: 'a',
    orgId: 'org_x',
    createdAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    version: 1,
    actorId: 'u2',
    action: 'update',
    entity: 'task',
    entityId: 't1',
    changes: [],
    reason: null,
    requestId: null,
    clientId: null,
    mutationId: null,
    ...over,
  } as unknown as Activity;
}

function text(a: Activity): string {
  act(() =>
    dom.root.render(
      <ol>
        <ActivityItem activity={a} lookup={lookup} />
      </ol>,
    ),
  );
  return dom.host.textContent!.replace(/\d{1,2}:\d{2}.*$/, '').trim();
}

describe('the feed on your own actions', () => {
  it('says "You" for what you did, and names everyone else', () => {
    expect(text(activity({ action: 'create' }))).toBe('You added “Book venue” · in Launch');
    expect(text(activity({ action: 'delete', actorId: 'u1' }))).toBe(
      'Ana deleted “Book venue” · in Launch',
    );
    expect(text(activity({ action: 'rejected', reason: 'permission' }))).toMatch(
      /^Your change to the task “Book venue” was refused/,
    );
    expect(text(activity({ action: 'access-denied' }))).toMatch(
      /^You were refused access to the task “Book venue”/,
    );
    expect(
      text(
        activity({
          action: 'create',
          entity: 'user',
          entityId: 'u2',
          reason: 'first sign-in',
        }),
      ),
    ).toBe('You joined the team');
  });

  it('says "you" for you as a value, and "your" for your value in a conflict', () => {
    act(() =>
      dom.root.render(
        <ol>
          <ActivityItem
            activity={activity({
              actorId: 'u1',
              changes: [{ field: 'assigneeId', from: null, to: 'u2' }],
            })}
            lookup={lookup}
          />
          <ActivityItem
            activity={activity({
              id: 'c',
              action: 'conflict',
              changes: [
                {
                  field: 'title',
                  lost: 'Venue',
                  to: 'Book venue',
                  wonHlc: 'x',
                  winner: { userId: 'u2', clientId: 'c2' },
                  loser: { userId: 'u1', clientId: 'c1' },
                },
              ],
            })}
            lookup={lookup}
          />
        </ol>,
      ),
    );
    const lines = [...dom.host.querySelectorAll('.activity-changes li')].map((l) => l.textContent);
    expect(dom.host.querySelector('.activity-line')!.textContent).toMatch(
      /^Ana assigned “Book venue” to you · in Launch/,
    );
    expect(lines).toEqual(['Your title “Book venue” replaced Ana’s “Venue”']);
  });

  it('says "you" in a refusal\'s Why line when the reason names the reader', () => {
    const refused = (assignee: string) =>
      activity({
        action: 'rejected',
        actorId: 'u1',
        reason: `validation: assigneeId: user ${assignee} is deleted`,
      });
    const me = { ...lookup, me: BEN };
    const why = (a: Activity, l: Lookup) => {
      act(() =>
        dom.root.render(
          <ol>
            <ActivityItem activity={a} lookup={l} />
          </ol>,
        ),
      );
      return [...dom.host.querySelectorAll('p')]
        .map((p) => p.textContent)
        .find((t) => t?.startsWith('Why'));
    };
    expect(why(refused(BEN), me)).toBe('Why: you are deleted');
    expect(why(refused(ANA), me)).toBe('Why: the member “Ana” is deleted');
  });

  it('says "You added 3 tasks" for a batch of yours', () => {
    const items = ['t1', 't2', 't3'].map((id) => activity({ id, action: 'create', entityId: id }));
    act(() =>
      dom.root.render(
        <ol>
          <BurstItem
            burst={{ kind: 'burst', action: 'create', items, projectId: 'p1' }}
            lookup={lookup}
          />
        </ol>,
      ),
    );
    expect(dom.host.textContent).toMatch(/^You added 3 tasks · in Launch/);
    // All three named already: no "Show all 3" to list them again.
    expect(dom.host.querySelectorAll('button')).toHaveLength(0);
    expect(dom.host.textContent).not.toContain('Show all');
  });

  it('says a bulk change once: "You completed 4 tasks", with Show all', () => {
    const items = ['t1', 't2', 't3', 't4'].map((id) =>
      activity({
        id,
        action: 'update',
        entityId: id,
        changes: [{ field: 'status', from: 'todo', to: 'done' }],
      }),
    );
    act(() =>
      dom.root.render(
        <ol>
          <BurstItem
            burst={{ kind: 'burst', action: 'update', items, projectId: 'p1' }}
            lookup={lookup}
          />
        </ol>,
      ),
    );
    expect(dom.host.textContent).toMatch(/^You completed 4 tasks · in Launch/);
    expect(dom.host.textContent).toContain('Show all 4');
  });

  it('says the lead change as a sentence, links the task, and lists the other fields', () => {
    act(() =>
      dom.root.render(
        <ol>
          <ActivityItem
            activity={activity({
              actorId: 'u1',
              changes: [
                { field: 'dueDate', from: null, to: '2026-12-04' },
                { field: 'status', from: 'doing', to: 'done' },
              ],
            })}
            lookup={{ ...lookup, open: (kind, id) => `/${kind}s/${id}` }}
          />
        </ol>,
      ),
    );
    const line = dom.host.querySelector('.activity-line')!;
    expect(line.textContent).toMatch(/^Ana completed “Book venue” · in Launch/);
    expect(line.querySelector('a')!.getAttribute('href')).toBe('/tasks/t1');
    const lines = [...dom.host.querySelectorAll('.activity-changes li')].map((l) => l.textContent);
    expect(lines).toEqual(['due date: empty → Dec 4, 2026']);
  });

  it('links the project after "in" while it is here, as a plain name once it is deleted', () => {
    const render = (open: Lookup['open']) =>
      act(() =>
        dom.root.render(
          <ol>
            <ActivityItem activity={activity({ action: 'create' })} lookup={{ ...lookup, open }} />
            <BurstItem
              burst={{
                kind: 'burst',
                action: 'create',
                items: ['t1', 't2'].map((id) => activity({ id, action: 'create', entityId: id })),
                projectId: 'p1',
              }}
              lookup={{ ...lookup, open }}
            />
          </ol>,
        ),
      );
    const inProject = () =>
      [...dom.host.querySelectorAll('.activity-project')].map((p) => ({
        text: p.textContent,
        href: p.querySelector('a')?.getAttribute('href') ?? null,
      }));
    render((kind, id) => `/${kind}s/${id}`);
    expect(inProject()).toEqual([
      { text: '· in Launch', href: '/projects/p1' },
      { text: '· in Launch', href: '/projects/p1' },
    ]);
    // The project deleted (this device no longer has it): named, leading nowhere.
    render((kind, id) => (kind === 'task' ? `/tasks/${id}` : null));
    expect(inProject()).toEqual([
      { text: '· in Launch', href: null },
      { text: '· in Launch', href: null },
    ]);
  });
});
