import { expect, test } from '@playwright/test';
import { newPhone, openTask, orgFor, person, signInToProject } from './helpers';

/**
 * A task's history says what it is waiting for in its own small print: the note over an edit
 * made offline read larger than the lines of the history under it (16 px over 13.6 px).
 */
test('offline, the history’s note on changes not synced yet reads as its lines', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser);
  await signInToProject(page, person('Ana', orgFor('history-note'), 'admin'), 'Trip', [
    'Book the train',
  ]);
  const detail = await openTask(page, 'Book the train');
  const history = detail.getByRole('region', { name: 'History of this task' });
  const line = history.getByRole('listitem').first();
  await expect(line).toContainText('You added this task');
  await context.setOffline(true);
  const notes = detail.getByLabel('Notes');
  await notes.fill('Window seat');
  await notes.blur();
  const note = history.getByText(
    'Changes not synced yet join the history once the server has them.',
  );
  await expect(note).toBeVisible();
  const size = (el: Element) => getComputedStyle(el).fontSize;
  expect(await note.evaluate(size)).toBe(await line.evaluate(size));
  await context.close();
});
