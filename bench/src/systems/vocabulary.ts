/**
 * Text for the seeded desks: made-up words from syllables, used with a Zipf distribution (the
 * n-th most common word is n times rarer than the first), as words are in real text. A search
 * for two words of middling rank then matches a few dozen messages of a million, as a real
 * two-word query does; common words match thousands. Deterministic for a given random source.
 */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'be', 'do', 'fu', 'ga', 'hi', 'jo', 'pe', 'sa'];

export interface Vocabulary {
  words: string[];
  /** A word drawn by frequency. */
  draw(): string;
  /** `count` words drawn by frequency, joined by spaces. */
  sentence(count: number): string;
}

export function makeVocabulary(random: () => number, size = 5000): Vocabulary {
  const words = Array.from({ length: size }, (_, i) => wordOf(i));
  // Cumulative Zipf weights (s = 1), searched by bisection.
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= size; rank++) cumulative.push((total += 1 / rank));
  const draw = () => {
    const target = random() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  return { words, draw, sentence: (count) => Array.from({ length: count }, draw).join(' ') };
}

/** The i-th word: two to four syllables, distinct for every i under 16^4. */
function wordOf(i: number): string {
  let word = '';
  let n = i + 16;
  while (n > 0) {
    word += SYLLABLES[n % 16];
    n = Math.floor(n / 16);
  }
  return word;
}
