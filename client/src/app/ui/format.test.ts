import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  initials,
  bytesLabel,
  count,
  dayLabel,
  dueInfo,
  lazily,
  relativeTime,
  timeLabel,
  weekdayName,
  whenLabel,
} from './format';

describe('count', () => {
  it('groups whole numbers as en-US does', () => {
    const en = new Intl.NumberFormat('en-US');
    for (const n of [
      0, 7, 999, 1000, 2000, 12_345, 999_999, 1_000_000, 1_234_567_890, -1, -1234, -999_999,
    ])
      expect(count(n)).toBe(en.format(n));
  });

  it('leaves what is not a whole number as it is', () => {
    expect(count(1.5)).toBe('1.5');
    expect(count(Number.NaN)).toBe('NaN');
  });
});

describe('lazily', () => {
  it('makes its value on the first call only, and keeps it', () => {
    let made = 0;
    const get = lazily(() => ({ n: ++made }));
    expect(made).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(made).toBe(1);
  });
});

describe('loading the formatting modules', () => {
  const real = { DateTimeFormat: Intl.DateTimeFormat, NumberFormat: Intl.NumberFormat };
  afterEach(() => Object.assign(Intl, real));

  /** Counts the formatters of `name` made from now on. */
  function counted(name: keyof typeof real): { made: number } {
    const tally = { made: 0 };
    Object.assign(Intl, {
      [name]: new Proxy(real[name], {
        construct(target, args: unknown[]) {
          tally.made++;
          return Reflect.construct(target, args) as object;
        },
      }),
    });
    return tally;
  }

  // The first Intl object a page makes starts ICU (40–60 ms, more on a phone): not at boot.
  it('makes no Intl formatter', async () => {
    vi.resetModules();
    const dates = counted('DateTimeFormat');
    const numbers = counted('NumberFormat');
    const { dueInfo } = await import('./format');
    await import('../screens/activity/ActivityItem');
    expect(dates.made).toBe(0);
    expect(numbers.made).toBe(0);
    // Made when a date is first shown, once.
    expect(dueInfo('2031-03-05', '2031-01-01')?.text).toMatch(/5/);
    expect(dueInfo('2031-03-06', '2031-01-01')?.text).toMatch(/6/);
    expect(dates.made).toBe(1);
  });

  it('writes an American English day without Intl, and any other language with it', async () => {
    vi.resetModules();
    const dates = counted('DateTimeFormat');
    const { dayLabel: label } = await import('./format');
    const parts = { weekday: true, year: true };
    expect(label(new Date(2031, 2, 5), parts, 'en-US')).toBe('Wed, Mar 5, 2031');
    expect(dates.made).toBe(0);
    label(new Date(2031, 2, 5), parts, 'de-DE');
    label(new Date(2031, 2, 6), parts, 'de-DE');
    expect(dates.made).toBe(1);
  });

  it('writes an American English time without Intl, and any other language with it', async () => {
    vi.resetModules();
    const dates = counted('DateTimeFormat');
    const { timeLabel: label } = await import('./format');
    expect(label(new Date(2031, 2, 5, 0, 7), 'en-US')).toBe('12:07 AM');
    expect(dates.made).toBe(0);
    label(new Date(2031, 2, 5, 13, 7), 'de-DE');
    label(new Date(2031, 2, 5, 14, 7), 'de-DE');
    expect(dates.made).toBe(1);
  });
});

describe('dayLabel', () => {
  const combos = [false, true].flatMap((long) => [
    { weekday: false, year: false, long },
    { weekday: false, year: true, long },
    { weekday: true, year: false, long },
    { weekday: true, year: true, long },
  ]);

  it('writes American English exactly as Intl does, every day of two years', () => {
    for (const parts of combos) {
      const width = parts.long ? 'long' : 'short';
      const intl = new Intl.DateTimeFormat('en-US', {
        ...(parts.weekday ? { weekday: width } : {}),
        day: 'numeric',
        month: width,
        ...(parts.year ? { year: 'numeric' } : {}),
      });
      for (let day = new Date(2026, 0, 1); day.getFullYear() < 2028; day.setDate(day.getDate() + 1))
        expect(dayLabel(day, parts, 'en-US')).toBe(intl.format(day));
    }
    expect(dayLabel(new Date(2026, 11, 4), { weekday: true, year: false }, 'en-US')).toBe(
      'Fri, Dec 4',
    );
  });
});

