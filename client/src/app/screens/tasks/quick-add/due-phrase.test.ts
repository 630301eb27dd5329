import { describe, expect, it, vi } from 'vitest';
import { findDuePhrases, readDueDate } from './due-phrase';

// Wednesday 2 December 2026.
const TODAY = '2026-12-02';

/** The phrase found last (as quick add takes it), or null. */
const last = (text: string, today = TODAY) => {
  const p = findDuePhrases(text, today).at(-1);
  return p ? [p.text, p.date] : null;
};

describe('date phrases in a quick-add title', () => {
  it.each([
    ['Call the bank today', ['today', '2026-12-02']],
    ['Call the bank Tomorrow', ['Tomorrow', '2026-12-03']],
    ['pay rent tmr', ['tmr', '2026-12-03']],
    // Overdue from the start, and still a task to do.
    ['Send the invoice yesterday', ['yesterday', '2026-12-01']],
    ['Send the invoice, due Yesterday', ['due Yesterday', '2026-12-01']],
    ['Call mom tonight', ['tonight', '2026-12-02']],
    ['pay rent tmrw', ['tmrw', '2026-12-03']],
    ['Standup mon', ['mon', '2026-12-07']],
    ['Standup monday', ['monday', '2026-12-07']],
    ['Report on Friday', ['on Friday', '2026-12-04']],
    ['Report fri.', ['fri', '2026-12-04']],
    ['Review thurs', ['thurs', '2026-12-03']],
    ['Review tue', ['tue', '2026-12-08']],
    ['Gym saturday', ['saturday', '2026-12-05']],
    ['Brunch sunday', ['sunday', '2026-12-06']],
    // A weekday is the next one, never today: Wednesday on a Wednesday is a week away.
    ['Bins wednesday', ['wednesday', '2026-12-09']],
    ['Report this friday', ['this friday', '2026-12-04']],
    ['Submit it by this Fri', ['by this Fri', '2026-12-04']],
    // This week's Wednesday, on a Wednesday, is today.
    ['Bins this wednesday', ['this wednesday', '2026-12-02']],
    ['Plan next week', ['next week', '2026-12-07']],
    ['Water plants in 3 days', ['in 3 days', '2026-12-05']],
    ['Water plants in 1 day', ['in 1 day', '2026-12-03']],
    ['Check in 2 weeks', ['in 2 weeks', '2026-12-16']],
    ['Check in a week', ['in a week', '2026-12-09']],
    ['Party dec 5', ['dec 5', '2026-12-05']],
    ['Party 5 dec', ['5 dec', '2026-12-05']],
    ['Party December 5th', ['December 5th', '2026-12-05']],
    ['Party on 24 Dec', ['on 24 Dec', '2026-12-24']],
    ['Party dec 2', ['dec 2', '2026-12-02']],
    // Already past this year: next year's.
    ['Taxes mar 31', ['mar 31', '2027-03-31']],
    ['Taxes 1 dec', ['1 dec', '2027-12-01']],
    ['Renew sept 9', ['sept 9', '2027-09-09']],
    ['Renew jan 5, 2028', ['jan 5, 2028', '2028-01-05']],
    ['Ship 2026-12-05', ['2026-12-05', '2026-12-05']],
    ['Audit 2025-01-31', ['2025-01-31', '2025-01-31']],
    ['Call the bank TODAY!', ['TODAY', '2026-12-02']],
    ['(tomorrow) call', ['tomorrow', '2026-12-03']],
    // The words leading into a date go with it.
    ['Submit the report by Friday', ['by Friday', '2026-12-04']],
    ['Invoice due dec 5', ['due dec 5', '2026-12-05']],
    ['Reply due by tomorrow', ['due by tomorrow', '2026-12-03']],
    ['Finish by today', ['by today', '2026-12-02']],
    ['Ship due on 2026-12-05', ['due on 2026-12-05', '2026-12-05']],
    ['Plan by next week', ['by next week', '2026-12-07']],
    ['Fees due 24 Dec', ['due 24 Dec', '2026-12-24']],
    // Not inside another word, and "on" only before a day that has a name or a number.
    ['Pay dues on fri', ['on fri', '2026-12-04']],
    ['Standby mon', ['mon', '2026-12-07']],
    ['Report on today', ['today', '2026-12-02']],
  ])('%s', (text, expected) => {
    expect(last(text)).toEqual(expected);
  });

  it.each([
    'Mayday drill',
    'Monday-morning notes',
    'Review 5 decisions',
    'Buy sun cream',
    'Sat exam results',
    'Wed in June',
    'Todays list',
    'Tomorrowland tickets',
    "Review yesterday's notes",
    'Prep today’s call',
    "Prep for today's standup",
    'Yesterdays gone',
    'Read mon.com terms',
    'Read /today/index',
    'Email ana@today.com',
    '@monday mention',
    'Order 12 mayonnaise',
    'Plan next friday',
    'Enjoy this sun',
    'Frisbee',
    'Monitor the build',
    'Feb 30 party',
    'Party 2026-02-30',
    'Party 1800-01-01',
    'Version 2026-12-05T10',
    'in 0 days',
    'in three days',
    'Decide',
  ])('%s stays text', (text) => {
    expect(last(text)).toBeNull();
  });

  it('finds every phrase, in order, with where it is', () => {
    expect(findDuePhrases('Move Monday meeting to tomorrow', TODAY)).toEqual([
      { start: 5, end: 11, text: 'Monday', date: '2026-12-07' },
      { start: 23, end: 31, text: 'tomorrow', date: '2026-12-03' },
    ]);
  });

  it('rolls over the end of a month and a year', () => {
    expect(last('x tomorrow', '2026-12-31')).toEqual(['tomorrow', '2027-01-01']);
    expect(last('x yesterday', '2027-01-01')).toEqual(['yesterday', '2026-12-31']);
    expect(last('x yesterday', '2028-03-01')).toEqual(['yesterday', '2028-02-29']);
    expect(last('x in 3 days', '2028-02-27')).toEqual(['in 3 days', '2028-03-01']);
    expect(last('x feb 29', '2026-12-02')).toBeNull();
    expect(last('x feb 29', '2027-03-01')).toEqual(['feb 29', '2028-02-29']);
  });
});

