import { expect, test, type Page } from '@playwright/test';
import { newPhone, orgFor, person, signInToProject } from './helpers';

// The persisted query cache paints the first screen after a start; it was written a second after
// a change, so a reload within that second painted the value from before the save first.

/** Records every value the description field shows, frame by frame from each load's first paint. */
async function watchDescription(page: Page): Promise<void> {
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
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen);

/** The description the local database's project holds (one project in this org). */
const storedDescription = (page: Page) =>
  page.evaluate(async () => {
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
    return rows[0]?.description ?? '';
  });

/** The cache as stored for the next start holds the description `text`. */
const cached = (page: Page, text: string) =>
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

test('a reload right after a description was saved never shows the description it replaced', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const who = person('Ana', orgFor('reload-shows-saved'));
  await signInToProject(page, who, 'Garden shed', ['Buy timber']);
  await watchDescription(page);
  const description = page.getByRole('textbox', { name: 'Project description' });
  let before = '';
  for (const text of ['Cedar, not pine', 'Cedar, treated']) {
    // The cache stored holds what the field shows: the save below is the only change after it.
    await cached(page, before);
    await description.fill(text);
    await description.press('Tab');
    // Reloaded once the save is in the database (the test below reloads inside it).
    await expect.poll(() => storedDescription(page)).toBe(text);
    await page.reload();
    await expect(description).toHaveValue(text);
    expect(await seen(page)).toEqual([text]);
    before = text;
  }
  await context.close();
});

// The save's own write takes tens of milliseconds (longer on a slow phone): a reload inside it
// left a cache written before the database held the new value, and the next start painted it.
test('a reload at any moment of the save paints nothing older than the database holds', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  const who = person('Ana', orgFor('reload-inside-save'));
  await signInToProject(page, who, 'Garden shed', ['Buy timber']);
  await watchDescription(page);
  // A slow phone: the save's read, write and the live queries' reads after it take longer.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const description = page.getByRole('textbox', { name: 'Project description' });
  let before = '';
  // The page goes at the save's start, and then later and later into it and what follows it.
  for (const [i, delayMs] of [0, 2, 5, 10, 20, 40].entries()) {
    const text = `Cedar, coat ${i}`;
    await cached(page, before);
    await description.fill(text);
    // Leaving the field saves it; the reload is asked for from the page, at a set moment after.
    const loaded = page.waitForEvent('load');
    await description.evaluate((field, delayMs) => {
      (field as HTMLElement).blur();
      setTimeout(() => location.reload(), delayMs);
    }, delayMs);
    await loaded;
    const stored = await storedDescription(page);
    await expect(description).toHaveValue(stored);
    expect(await seen(page), `a reload ${delayMs} ms after the save began`).toEqual([stored]);
    before = stored;
  }
  await context.close();
});
