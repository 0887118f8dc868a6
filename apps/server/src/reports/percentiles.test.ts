import { describe, expect, it } from 'vitest';
import { percentile } from './percentiles';

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
