import { CHROMIUM_ARGS as ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

export { CHROMIUM_PATH };

/** Headless Debian Chromium as every bench launches it (no downloads, no background traffic). */
export const CHROMIUM_ARGS = ['--headless', ...ARGS];
