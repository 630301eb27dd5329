import { describe, expect, it } from 'vitest';
import type { KeyValueStorage } from '@outpost/sync';
import { createUnsavedNotices, unsavedNoticesKey } from './unsaved-notices';

/** localStorage as a page sees it, kept across the "reloads" of one test. */
function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const ana = { orgId: 'acme', userId: 'ana' };
const message = '“Fix login” was deleted before what you typed into it was saved.';
const texts = [{ label: 'Notes', text: 'Call Ana about the SSO bug' }];

describe('unsaved-text notices', () => {
  it('are back after a reload (the store made again from storage) until OK, then gone for good', () => {
    const storage = memoryStorage();
    const before = createUnsavedNotices(ana, storage);
    before.add(message, texts);
    // A reload: the workspace's store is made again, from what the page kept.
    const after = createUnsavedNotices(ana, storage);
    expect(after.getSnapshot()).toEqual([{ id: before.getSnapshot()[0]!.id, message, texts }]);
    after.dismiss(after.getSnapshot()[0]!.id);
    expect(after.getSnapshot()).toEqual([]);
    expect(createUnsavedNotices(ana, storage).getSnapshot()).toEqual([]);
    expect(storage.map.size).toBe(0);
  });

  it('are kept per person and org: another org or person does not see them', () => {
    const storage = memoryStorage();
    createUnsavedNotices(ana, storage).add(message, texts);
    expect(createUnsavedNotices({ ...ana, orgId: 'other' }, storage).getSnapshot()).toEqual([]);
    expect(createUnsavedNotices({ ...ana, userId: 'ben' }, storage).getSnapshot()).toEqual([]);
    // Under an `outpost-…` key naming the user: sign-out's `forgetLocalCopies` removes it.
    expect([...storage.map.keys()]).toEqual([unsavedNoticesKey(ana)]);
    expect(unsavedNoticesKey(ana).split(':')).toContain('ana');
  });

  it('keep another tab’s notices when this one adds or answers its own', () => {
    const storage = memoryStorage();
    const tabA = createUnsavedNotices(ana, storage);
    const tabB = createUnsavedNotices(ana, storage);
    tabA.add('A', texts);
    tabB.add('B', texts);
    tabB.dismiss(tabB.getSnapshot().find((n) => n.message === 'B')!.id);
    expect(
      createUnsavedNotices(ana, storage)
        .getSnapshot()
        .map((n) => n.message),
    ).toEqual(['A']);
  });

  it('read nothing from a stored value that is not theirs, and still show a new one', () => {
    const storage = memoryStorage();
    storage.setItem(unsavedNoticesKey(ana), '{"not": "a list"');
    const store = createUnsavedNotices(ana, storage);
    expect(store.getSnapshot()).toEqual([]);
    store.add(message, texts);
    expect(store.getSnapshot().map((n) => n.message)).toEqual([message]);
  });
});
