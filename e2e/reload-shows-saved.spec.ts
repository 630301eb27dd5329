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
  let before = '';
  for (const text of ['Cedar, not pine', 'Cedar, treated']) {
    // The cache stored holds what the field shows: the save below is the only change after it.
    await cached(before);
    await description.fill(text);
    await description.press('Tab');
    await page.reload();
    await expect(description).toHaveValue(text);
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
      text,
    ]);
    before = text;
  }
  await context.close();
});
