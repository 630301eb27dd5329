// Debian's Chromium, as the E2E tests, the benches and the Lighthouse gate launch it: browser
// downloads do not work here, and none of these runs may reach the network on its own.

/**
 * The Chromium binary (CHROMIUM_PATH, or CHROME_PATH as Lighthouse names it).
 * @type {string}
 */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH || process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * Flags for every launch: no sandbox (root in CI), no GPU, no background traffic.
 * @type {readonly string[]}
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