describe('a due date typed on its own', () => {
  it.each([
    ['tomorrow', '2026-12-03'],
    ['  Fri ', '2026-12-04'],
    ['yesterday', '2026-12-01'],
    ['dec 24', '2026-12-24'],
    ['24 Dec', '2026-12-24'],
    ['in 3 days', '2026-12-05'],
    ['next week', '2026-12-07'],
    ['by fri', '2026-12-04'],
    ['this friday', '2026-12-04'],
    ['2027-01-15', '2027-01-15'],
  ])('%s', (text, date) => {
    expect(readDueDate(text, TODAY)).toBe(date);
  });

  it.each(['', 'soon', 'fri please', 'call fri', 'fri dec 24', 'feb 30', 'next fri', '2026-13-01'])(
    '%s is not one',
    (text) => {
      expect(readDueDate(text, TODAY)).toBeNull();
    },
  );
});

describe('an empty title (quick add as a project opens)', () => {
  it('runs none of the patterns: their first run compiles them, one long task', () => {
    const exec = vi.spyOn(RegExp.prototype, 'exec');
    try {
      expect(findDuePhrases('', '2026-12-07')).toEqual([]);
      expect(findDuePhrases('   ', '2026-12-07')).toEqual([]);
      expect(exec).not.toHaveBeenCalled();
      // Words, and they run as ever.
      expect(findDuePhrases('Call mum fri', '2026-12-07').map((p) => p.text)).toEqual(['fri']);
      expect(exec).toHaveBeenCalled();
    } finally {
      exec.mockRestore();
    }
  });
});
