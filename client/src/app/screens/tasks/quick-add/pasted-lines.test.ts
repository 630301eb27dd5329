import { describe, expect, it } from 'vitest';
import { PASTED_TASKS_MAX, pastedLines } from './pasted-lines';

describe('pastedLines', () => {
  it('reads each line as a task, trimmed, blank lines skipped', () => {
    expect(pastedLines('Milk\n  Eggs \r\n\r\nBread\r')).toEqual(['Milk', 'Eggs', 'Bread']);
  });
  it('takes off list markers and check boxes, keeping what follows', () => {
    expect(
      pastedLines('- Milk\n* Eggs\n• Bread\n1. Jam fri\n12) Tea\n- [ ] Rice\n[x] Salt\n-5 degrees'),
    ).toEqual(['Milk', 'Eggs', 'Bread', 'Jam fri', 'Tea', 'Rice', 'Salt', '-5 degrees']);
  });
  it('is not a list with one line of words, however many line breaks', () => {
    expect(pastedLines('Milk')).toBeNull();
    expect(pastedLines('\n  Milk  \n\n')).toBeNull();
    expect(pastedLines('- \nMilk')).toBeNull();
  });
  it(`is not a list past ${PASTED_TASKS_MAX} lines`, () => {
    const lines = Array.from({ length: PASTED_TASKS_MAX }, (_, i) => `Task ${i}`);
    expect(pastedLines(lines.join('\n'))).toHaveLength(PASTED_TASKS_MAX);
    expect(pastedLines([...lines, 'one more'].join('\n'))).toBeNull();
  });
});
