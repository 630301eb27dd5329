import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';

export interface MenuAction {
  label: string;
  run(): void;
  danger?: boolean;
}

/**
 * A button that opens a short menu of actions (the WAI-ARIA menu button): Enter, Space or ↓
 * open it on the first item, ↑ on the last; ↑ ↓ Home End and a first letter move; Enter or
 * Space choose; Escape closes with nothing done and focus back on the button, as do a tap
 * outside and Tab (focus moves on). A chosen action runs with focus on the button, so a dialog
 * it opens hands focus back there.
 * A `heading` (the account menu's name and email) shows above the items as text, not an item:
 * the keys pass it by, and the menu is described by it.
 */
export function MenuButton({
  label,
  actions,
  buttonRef,
  className,
  children,
  heading,
}: {
  /** The button's accessible name ("More actions"). */
  label: string;
  actions: readonly MenuAction[];
  buttonRef?: Ref<HTMLButtonElement>;
  className?: string;
  /** What the button shows (hidden from assistive technology: `label` names it); ⋯ if none. */
  children?: ReactNode;
  /** Text shown at the top of the open menu, above the items. */
  heading?: ReactNode;
}) {
  const [open, setOpen] = useState<'first' | 'last' | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement | null>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const buttonId = useId();
  const headingId = useId();
  const items = () => menuItems(menu.current);

  useEffect(() => {
    if (!open) return;
    const all = menuItems(menu.current);
    (open === 'first' ? all[0] : all.at(-1))?.focus();
    // A press anywhere else closes it (focus stays where that press puts it).
    const outside = (e: PointerEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(null);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const close = () => {
    setOpen(null);
    button.current?.focus();
  };
  const move = (e: KeyboardEvent<HTMLElement>) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    let to: number | null = null;
    if (e.key === 'ArrowDown') to = (at + 1) % all.length;
    else if (e.key === 'ArrowUp') to = (at - 1 + all.length) % all.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = all.length - 1;
    else if (e.key === 'Escape') {
      e.preventDefault();
      return close();
    } else if (e.key === 'Tab') return setOpen(null);
    else if (e.key.length === 1 && e.key !== ' ' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // A letter goes to the next item starting with it (and is no page shortcut meanwhile).
      e.preventDefault();
      const key = e.key.toLowerCase();
      const from = [...all.slice(at + 1), ...all.slice(0, at + 1)];
      from.find((el) => el.textContent?.trim().toLowerCase().startsWith(key))?.focus();
      return;
    }
    if (to === null) return;
    e.preventDefault();
    all[to]?.focus();
  };

  return (
    <div
      ref={wrap}
      className={`menu-button${className ? ` ${className}` : ''}`}
      onBlur={(e) => {
        if (open && !wrap.current?.contains(e.relatedTarget as Node | null)) setOpen(null);
      }}
    >
      <button
        ref={(el) => {
          button.current = el;
          if (typeof buttonRef === 'function') buttonRef(el);
          else if (buttonRef) buttonRef.current = el;
        }}
        id={buttonId}
        type="button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(null) : setOpen('first'))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(e.key === 'ArrowDown' ? 'first' : 'last');
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            setOpen(null);
          }
        }}
      >
        <span aria-hidden="true">{children ?? '⋯'}</span>
      </button>
      {open && heading === undefined && list(move)}
      {open && heading !== undefined && (
        // A press on the text keeps focus in here (so the menu stays open); the keys still move.
        <div className="menu-card" tabIndex={-1} onKeyDown={move}>
          <div className="menu-heading" id={headingId}>
            {heading}
          </div>
          {list(undefined, headingId)}
        </div>
      )}
    </div>
  );

  function list(onKeyDown?: (e: KeyboardEvent<HTMLElement>) => void, describedBy?: string) {
    return (
      <ul
        ref={menu}
        id={menuId}
        role="menu"
        aria-labelledby={buttonId}
        aria-describedby={describedBy}
        onKeyDown={onKeyDown}
      >
        {actions.map((a) => (
          <li key={a.label} role="none">
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={a.danger ? 'danger' : undefined}
              onClick={() => {
                close();
                a.run();
              }}
            >
              {a.label}
            </button>
          </li>
        ))}
      </ul>
    );
  }
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
}
