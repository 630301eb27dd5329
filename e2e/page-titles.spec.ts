import { expect, test } from '@playwright/test';
import {
  addTask,
  closeTask,
  createProject,
  DESKTOP,
  newPhone,
  openTask,
  orgFor,
  person,
} from './helpers';

test('every screen titles the page (tab, history, screen reader): its name, then "Outpost"', async ({
  browser,
}) => {
  const { context, page } = await newPhone(browser, { viewport: DESKTOP });
  await page.goto('/');
  await expect(page).toHaveTitle('Sign in · Outpost');
  const who = person('Ana', orgFor('page-titles'), 'admin');
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Organization').fill(who.org);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', level: 2 })).toBeVisible();
  await expect(page).toHaveTitle('Projects · Outpost');

  await createProject(page, 'Website');
  await expect(page).toHaveTitle('Website · Outpost');
  await addTask(page, 'Fix login');
  // A task open: its title first, then where it is.
  await openTask(page, 'Fix login');
  await expect(page).toHaveTitle('Fix login · Website · Outpost');
  // Renamed, the title follows.
  const title = page.getByRole('complementary', { name: 'Task' }).getByLabel('Title');
  await title.fill('Fix sign-in');
  await title.press('Enter');
  await expect(page).toHaveTitle('Fix sign-in · Website · Outpost');
  await closeTask(page);
  await expect(page).toHaveTitle('Website · Outpost');

  const screens: [string, string][] = [
    ['#/activity', 'Activity · Outpost'],
    ['#/sync', 'Sync · Outpost'],
    ['#/resources', 'Resources · Outpost'],
    ['#/members', 'Members · Outpost'],
    ['#/search', 'Search · Outpost'],
    ['#/projects', 'Projects · Outpost'],
  ];
  for (const [hash, name] of screens) {
    await page.evaluate((h) => (window.location.hash = h), hash);
    await expect(page).toHaveTitle(name);
  }

  // Search with a task open names the task and its project, as a project's list does.
  await page.evaluate(() => (window.location.hash = '#/search'));
  await page.getByRole('searchbox', { name: 'Search all tasks' }).fill('sign-in');
  await openTask(page, 'Fix sign-in');
  await expect(page).toHaveTitle('Fix sign-in · Website · Outpost');
  await closeTask(page);
  await expect(page).toHaveTitle('Search · Outpost');
  await context.close();
});
