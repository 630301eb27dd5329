import type { TaskStatus } from '@outpost/shared';

/**
 * A task's status as every screen names it (sections, filters, the detail, the feed, the bulk
 * bar, toasts): one word for a finished task, "Completed", though the data value is `done`.
 */
export const STATUS_LABEL: Record<TaskStatus, string> = {
  todo: 'To do',
  doing: 'In progress',
  done: 'Completed',
};

/** "just now", "5 min ago", "3 h ago", else a date: short enough for a 360 px status bar. */
export function relativeTime(at: number | string | Date, now: number = Date.now()): string {
  const t = typeof at === 'number' ? at : new Date(at).getTime();
  const s = Math.round((now - t) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return shortDay(new Date(t), new Date(now));
}

/**
 * A formatter made on its first use, then kept (each `toLocale…String` call builds one, ~0.1 ms
 * per row). Not at module load: the first `Intl` object a page makes costs 40–60 ms (ICU starts),
 * four times that on a throttled phone, and a screen without a date should not pay it at boot.
 */
export function lazily<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

import { count } from './count';

export { count };

/**
 * A size as a storage panel says it: "512 KB", "1.4 MB", "10 GB" (1 KB = 1,024 bytes, as the
 * browser's quota is counted). Without `Intl`, as `count`.
 */
export function bytesLabel(n: number): string {
  const KB = 1024;
  const MB = KB * 1024;
  const GB = MB * 1024;
  // The unit is chosen after rounding: 1,023.96 MB reads "1 GB", not "1,024.0 MB".
  if (Math.round(n / KB) < 1024) return `${count(Math.round(n / KB))} KB`;
  const [unit, size] = Math.round((n / MB) * 10) < 10_240 ? ['MB', n / MB] : ['GB', n / GB];
  const [whole, tenth] = size.toFixed(1).split('.') as [string, string];
  return `${count(Number(whole))}${tenth === '0' && unit === 'GB' ? '' : `.${tenth}`} ${unit}`;
}

/** Shows any JSON-ish value briefly (conflict losers can be strings, null, dates …). */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '(empty)';
  if (typeof v === 'string') return v === '' ? '(empty)' : `“${v}”`;
  return JSON.stringify(v);
}

