import { describe, expect, it } from 'vitest';
import { accentOf, DEFAULT_ACCENT, textOn } from './theme';

describe('the widget theme', () => {
  it("takes the workspace's #rrggbb accent, and Parley's own for anything else", () => {
    expect(accentOf('#E11D48')).toBe('#E11D48');
    expect(accentOf(null)).toBe(DEFAULT_ACCENT);
    expect(accentOf('red; background: url(x)')).toBe(DEFAULT_ACCENT);
  });

  it('writes on the accent in the colour that reads better', () => {
    expect(textOn(DEFAULT_ACCENT)).toBe('#ffffff');
    expect(textOn('#000000')).toBe('#ffffff');
    expect(textOn('#fde047')).toBe('#111111');
    expect(textOn('#ffffff')).toBe('#111111');
  });
});
