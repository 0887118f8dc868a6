import * as hdr from 'hdr-histogram-js';

/**
 * Every message a generator sends names its sender, its number from that sender, and when it
 * left; receivers check them, so lost and duplicated messages are counted, not guessed.
 * Padded to a typical chat line (about 100 characters).
 */
export function encodeBody(sender: string, n: number, sentAt: number): string {
  return `${sender}|${n}|${sentAt.toFixed(3)}|`.padEnd(100, 'lorem ipsum ');
}

export function decodeBody(body: string): { sender: string; n: number; sentAt: number } {
  const [sender, n, sentAt] = body.split('|');
  return { sender: sender!, n: Number(n), sentAt: Number(sentAt) };
}

/** Milliseconds with a fraction, comparable between processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

/** Latencies in microseconds, 1 µs to 10 min, 3 significant digits. */
export const newHistogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

export type Histogram = ReturnType<typeof newHistogram>;

export const encodeHistogram = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);
export const decodeHistogram = (s: string): Histogram => hdr.decodeFromCompressedBase64(s) as Histogram;

export function recordSince(histogram: Histogram, sentAt: number, at = now()) {
  histogram.recordValue(Math.max(1, Math.round((at - sentAt) * 1000)));
}

/**
 * What one receiver got in one room: the distinct message numbers per sender, and how many
 * arrived a second time.
 */
export class ReceiptBook {
  private readonly seen = new Map<string, Set<number>>();
  duplicates = 0;

  record(sender: string, n: number): boolean {
    let numbers = this.seen.get(sender);
    if (!numbers) this.seen.set(sender, (numbers = new Set()));
    if (numbers.has(n)) {
      this.duplicates++;
      return false;
    }
    numbers.add(n);
    return true;
  }

  /** Distinct messages per sender. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.seen].map(([sender, numbers]) => [sender, numbers.size]));
  }
}
