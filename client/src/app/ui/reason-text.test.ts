import { describe, expect, it } from 'vitest';
import { reasonIds, reasonText } from './reason-text';

const P = '01a232e9-d7fa-76da-8c56-f4b4c5651a4b';
const U = '01a232ea-8628-72b5-9769-1ae1f766865e';
const names = (id: string) => (id === P ? 'Doomed' : null);

describe('reasonText', () => {
  it('names a referenced row as it was, without its id or the field path', () => {
    expect(reasonText(`projectId: project ${P} is deleted`, names)).toBe(
      'the project “Doomed” is deleted',
    );
    expect(reasonText(`validation: projectId: project ${P} is deleted`, names)).toBe(
      'the project “Doomed” is deleted',
    );
    expect(reasonText(`its project ${P} was deleted`, names)).toBe(
      'its project “Doomed” was deleted',
    );
  });

  it('says the kind alone when the row is unknown, and calls users members', () => {
    expect(reasonText(`assigneeId: user ${U} is deleted`, names)).toBe('the member is deleted');
    expect(reasonText(`projectId: no project ${U} in this org`, names)).toBe(
      'no project in this org',
    );
  });

  it('says "you" for the reader, with the verb to match', () => {
    const ben = (id: string) => (id === U ? 'Ben' : null);
    expect(reasonText(`validation: assigneeId: user ${U} is deleted`, ben, U)).toBe(
      'you are deleted',
    );
    expect(
      reasonText(`its invitation was taken up by the user ${U}, who now has its email`, ben, U),
    ).toBe('its invitation was taken up by you, who now have its email');
    expect(reasonText(`assigneeId: user ${U} is deleted`, ben, P)).toBe(
      'the member “Ben” is deleted',
    );
    // "no user …" says no such member exists: never the reader.
    expect(reasonText(`assigneeId: no user ${U} in this org`, ben, U)).toBe(
      'no member “Ben” in this org',
    );
  });

  it('leaves a reason without ids as it is', () => {
    expect(reasonText('title: Too big: expected string to have <=500 characters', names)).toBe(
      'title: Too big: expected string to have <=500 characters',
    );
    expect(reasonIds('no ids here')).toEqual([]);
    expect(reasonIds(`x project ${P} and user ${U}`)).toEqual([P, U]);
  });
});
