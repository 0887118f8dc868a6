/**
 * A name lower-cased for a case-insensitive unique key, a character at a time, keeping the few
 * characters whose lower case is longer (`İ` becomes `i̇`, two): so the key is never longer than
 * the name, and fits a column sized for the name on every database.
 */
export const nameKey = (name: string): string =>
  [...name]
    .map((char) => {
      const lower = char.toLowerCase();
      return [...lower].length === 1 ? lower : char;
    })
    .join('');
