import { expect, test } from '@playwright/test';

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
