import { describe, expect, it } from 'vitest';
import { refusedPeople } from './refused-people';

describe('the people a group refused', () => {
  it('are found by their place in what was sent', () => {
    const error = {
      code: 'validation_failed' as const,
      fields: { 'memberIds.2': { reason: 'invalid' as const }, 'memberIds.0': { reason: 'invalid' as const } },
    };
    expect(refusedPeople(error, 'memberIds', ['ann', 'bo', 'cy'])).toEqual(['cy', 'ann']);
    expect(refusedPeople(error, 'userIds', ['ann', 'bo', 'cy'])).toEqual([]);
    expect(refusedPeople({ code: 'forbidden', fields: {} }, 'memberIds', ['ann'])).toEqual([]);
    expect(refusedPeople(null, 'memberIds', ['ann'])).toEqual([]);
  });
});
