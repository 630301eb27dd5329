import { expect, test } from '@playwright/test';

test('the built app shell loads from the server and reaches the API', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Outpost' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/Server ok · storage sqlite/);
});

test('the server sends caching headers that let a PWA update', async ({ request }) => {
  const html = await request.get('/');
  expect(html.headers()['cache-control']).toBe('no-cache');
  const body = await html.text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(body)?.[1];
  expect(asset).toBeTruthy();
  const js = await request.get(asset!);
  expect(js.headers()['cache-control']).toContain('immutable');
});
