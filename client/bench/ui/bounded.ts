/**
 * Every wait of the UI benches has a bound: a step that has not finished after `ms` fails with
 * its name and what the page shows (route, headings, rows drawn, focus, scroll, status line),
 * and a screenshot in the temp directory, instead of hanging the run.
 */
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';

export const STEP_BOUND_MS = 30_000;

/**
 * Runs `run`; rejects naming `step` and the screen if it fails or has not settled within `ms`.
 */
export async function bounded<T>(
  page: Page,
  step: string,
  run: () => Promise<T>,
  ms = STEP_BOUND_MS,
  /** More about the screen for this step (a trace of what it waits for). */
  more?: () => Promise<string>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const describe = async () => {
    const screen = await describeScreen(page);
    if (!more) return screen;
    const extra = await Promise.race([
      more().catch((err: unknown) => `(the trace failed: ${String(err)})`),
      new Promise<string>((r) =>
        setTimeout(() => r('(the trace did not answer within 5 s)'), 5_000),
      ),
    ]);
    return `${screen}\nStep trace: ${extra}`;
  };
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void describe().then((screen) =>
        reject(new Error(`${step}: not done after ${ms / 1000} s. On screen: ${screen}`)),
      );
    }, ms);
  });
  try {
    return await Promise.race([
      run().catch(async (err: unknown) => {
        // A step failing (a locator's own timeout) says what was on screen too.
        const screen = await describe();
        throw new Error(
          `${step}: ${err instanceof Error ? err.message : String(err)}\nOn screen: ${screen}`,
        );
      }),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the page shows, in one line, and where its screenshot is (5 s at most each). */
export async function describeScreen(page: Page): Promise<string> {
  const within = <T>(p: Promise<T>, fallback: T) =>
    Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), 5_000))]);
  const shot = path.join(os.tmpdir(), `outpost-ui-bench-${Date.now()}.png`);
  const saved = await within(
    page.screenshot({ path: shot, timeout: 5_000 }).then(
      () => true,
      () => false,
    ),
    false,
  );
  const screen = await within(
    page
      .evaluate(() => {
        const text = (el: Element | null) => el?.textContent?.trim().replace(/\s+/g, ' ') ?? '';
        const rows = [...document.querySelectorAll('[data-task-id]')];
        const active = document.activeElement;
        return JSON.stringify({
          route: location.hash,
          headings: [...document.querySelectorAll('h1, h2')].map(text),
          sections: [...document.querySelectorAll('.task-section')].map(text),
          rows: rows.length,
          placeholders: document.querySelectorAll('.task-row.placeholder').length,
          lastRows: rows.slice(-3).map((r) => text(r.querySelector('.task-title'))),
          newTaskInput:
            document.querySelector<HTMLTextAreaElement>('[aria-label="New task title"]')?.value ??
            null,
          focus: active
            ? `${active.tagName.toLowerCase()}${active.getAttribute('aria-label') ? `[${active.getAttribute('aria-label')}]` : ''}`
            : null,
          scroll: `${Math.round(window.scrollY)} + ${window.innerHeight} of ${document.documentElement.scrollHeight}`,
          status: text(document.querySelector('[data-testid="connection"]')),
          alerts: [...document.querySelectorAll('[role="alert"], [role="status"]')].map(text),
        });
      })
      .catch((err: unknown) => `(the page did not answer: ${String(err)})`),
    '(the page did not answer within 5 s)',
  );
  return `${screen}${saved ? ` — screenshot ${shot}` : ''}`;
}
