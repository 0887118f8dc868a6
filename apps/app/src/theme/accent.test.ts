import { describe, expect, it } from 'vitest';
import { hexToOklch, readableVariant, TEXT_CONTRAST, UI_CONTRAST, withAccent } from './accent';
import { contrastRatio, dark, light, TEXT_PAIRS } from './palette';

const hueOf = (hex: string) => hexToOklch(hex).h;
const lightnessOf = (hex: string) => hexToOklch(hex).l;

describe('a readable variant of an accent colour', () => {
  it('darkens pure yellow for text on white, keeping it yellow', () => {
    const variant = readableVariant('#ffff00', [{ against: '#ffffff', min: TEXT_CONTRAST }])!;
    expect(contrastRatio('#ffff00', '#ffffff')).toBeLessThan(1.1);
    expect(contrastRatio(variant, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    // Only as far as needed: just over the line, not black.
    expect(contrastRatio(variant, '#ffffff')).toBeLessThan(4.7);
    expect(lightnessOf(variant)).toBeLessThan(lightnessOf('#ffff00'));
    expect(Math.abs(hueOf(variant) - hueOf('#ffff00'))).toBeLessThan(0.05);
  });

  it('lightens navy for links on the dark theme, keeping it blue', () => {
    const variant = readableVariant('#000080', [{ against: dark.background, min: TEXT_CONTRAST }])!;
    expect(contrastRatio('#000080', dark.background)).toBeLessThan(2);
    expect(contrastRatio(variant, dark.background)).toBeGreaterThanOrEqual(4.5);
    expect(lightnessOf(variant)).toBeGreaterThan(lightnessOf('#000080'));
    expect(Math.abs(hueOf(variant) - hueOf('#000080'))).toBeLessThan(0.05);
  });

  it('keeps a colour that is already fine exactly as it is', () => {
    expect(readableVariant('#1D4ED8', [{ against: '#ffffff', min: TEXT_CONTRAST }])).toBe('#1d4ed8');
    expect(readableVariant('#fde047', [{ against: dark.background, min: TEXT_CONTRAST }])).toBe('#fde047');
  });
});

describe('the palette with a workspace accent', () => {
  const accents = ['#ffff00', '#000080', '#e11d48', '#22c55e', '#1d4ed8', '#ffffff', '#000000', '#7c3aed'];

  for (const [name, base] of Object.entries({ light, dark })) {
    for (const accent of accents) {
      it(`keeps AA in the ${name} theme with ${accent}`, () => {
        const palette = withAccent(base, accent);
        for (const [fg, bg] of TEXT_PAIRS) expect(contrastRatio(palette[fg], palette[bg])).toBeGreaterThanOrEqual(4.5);
        for (const ground of [palette.background, palette.surface])
          expect(contrastRatio(palette.primary, ground)).toBeGreaterThanOrEqual(UI_CONTRAST);
      });
    }
  }

  it('puts dark text on a yellow fill, darkened just enough to show on white, of the same hue', () => {
    const palette = withAccent(light, '#ffff00');
    expect(palette.onPrimary).toBe('#18181b');
    expect(palette.primary).not.toBe('#ffff00'); // 1.07:1 on white: not even a visible button edge
    expect(Math.abs(hueOf(palette.primary) - hueOf('#ffff00'))).toBeLessThan(0.05);
    expect(palette.link).not.toBe(palette.primary);
  });

  it('uses an accent that already reads well as it is', () => {
    const palette = withAccent(light, '#1d4ed8');
    expect([palette.primary, palette.link, palette.onPrimary]).toEqual(['#1d4ed8', '#1d4ed8', '#ffffff']);
  });

  it("keeps the app's own colours without an accent (or with something that is not a colour)", () => {
    expect(withAccent(light, null)).toBe(light);
    expect(withAccent(dark, 'red')).toBe(dark);
  });
});
