import type { FormError } from '../api/errors';

/**
 * The people a group refused (`validation_failed` on `memberIds.N` or `userIds.N`: not someone
 * the user may add), found by their place in what was sent, so the form can name them.
 */
export function refusedPeople<Person>(
  error: FormError | null,
  field: 'memberIds' | 'userIds',
  sent: readonly Person[],
): Person[] {
  if (error?.code !== 'validation_failed') return [];
  return Object.keys(error.fields).flatMap((path) => {
    const match = new RegExp(`^${field}\\.(\\d+)$`).exec(path);
    const person = match ? sent[Number(match[1])] : undefined;
    return person === undefined ? [] : [person];
  });
}