describe('dueInfo', () => {
  // Thursday, December 3, 2026. The browser's language in these tests is not en-US: Intl writes.
  const today = '2026-12-03';
  const text = (due: string, done = false) => dueInfo(due, today, done)?.text;

  it('names a day of the coming week, and dates the rest', () => {
    expect(text('2026-12-03')).toBe('Today');
    expect(text('2026-12-04')).toBe('Tomorrow');
    expect(text('2026-12-05')).toBe(weekdayName(new Date(2026, 11, 5)));
    expect(text('2026-12-09')).toBe(weekdayName(new Date(2026, 11, 9)));
    expect(dueInfo('2026-12-09', today)?.tone).toBe('');
    // A week on, the weekday would be today's: the date.
    expect(text('2026-12-10')).toBe(
      dayLabel(new Date(2026, 11, 10), { weekday: false, year: false }),
    );
    expect(text('2026-12-01')).toMatch(/^Overdue · /);
    // A finished task's date is just its date.
    expect(text('2026-12-05', true)).toBe(
      dayLabel(new Date(2026, 11, 5), { weekday: false, year: false }),
    );
  });

  it("says the year when it is not the given day's, whatever the machine clock says", () => {
    expect(dueInfo('2031-03-05', '2031-01-01')?.text).toBe(
      dayLabel(new Date(2031, 2, 5), { weekday: false, year: false }),
    );
    expect(dueInfo('2032-03-05', '2031-01-01')?.text).toBe(
      dayLabel(new Date(2032, 2, 5), { weekday: false, year: true }),
    );
    // Across the new year, the coming week still goes by name.
    expect(dueInfo('2027-01-02', '2026-12-30')?.text).toBe(weekdayName(new Date(2027, 0, 2)));
  });

  it('writes American English weekdays as Intl does', () => {
    const intl = new Intl.DateTimeFormat('en-US', { weekday: 'long' });
    for (let d = 1; d <= 7; d++)
      expect(weekdayName(new Date(2026, 11, d), 'en-US')).toBe(intl.format(new Date(2026, 11, d)));
  });
});

describe('timeLabel', () => {
  it('writes American English exactly as Intl does, every minute of a day', () => {
    const intl = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });
    for (let m = 0; m < 24 * 60; m++) {
      const at = new Date(2026, 11, 2, 0, m);
      expect(timeLabel(at, 'en-US')).toBe(intl.format(at));
    }
    expect(timeLabel(new Date(2026, 11, 2, 21, 5), 'en-US')).toBe('9:05 PM');
  });
});

describe('whenLabel', () => {
  const now = new Date(2026, 11, 3, 0, 20).getTime();
  const at = (...parts: [number, number, number, number, number]) => new Date(...parts).getTime();

  it('says the time today, "yesterday" the day before, else the day', () => {
    expect(whenLabel(at(2026, 11, 3, 0, 5), now, 'en-US')).toBe('at 12:05 AM');
    expect(whenLabel(at(2026, 11, 2, 21, 5), now, 'en-US')).toBe('yesterday at 9:05 PM');
    expect(whenLabel(at(2026, 10, 28, 9, 0), now, 'en-US')).toBe('on Nov 28');
    expect(whenLabel(at(2025, 11, 30, 9, 0), now, 'en-US')).toBe('on Dec 30, 2025');
  });

  it('writes a day older than a day the same way in relativeTime', () => {
    expect(relativeTime(at(2026, 10, 28, 9, 0), now)).toMatch(/28/);
    expect(relativeTime(at(2026, 10, 28, 9, 0), now)).not.toMatch(/\//);
  });
});

describe('bytesLabel', () => {
  it('says a size in the unit that reads best', () => {
    expect(bytesLabel(0)).toBe('0 KB');
    expect(bytesLabel(524_288)).toBe('512 KB');
    expect(bytesLabel(1_468_006)).toBe('1.4 MB');
    expect(bytesLabel(1023.9 * 1_048_576)).toBe('1,023.9 MB');
    expect(bytesLabel(1023.96 * 1_048_576)).toBe('1 GB');
    expect(bytesLabel(1023.6 * 1024)).toBe('1.0 MB');
    expect(bytesLabel(10_739_318_374)).toBe('10 GB');
    expect(bytesLabel(10.24 * 1_073_741_824)).toBe('10.2 GB');
    expect(bytesLabel(2048 * 1_073_741_824)).toBe('2,048 GB');
  });
});

describe('initials', () => {
  it('takes the first letters of the first and last words that start with a letter', () => {
    expect(initials('Ana Lopez')).toBe('AL');
    expect(initials('  ana   maría lópez ')).toBe('AL');
    // A word that starts with a digit or an emoji is no initial (Gmail and Slack show "W").
    expect(initials('Walker 360')).toBe('W');
    expect(initials('360 Walker')).toBe('W');
    expect(initials('🎉 Ana Lopez 🎉')).toBe('AL');
    expect(initials('Ana 🇪🇸')).toBe('A');
    // Punctuation or an emoji stuck to a word is set aside, not taken for its initial.
    expect(initials('(Ana) "Lopez"')).toBe('AL');
    expect(initials('🎉Ana 3D')).toBe('A');
  });

  it('keeps letters of any script whole, upper-cased where the script has case', () => {
    expect(initials('ana')).toBe('A');
    expect(initials('Émile Zola')).toBe('ÉZ');
    // Written decomposed (E + combining acute): still one letter, É.
    expect(initials('E\u0301mile')).toBe('É');
    expect(initials('мария иванова')).toBe('МИ');
    expect(initials('李小龙')).toBe('李');
    expect(initials('김 민수')).toBe('김민');
    expect(initials('𝒜lice')).toBe('𝒜');
  });

  it("falls back to the email's first letter, then to a question mark", () => {
    expect(initials('', 'ana.lopez@example.com')).toBe('A');
    expect(initials('   ', 'ana@example.com')).toBe('A');
    expect(initials('360', 'walker@example.com')).toBe('W');
    expect(initials('Ana', 'zed@example.com')).toBe('A');
    expect(initials('', '')).toBe('?');
    expect(initials('🎉 360')).toBe('?');
  });
});
