/**
 * The UI bench's measures, each run inside the page (performance.now, rAF, MutationObserver)
 * so the figures leave out Playwright's round trips. Each wait is bounded (see bounded.ts): a
 * step that does not finish fails naming itself and what was on screen.
 */
import type { Page } from '@playwright/test';
import { bounded, STEP_BOUND_MS } from './bounded';

/**
 * Reloads (cold: nothing of the project in memory), waits for the app to settle (online, the
 * main thread idle), then times a click on the project's link until task rows are painted.
 * `beforeClick` runs just before (the profiler starts there).
 */
export async function firstRows(
  page: Page,
  project: string,
  beforeClick?: () => Promise<void>,
): Promise<{ ms: number; elements: number; rows: number }> {
  const step = `opening "${project}"`;
  await bounded(page, `${step}: reload`, async () => {
    await page.goto(page.url().replace(/#.*$/, '#/'));
    await page.reload();
  });
  await bounded(page, `${step}: its link shown`, () =>
    page.getByRole('link', { name: project }).waitFor(),
  );
  await bounded(page, `${step}: synced`, () =>
    page.locator('[data-testid="connection"][data-state="synced"]').waitFor(),
  );
  await bounded(page, `${step}: main thread idle`, () =>
    page.evaluate(
      () =>
        new Promise((r) => requestIdleCallback(() => requestIdleCallback(r), { timeout: 2000 })),
    ),
  );
  await beforeClick?.();
  return bounded(page, `${step}: link clicked → first rows`, () => clickToFirstRows(page, project));
}

/**
 * Clicks the project's link (by its text) and times it until task rows are painted (the frame
 * after they are in the document), in the page: no Playwright round trip in the figure.
 */
export function clickToFirstRows(
  page: Page,
  project: string,
): Promise<{ ms: number; elements: number; rows: number }> {
  return page.evaluate(async (name) => {
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === name)!;
    const t0 = performance.now();
    link.click();
    await new Promise<void>((resolve) => {
      const done = () => document.querySelector('[data-task-id]') !== null;
      if (done()) return resolve();
      const mo = new MutationObserver(() => {
        if (done()) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(document.body, { childList: true, subtree: true });
    });
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const ms = performance.now() - t0;
    return {
      ms,
      elements: document.querySelectorAll('*').length,
      rows: document.querySelectorAll('[data-task-id]').length,
    };
  }, project);
}

/** Scrolls the page to the end, one step per frame; frame times from rAF timestamps. */
export async function scrollToEnd(
  page: Page,
  step: number,
): Promise<{ frames: number[]; maxRows: number; placeholderFrames: number }> {
  // Some 1,200 frames: at a load of 15-20 on 2 cores, 30 s was not enough (nor 120 s once).
  return bounded(
    page,
    'scrolling to the end',
    () =>
      page.evaluate(async (by) => {
        window.scrollTo(0, 0);
        const frames: number[] = [];
        let maxRows = 0;
        let placeholderFrames = 0;
        await new Promise<void>((resolve) => {
          let last = 0;
          const tick = (t: number) => {
            if (last) frames.push(t - last);
            last = t;
            maxRows = Math.max(maxRows, document.querySelectorAll('[data-task-id]').length);
            if (document.querySelector('.task-row.placeholder')) placeholderFrames++;
            if (
              window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2 &&
              frames.length > 5
            )
              return resolve();
            window.scrollBy(0, by);
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        return { frames, maxRows, placeholderFrames };
      }, step),
    6 * STEP_BOUND_MS,
  );
}

export async function idleFrames(page: Page, n: number): Promise<number[]> {
  return bounded(page, 'idle frames', () =>
    page.evaluate(async (count) => {
      const frames: number[] = [];
      await new Promise<void>((resolve) => {
        let last = 0;
        const tick = (t: number) => {
          if (last) frames.push(t - last);
          last = t;
          if (frames.length >= count) return resolve();
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return frames;
    }, n),
  );
}

/**
 * Ticks the first task row at the top of the list: ms until its box shows ticked, and until
 * the row has left its section (that section's heading count dropped, or the section is gone).
 */
export async function tick(
  page: Page,
): Promise<{ checked: number; moved: number; transactions: number; commits: number }> {
  return bounded(page, 'tick → row moved to Completed', () =>
    page.evaluate(async () => {
      window.scrollTo(0, 0);
      // Rows of a window still being read are placeholders: wait for the first real one.
      let row: HTMLElement | null = null;
      for (let i = 0; i < 600 && !row; i++) {
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        row = document.querySelector<HTMLElement>('[data-index="1"] [data-task-id]');
      }
      if (!row) throw new Error('the first task row never loaded');
      // Item 0 is the first section's heading, item 1 its first task.
      const head = document.querySelector('[data-index="0"]');
      const before = head!.textContent!;
      const id = row.dataset['taskId']!;
      const box = row.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
      const counts = (globalThis as { __benchCounts?: { transactions: number; commits: number } })
        .__benchCounts ?? { transactions: NaN, commits: NaN };
      const counted = { ...counts };
      const t0 = performance.now();
      box.click();
      let checked = Number.NaN;
      await new Promise<void>((resolve) => {
        const check = () => {
          const el = document.querySelector<HTMLInputElement>(
            `[data-task-id="${id}"] input[type="checkbox"]`,
          );
          if (Number.isNaN(checked) && (el?.checked || !el)) checked = performance.now() - t0;
          const heads = [...document.querySelectorAll('.task-section')].map((h) => h.textContent);
          return !heads.includes(before);
        };
        if (check()) return resolve();
        const mo = new MutationObserver(() => {
          if (check()) {
            mo.disconnect();
            resolve();
          }
        });
        mo.observe(document.body, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
        });
      });
      // What ran on the way: IndexedDB transactions opened and React commits until the move.
      return {
        checked,
        moved: performance.now() - t0,
        transactions: counts.transactions - counted.transactions,
        commits: counts.commits - counted.commits,
      };
    }),
  );
}

/** Types `q` into the search box: ms until the result heading shows `expected` matches. */
export async function search(page: Page, q: string, expected: number): Promise<number> {
  return bounded(page, `search "${q}" → ${expected} matching`, () =>
    page.evaluate(
      async ([text, n]) => {
        const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
        input.focus();
        const want = `${n.toLocaleString('en-US')} matching task${n === 1 ? '' : 's'}`;
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        const t0 = performance.now();
        setter.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise<void>((resolve) => {
          const done = () =>
            [...document.querySelectorAll('.task-section h3')].some((h) => h.textContent === want);
          if (done()) return resolve();
          const mo = new MutationObserver(() => {
            if (done()) {
              mo.disconnect();
              resolve();
            }
          });
          mo.observe(document.body, { childList: true, subtree: true, characterData: true });
        });
        return performance.now() - t0;
      },
      [q, expected] as const,
    ),
  );
}

export async function clearSearch(page: Page): Promise<void> {
  await bounded(page, 'search cleared → the open sections', async () => {
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
    await page
      .locator('.task-section h3', { hasText: /^(In progress|To do) \(/ })
      .first()
      .waitFor();
  });
}

/**
 * Scrolls to the end of the list (Completed collapsed, so the last "To do" rows are on
 * screen), submits a new task from the form, and times until its row is rendered.
 */
export async function newTask(page: Page, title: string): Promise<number> {
  return bounded(
    page,
    `new task "${title}" → its row shown`,
    () => newTaskIn(page, title),
    undefined,
    () => newTaskTrace(page, title),
  );
}

/** Where the new task is when its row is not shown: the list drawn, and the task in IndexedDB. */
function newTaskTrace(page: Page, title: string): Promise<string> {
  return page.evaluate(async (text) => {
    const drawn = [...document.querySelectorAll<HTMLElement>('[data-index]')].map((el) =>
      Number(el.dataset['index']),
    );
    const item = document.querySelector('[aria-setsize]');
    const dbs = (await indexedDB.databases())
      .map((d) => d.name!)
      .filter((n) => n.startsWith('outpost-'));
    const found: string[] = [];
    for (const name of dbs) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      if (!db.objectStoreNames.contains('tasks')) continue;
      const rows = await new Promise<
        { id: string; title: string; status: string; createdAt: string }[]
      >((resolve) => {
        const req = db.transaction('tasks').objectStore('tasks').getAll();
        req.onsuccess = () => resolve(req.result as never);
      });
      db.close();
      const row = rows.find((r) => r.title === text);
      const later = row ? rows.filter((r) => r.id > row.id).length : -1;
      found.push(
        row
          ? `${name}: ${row.id} ${row.status} created ${row.createdAt}, ${later} ids sort after it`
          : `${name}: not there`,
      );
    }
    return JSON.stringify({
      drawn: drawn.length ? `${Math.min(...drawn)}..${Math.max(...drawn)}` : 'none',
      listed: item?.getAttribute('aria-setsize'),
      listHeight: document.querySelector<HTMLElement>('.task-list')?.style.height,
      scrollY: window.scrollY,
      titleInDom: [...document.querySelectorAll('.task-title')].some(
        (el) => el.textContent === text,
      ),
      indexedDb: found,
    });
  }, title);
}

function newTaskIn(page: Page, title: string): Promise<number> {
  return page.evaluate(async (text) => {
    // Row heights are measured as they render, so the bottom moves: follow it until it stays,
    // with the page still at it and every row drawn read. The project opened just before shows
    // its first rows before its id lists are read: until then the end is placeholders, and a
    // place taken back when the ids come scrolls the page (the cursor's row centred) without
    // changing its height, so a page whose height alone stayed could be far from the end at
    // the submit, the new row never drawn.
    const settled = (height: number) =>
      document.documentElement.scrollHeight === height &&
      window.scrollY + window.innerHeight >= height - 2 &&
      !document.querySelector('.task-row.placeholder');
    for (let i = 0; i < 300; i++) {
      const last = document.documentElement.scrollHeight;
      window.scrollTo(0, last);
      for (let f = 0; f < 2; f++) await new Promise((r) => requestAnimationFrame(() => r(null)));
      if (settled(last)) break;
    }
    // A textarea that grows with the title (quick add).
    const input = document.querySelector<HTMLTextAreaElement>(
      'textarea[aria-label="New task title"]',
    )!;
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
    setter.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const t0 = performance.now();
    input.form!.requestSubmit();
    await new Promise<void>((resolve) => {
      const done = () =>
        [...document.querySelectorAll('[data-task-id] .task-title')].some(
          (el) => el.textContent === text,
        );
      if (done()) return resolve();
      const mo = new MutationObserver(() => {
        if (done()) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    return performance.now() - t0;
  }, title);
}

/** Scrolls down until the Completed header is rendered (it sits after every open row), expands it. */
export async function expandCompleted(page: Page): Promise<void> {
  const reached = await bounded(page, 'scrolling to the Completed header', () =>
    page.evaluate(async () => {
      // Row heights are measured as they render, so the bottom moves: follow it.
      for (let i = 0; i < 300 && !document.querySelector('button.section-toggle'); i++) {
        window.scrollTo(0, document.documentElement.scrollHeight);
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      return document.querySelector('button.section-toggle') !== null;
    }),
  );
  if (!reached) throw new Error('the Completed header never rendered');
  await bounded(page, 'Completed expanded', async () => {
    await page.locator('button.section-toggle').click();
    await page.locator('[aria-expanded="true"]').filter({ hasText: 'Completed' }).waitFor();
  });
}
