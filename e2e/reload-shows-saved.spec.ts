import { expect, test } from '@playwright/test';
import { newPhone, orgFor, person, signInToProject } from './helpers';

// The persisted query cache paints the first screen after a start; it was written a second after
// a change, so a reload within that second painted the value from before the save first.
test('a reload right after a description was saved never shows the description it replaced', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const who = person('Ana', orgFor('reload-shows-saved'));
  await signInToProject(page, who, 'Garden shed', ['Buy timber']);
  // Every value the description field shows, frame by frame from the first paint of each load.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const look = () => {
      const field = document.querySelector<HTMLTextAreaElement | HTMLInputElement>(
        '[aria-label="Project description"]',
      );
      if (field && seen.at(-1) !== field.value) seen.push(field.value);
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  const description = page.getByRole('textbox', { name: 'Project description' });
  /** The cache as stored for the next start holds the description `text`. */
  const cached = (text: string) =>
    expect
      .poll(() =>
        page.evaluate(
          (text) =>
            Object.keys(localStorage).some(
              (k) =>
                k.startsWith('outpost-query-cache:') &&
                localStorage.getItem(k)!.includes(`"description":${JSON.stringify(text)}`),
            ),
          text,
        ),
      )
      .toBe(true);
  /** The local database holds a project with the description `text`. */
  const stored = (text: string) =>
    page.evaluate(async (text) => {
      const names = (await indexedDB.databases()).map((d) => d.name ?? '');
      const name = names.find((n) => n.startsWith('outpost-'))!;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const rows = await new Promise<{ description?: string }[]>((resolve, reject) => {
        const req = db.transaction('projects').objectStore('projects').getAll();
        req.onsuccess = () => resolve(req.result as { description?: string }[]);
        req.onerror = () => reject(req.error);
      });
      db.close();
      return rows.some((r) => r.description === text);
    }, text);
  let before = '';
  for (const text of ['Cedar, not pine', 'Cedar, treated']) {
    // The cache stored holds what the field shows: the save below is the only change after it.
    await cached(before);
    await description.fill(text);
    await description.press('Tab');
    // Reloaded once the save is in the database (a reload before that is kept-edits.ts's case).
    await expect.poll(() => stored(text)).toBe(true);
    await page.reload();
    await expect(description).toHaveValue(text);
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
      text,
    ]);
    before = text;
  }
  await context.close();
});
