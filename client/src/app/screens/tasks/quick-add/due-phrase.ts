/**
 * Due dates typed into a quick-add title ("Call the bank tomorrow"): English phrases at word
 * boundaries, resolved against a given today. Pure: no clock, no locale.
 */

/** A date phrase found in the text: where it is, as typed, and the day it names. */
export interface DuePhrase {
  start: number;
  end: number;
  /** The words as typed ("Tomorrow", "on fri", "dec 5"). */
  text: string;
  /** `YYYY-MM-DD`. */
  date: string;
}

const DAY_MS = 86_400_000;

const toIso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function fromIso(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** The day, if it exists and is a due date's year (1900–9999, as the shared schema takes). */
function dayOf(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const at = new Date(Date.UTC(y, m - 1, d));
  if (at.getUTCMonth() !== m - 1) return null;
  // Date.UTC reads years 0–99 as 19xx; the range above keeps those out.
  return toIso(at.getTime());
}

// "sat", "sun" and "wed" are left out: "Buy sun cream", "Sat exam", "Wed in June" are titles.
const WEEKDAYS: readonly [RegExp, number][] = [
  [/^sun(day)?$/, 0],
  [/^mon(day)?$/, 1],
  [/^tue(s|sday)?$/, 2],
  [/^wed(nesday)?$/, 3],
  [/^thu(r|rs|rsday)?$/, 4],
  [/^fri(day)?$/, 5],
  [/^sat(urday)?$/, 6],
];
const WEEKDAY_WORDS =
  'monday|mon|tuesday|tues|tue|wednesday|thursday|thurs|thur|thu|friday|fri|saturday|sunday';

const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;
const MONTH_WORDS =
  'january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec';
const monthOf = (word: string): number => MONTHS.indexOf(word.slice(0, 3) as never) + 1;

// A phrase is whole words: not inside a word, a hyphenated word ("Monday-morning"), a
// possessive ("yesterday's notes", "today’s call"), a mention, a path or a number.
const BEFORE = String.raw`(?<![\p{L}\p{N}_@/\-.])`;
const AFTER = String.raw`(?![\p{L}\p{N}_@/\-]|['’]\p{L}|\.[\p{L}\p{N}])`;
const DAY_NUMBER = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?:,?\s+(\d{4}))?`;

// The words that lead into a date belong to the phrase, so they leave the title with it:
// "Report on Friday", "Submit it by fri", "Invoice due dec 5", "Reply due by tomorrow".
const LEAD = String.raw`(?:(?:due\s+)?(?:on|by)\s+|due\s+)?`;
// Not "on today": by and due only.
const LEAD_NEAR = String.raw`(?:(?:due\s+)?by\s+|due\s+)?`;

type Resolve = (m: RegExpExecArray, today: string) => string | null;

/**
 * The next such weekday after today (never today itself: "fri" on a Friday is next week's);
 * `orToday`: today too ("this fri" on a Friday is today).
 */
function nextWeekday(today: string, weekday: number, orToday = false): string {
  const t = fromIso(today);
  const now = new Date(t).getUTCDay();
  const ahead = (weekday - now + 7) % 7 || (orToday ? 0 : 7);
  return toIso(t + ahead * DAY_MS);
}

function weekdayOf(word: string): number | null {
  const lower = word.toLowerCase();
  return WEEKDAYS.find(([re]) => re.test(lower))?.[1] ?? null;
}

/** A month and day without a year: this year's, or next year's once this year's has passed. */
function monthDay(
  today: string,
  month: number,
  day: number,
  year: string | undefined,
): string | null {
  if (year) return dayOf(Number(year), month, day);
  const y = Number(today.slice(0, 4));
  const thisYear = dayOf(y, month, day);
  if (thisYear && thisYear >= today) return thisYear;
  return dayOf(y + 1, month, day);
}

const PATTERNS: readonly [RegExp, Resolve][] = [
  [new RegExp(`${LEAD_NEAR}(?:today|tonight)`), (_, today) => today],
  // A task that was due yesterday is overdue from the start: it is still a task.
  [new RegExp(`${LEAD_NEAR}yesterday`), (_, today) => toIso(fromIso(today) - DAY_MS)],
  [new RegExp(`${LEAD_NEAR}(?:tomorrow|tmrw|tmr)`), (_, today) => toIso(fromIso(today) + DAY_MS)],
  [new RegExp(`${LEAD_NEAR}next week`), (_, today) => nextWeekday(today, 1)],
  [
    /in (\d{1,3}|a|one) (day|week)s?/,
    (m, today) => {
      const n = /^\d/.test(m[1]!) ? Number(m[1]) : 1;
      const days = m[2]!.toLowerCase() === 'week' ? n * 7 : n;
      return days > 0 ? toIso(fromIso(today) + days * DAY_MS) : null;
    },
  ],
  // "next fri" is left as text: it reads as this coming Friday to some, a week later to others.
  [
    new RegExp(String.raw`(?<!next\s+)${LEAD}(${WEEKDAY_WORDS})`),
    (m, today) => {
      const weekday = weekdayOf(m[1]!);
      return weekday === null ? null : nextWeekday(today, weekday);
    },
  ],
  // "this fri" is this week's Friday: the "this" leaves the title with it.
  [
    new RegExp(String.raw`${LEAD}this\s+(${WEEKDAY_WORDS})`),
    (m, today) => {
      const weekday = weekdayOf(m[1]!);
      return weekday === null ? null : nextWeekday(today, weekday, true);
    },
  ],
  [
    new RegExp(String.raw`${LEAD}(${MONTH_WORDS})\.?\s+${DAY_NUMBER}${YEAR}`),
    (m, today) => monthDay(today, monthOf(m[1]!.toLowerCase()), Number(m[2]), m[3]),
  ],
  [
    new RegExp(String.raw`${LEAD}${DAY_NUMBER}\s+(${MONTH_WORDS})\.?${YEAR}`),
    (m, today) => monthDay(today, monthOf(m[2]!.toLowerCase()), Number(m[1]), m[3]),
  ],
  [
    new RegExp(String.raw`${LEAD}(\d{4})-(\d{2})-(\d{2})`),
    (m) => dayOf(Number(m[1]), Number(m[2]), Number(m[3])),
  ],
];

const COMPILED = PATTERNS.map(
  ([re, resolve]) => [new RegExp(`${BEFORE}(?:${re.source})${AFTER}`, 'giu'), resolve] as const,
);

/**
 * Every date phrase in the text, in order; where two overlap, the longer ("dec 5 2027" over
 * "dec 5", "on fri" over "fri"). Words that look like a date but name no day (feb 30) are text.
 */
export function findDuePhrases(text: string, today: string): DuePhrase[] {
  // No words, no date — and the patterns are not run: their first run compiles them (their
  // case-insensitive Unicode letter classes took 50–200 ms of one task on a loaded machine),
  // and quick add's empty title was read so as every project opened.
  if (text.trim() === '') return [];
  const found: DuePhrase[] = [];
  for (const [re, resolve] of COMPILED) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const date = resolve(m, today);
      if (date) found.push({ start: m.index, end: m.index + m[0].length, text: m[0], date });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: DuePhrase[] = [];
  for (const p of found) {
    const last = out.at(-1);
    if (last && p.start < last.end) {
      if (p.end - p.start > last.end - last.start) out[out.length - 1] = p;
      continue;
    }
    out.push(p);
  }
  return out;
}

/**
 * Compiles the patterns ahead of the first word typed (quick add's field focused), so that
 * keystroke does not wait for it.
 */
export function warmDuePhrases(): void {
  findDuePhrases('due 1', '2000-01-01');
}

/**
 * A due date typed on its own, as in the task detail's field: the whole text is one date phrase
 * ("tomorrow", "fri", "dec 24", "in 3 days", "2026-12-24"), read as quick add reads it; null
 * when it is anything else.
 */
export function readDueDate(text: string, today: string): string | null {
  const words = text.trim();
  const found = findDuePhrases(words, today);
  const only = found.length === 1 ? found[0]! : null;
  return only && only.start === 0 && only.end === words.length ? only.date : null;
}
