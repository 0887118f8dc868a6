import { describe, expect, it } from 'vitest';
import { percentile, percentileOfRanks } from './percentiles';

describe('percentile', () => {
  it('interpolates between ranks like percentile_cont', () => {
    const values = [1, 2, 3, 4, 100];
    expect(percentile(values, 0.5)).toBe(3);
    expect(percentile(values, 0.9)).toBeCloseTo(61.6, 10);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('percentileOfRanks', () => {
  it('answers as percentile does, from the two ranks around the wanted one', () => {
    for (const values of [
      [1, 2, 3, 4, 100],
      [1, 2, 3, 4],
      [7],
      [5, 5, 9],
      Array.from({ length: 23 }, (_, i) => i * i),
    ]) {
      for (const tenths of [5, 9]) {
        const asked: number[] = [];
        const got = percentileOfRanks(values.length, tenths, (rank) => (asked.push(rank), values[rank]));
        expect(got).toBeCloseTo(percentile(values, tenths / 10)!, 9);
        expect(asked.length).toBeLessThanOrEqual(2);
      }
    }
    expect(percentileOfRanks(0, 5, () => 1)).toBeNull();
  });
});
