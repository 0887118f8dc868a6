import { describe, expect, it } from 'vitest';
import { contrastRatio, dark, light, TEXT_PAIRS } from './palette';

describe('the colour themes', () => {
  it('compute contrast like WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const [name, palette] of Object.entries({ light, dark })) {
    it(`pass WCAG AA for every text colour the ${name} theme draws`, () => {
      const failing = TEXT_PAIRS.map(([fg, bg]) => ({
        pair: `${fg} on ${bg}`,
        ratio: contrastRatio(palette[fg], palette[bg]),
      }))
        .filter(({ ratio }) => ratio < 4.5)
        .map(({ pair, ratio }) => `${pair}: ${ratio.toFixed(2)}`);
      expect(failing).toEqual([]);
    });
  }
});
