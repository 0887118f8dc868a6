import { describe, expect, it } from 'vitest';
import { darkCode, lightCode } from './code-palette';
import { contrastRatio } from './palette';

describe('the colours of code in messages', () => {
  for (const [name, palette] of Object.entries({ light: lightCode, dark: darkCode })) {
    it(`read at 4.5:1 or better on the ${name} code background`, () => {
      const { background, border: _border, ...text } = palette;
      const failing = Object.entries(text)
        .map(([kind, colour]) => ({ kind, ratio: contrastRatio(colour, background) }))
        .filter(({ ratio }) => ratio < 4.5)
        .map(({ kind, ratio }) => `${kind}: ${ratio.toFixed(2)}`);
      expect(failing).toEqual([]);
    });
  }
});
