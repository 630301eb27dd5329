import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, newPhone, orgFor, person, screenshot, signIn } from './helpers';

test('the server sends caching headers that let the PWA update', async ({ request }) => {
  const html = await request.get('/');
  expect(html.headers()['cache-control']).toBe('no-cache');
  const body = await html.text();
  expect(body).toContain('rel="manifest"');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(body)?.[1];
  expect(asset).toBeTruthy();
  const js = await request.get(asset!);
  expect(js.headers()['cache-control']).toContain('immutable');
  // The service worker must always be revalidated, or a new deploy would never be noticed.
  const sw = await request.get('/sw.js');
  expect(sw.ok()).toBe(true);
  expect(sw.headers()['cache-control']).toBe('no-cache');
});

test('the web app manifest makes the app installable', async ({ request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.ok()).toBe(true);
  const manifest = (await res.json()) as {
    name: string;
    start_url: string;
    display: string;
    icons: { sizes: string; purpose?: string; src: string }[];
  };
  expect(manifest).toMatchObject({ name: 'Outpost', start_url: '/', display: 'standalone' });
  expect(manifest.icons.map((i) => `${i.sizes}:${i.purpose ?? 'any'}`)).toEqual(
    expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']),
  );
  for (const icon of manifest.icons) {
    const png = await request.get(icon.src);
    expect(png.headers()['content-type']).toBe('image/png');
  }
});

test('on a phone, when the app can be installed, the organization switcher keeps room for its name', async ({
  browser,
}) => {
  const org = orgFor('install-phone');
  const { page } = await newPhone(browser);
  await signIn(page, person('Ada', org));
  // Chromium offers installing (its event, as it sends it once the app is installable).
  await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: () => Promise.resolve(),
      userChoice: Promise.resolve({ outcome: 'dismissed' as const }),
    });
    window.dispatchEvent(offer);
  });
  const install = page.getByRole('button', { name: 'Install app' });
  await expect(install).toBeVisible();
  // The switcher shows the start of the org's name, not only its arrow (it was ~40 px wide).
  const switcher = page.getByRole('combobox', { name: 'Organization' });
  expect((await switcher.boundingBox())!.width).toBeGreaterThanOrEqual(90);
  await expectNoHorizontalScroll(page, 'top bar with Install');
  await screenshot(page, 'install-offered-360');
});
