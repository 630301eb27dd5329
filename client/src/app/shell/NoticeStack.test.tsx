// @vitest-environment happy-dom
import { act, useRef } from 'react';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../testing/test-root';
import { useInertBehind } from '../ui/sheet-inert';
import { NoticeStack } from './NoticeStack';

const t = testRoot();

/** The page as wide as `width` (the phone layout is 560 px and under). */
function viewport(width: number) {
  (
    window as unknown as { happyDOM: { setViewport(v: { width: number }): void } }
  ).happyDOM.setViewport({
    width,
  });
}

function render(kinds: readonly string[]) {
  act(() =>
    t.root.render(
      <NoticeStack>
        {kinds.map((kind, i) => (
          <div key={i} className="notice" data-kind={kind}>
            <p>Notice {i + 1}</p>
            <button type="button">Copy text</button>
          </div>
        ))}
      </NoticeStack>,
    ),
  );
}

const more = () => t.host.querySelector<HTMLButtonElement>('button.notices-more');
const folded = () => t.host.querySelector('.notice-stack')!.classList.contains('folded');

describe('NoticeStack (several notices at once)', () => {
  it('on a phone, a refused task, a project’s delete and an archive fold behind "2 more notices", which opens them', () => {
    viewport(360);
    render(['archived-meanwhile', 'rejected', 'conflict']);
    expect(more()?.textContent).toBe('2 more notices');
    expect(more()?.getAttribute('aria-expanded')).toBe('false');
    expect(folded()).toBe(true);
    // Before the notices it opens, in the focus order.
    const order = [...t.host.querySelectorAll('button')].map((b) => b.textContent);
    expect(order[0]).toBe('2 more notices');
    act(() => more()!.click());
    expect(folded()).toBe(false);
    expect(more()?.textContent).toBe('Show only the newest notice');
    expect(more()?.getAttribute('aria-expanded')).toBe('true');
  });

  it('names the kinds folded when that fits on one line at 360 px', () => {
    viewport(360);
    render(['conflict', 'rejected', 'archived-meanwhile']);
    expect(more()?.textContent).toBe('2 more: a conflict, a refused change');
    expect(more()?.getAttribute('aria-expanded')).toBe('false');
  });

  it('says "conflicts" when every notice folded is one', () => {
    viewport(360);
    render(['conflict', 'conflict']);
    expect(more()?.textContent).toBe('1 more conflict');
  });

  it('wide, all show and there is nothing to open', () => {
    viewport(1280);
    render(['archived-meanwhile', 'rejected', 'conflict']);
    expect(more()).toBeNull();
    expect(folded()).toBe(false);
  });
});

describe('NoticeStack under a sheet', () => {
  it('on a phone, opened, folds back to the newest when a task sheet comes over the page; "2 more notices" still opens them', () => {
    viewport(360);
    function Sheet() {
      const panel = useRef<HTMLDivElement>(null);
      useInertBehind(panel, '(max-width: 899px)');
      return <div ref={panel} className="task-detail" />;
    }
    const page = (sheet: boolean) => (
      <>
        <main>{sheet && <Sheet />}</main>
        <NoticeStack>
          {['rejected', 'conflict', 'archived-meanwhile'].map((kind, i) => (
            <div key={i} className="notice" data-kind={kind}>
              <p>Notice {i + 1}</p>
            </div>
          ))}
        </NoticeStack>
      </>
    );
    act(() => t.root.render(page(false)));
    act(() => more()!.click());
    expect(folded()).toBe(false);
    act(() => t.root.render(page(true)));
    expect(folded()).toBe(true);
    expect(more()?.getAttribute('aria-expanded')).toBe('false');
    // Opened again over the sheet, it stays open: the person asked for them there.
    act(() => more()!.click());
    expect(folded()).toBe(false);
  });
});