/** Today as `YYYY-MM-DD` in the device's time zone (due dates are calendar dates). */
export function todayIso(now: Date = new Date()): string {
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${m}-${d}`;
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return todayIso(new Date(y, m - 1, d + days));
}

export type DueTone = 'overdue' | 'today' | 'soon' | '';

/** The browser's language ("en-US"), or undefined outside one. */
const browserLanguage = (): string | undefined =>
  typeof navigator === 'undefined' ? undefined : navigator.language;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** How `dayLabel` writes a day: with its weekday, its year, or both; `long` spells them out. */
interface DayParts {
  weekday: boolean;
  year: boolean;
  long?: boolean;
}

/** The device's formatter for each combination of `DayParts`, made on first use. */
const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * A calendar day as the device's language writes it: short ("Dec 5", "Fri, Dec 4, 2027") or
 * `long` ("Friday, December 4, 2027"). In American English (`locale`, by default the browser's)
 * it is written here, exactly as Intl writes it there (format.test.ts holds them equal for every
 * day of two years): a list of tasks with due dates, or the Activity feed, then shows without
 * starting ICU (see `lazily`). Any other language: Intl.
 */
export function dayLabel(date: Date, parts: DayParts, locale = browserLanguage()): string {
  const width = parts.long ? 'long' : 'short';
  if (locale === 'en-US') {
    const name = (names: string[], i: number) => (parts.long ? names[i]! : names[i]!.slice(0, 3));
    const day = `${name(MONTHS, date.getMonth())} ${date.getDate()}`;
    const dated = parts.year ? `${day}, ${date.getFullYear()}` : day;
    return parts.weekday ? `${name(WEEKDAYS, date.getDay())}, ${dated}` : dated;
  }
  const key = `${parts.weekday} ${parts.year} ${width}`;
  let format = DAY_FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      ...(parts.weekday ? { weekday: width } : {}),
      day: 'numeric',
      month: width,
      ...(parts.year ? { year: 'numeric' } : {}),
    });
    DAY_FORMATS.set(key, format);
  }
  return format.format(date);
}

const TIME = lazily(
  () => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }),
);

/**
 * A time of day as the device's language writes it ("9:05 PM", "21:05"): in American English
 * written here, exactly as Intl writes it there (as `dayLabel`), so the Activity feed opens
 * without starting ICU; any other language through Intl.
 */
export function timeLabel(date: Date, locale = browserLanguage()): string {
  if (locale !== 'en-US') return TIME().format(date);
  const h = date.getHours();
  return `${h % 12 || 12}:${String(date.getMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}

/** "Dec 2", with its year when that is not `now`'s ("Dec 30, 2025"). */
function shortDay(date: Date, now: Date, locale = browserLanguage()): string {
  return dayLabel(date, { weekday: false, year: date.getFullYear() !== now.getFullYear() }, locale);
}

/**
 * When something happened, for a line that reads "Synced …": "at 9:05 PM" earlier today,
 * "yesterday at 9:05 PM", else "on Dec 2" — a time alone would read as today's.
 */
export function whenLabel(at: number, now: number, locale = browserLanguage()): string {
  const date = new Date(at);
  const today = new Date(now);
  const day = todayIso(date);
  if (day === todayIso(today)) return `at ${timeLabel(date, locale)}`;
  if (day === addDays(todayIso(today), -1)) return `yesterday at ${timeLabel(date, locale)}`;
  return `on ${shortDay(date, today, locale)}`;
}

/** A due date as a short label with a tone: overdue and today stand out. */
export function dueInfo(
  dueDate: string | null,
  today: string,
  done = false,
): { text: string; tone: DueTone } | null {
  if (!dueDate) return null;
  const [y, m, d] = dueDate.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  // The year is said when it is not today's (the day given, not the machine's clock).
  const short = dayLabel(date, { weekday: false, year: dueDate.slice(0, 4) !== today.slice(0, 4) });
  if (done) return { text: short, tone: '' };
  if (dueDate < today) return { text: `Overdue · ${short}`, tone: 'overdue' };
  if (dueDate === today) return { text: 'Today', tone: 'today' };
  if (dueDate === addDays(today, 1)) return { text: 'Tomorrow', tone: 'soon' };
  // Within the coming week a day goes by its name ("Friday"), as Things and Todoist say it:
  // nobody has to work out which day "Dec 7" is. From a week on, the date.
  if (dueDate <= addDays(today, 6)) return { text: weekdayName(date), tone: '' };
  return { text: short, tone: '' };
}

/**
 * A due date just set, as its row now shows it (`dueInfo`), to follow "due" in a toast: "today",
 * "tomorrow", "Friday", "Dec 14"; a day gone by, its date ("due Dec 2", the row's "Overdue · Dec 2").
 */
export function dueWords(dueDate: string, today: string): string {
  const info = dueInfo(dueDate, today);
  if (!info) return dueDate;
  if (info.tone === 'overdue') return dueInfo(dueDate, today, true)!.text;
  return info.tone === 'today' || info.tone === 'soon' ? info.text.toLowerCase() : info.text;
}

/** "Friday": in American English written here (as `dayLabel`), any other language through Intl. */
export function weekdayName(date: Date, locale = browserLanguage()): string {
  if (locale === 'en-US') return WEEKDAYS[date.getDay()]!;
  let format = DAY_FORMATS.get('weekday');
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
    DAY_FORMATS.set('weekday', format);
  }
  return format.format(date);
}

/**
 * A day about to be set as a due date, with its weekday (the words "fri" or "in 3 days" are
 * checked against it): "today", "tomorrow", "yesterday", "Fri, Dec 4".
 */
export function dueDay(dueDate: string, today: string): string {
  if (dueDate === today) return 'today';
  if (dueDate === addDays(today, 1)) return 'tomorrow';
  if (dueDate === addDays(today, -1)) return 'yesterday';
  const [y, m, d] = dueDate.split('-').map(Number) as [number, number, number];
  return dayLabel(new Date(y, m - 1, d), {
    weekday: true,
    year: dueDate.slice(0, 4) !== today.slice(0, 4),
  });
}

/**
 * A person's initials, for an avatar or a compact assignee mark: the first letters of the first
 * and last of the words that start with a letter — "Ana Lopez" → "AL", "Walker 360" → "W" (not
 * "W3"), "🎉 Ana" → "A", "Мария Иванова" → "МИ", "李小龙" → "李". With no such word, the
 * email's ("ana@example.com" → "A"), else "?".
 */
export function initials(name: string, email = ''): string {
  const fromName = wordInitials(name, /\s+/u);
  const letters = fromName.length
    ? fromName
    : wordInitials(email.split('@')[0] ?? '', /[^\p{L}\p{N}]+/u).slice(0, 1);
  return letters.length > 1 ? letters[0]! + letters.at(-1)! : (letters[0] ?? '?');
}

/**
 * The first letter, upper case, of each word of `text` that starts with a letter once the
 * punctuation and symbols before it are set aside ("(Ana)", "🎉Ana": A; "360": none).
 */
function wordInitials(text: string, between: RegExp): string[] {
  return text
    .normalize('NFC')
    .split(between)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter((w) => /^\p{L}/u.test(w))
    .map((w) => [...w][0]!.toLocaleUpperCase());
}

/** "creating a task" → "Creating a task". */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The first three of a list, then how many more: "a, b, c and 4 more"; shorter as `andList`. */
export function firstAndMore(parts: readonly string[]): string {
  const more = parts.length - 3;
  return more > 0 ? `${parts.slice(0, 3).join(', ')} and ${more} more` : andList(parts);
}

/** "a", "a and b", "a, b and c" (nothing for none). */
export function andList(parts: readonly string[]): string {
  return parts.length < 2
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
