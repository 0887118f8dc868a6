/** Parley's own accent, for a workspace that has not chosen one. */
export const DEFAULT_ACCENT = '#4f46e5';

/** `#rrggbb` only: anything else (and null) is Parley's own. */
export function accentOf(color: string | null | undefined): string {
  return color && /^#[0-9a-f]{6}$/i.test(color) ? color : DEFAULT_ACCENT;
}

/** White or near-black, whichever reads better on the accent (WCAG relative luminance). */
export function textOn(accent: string): string {
  const channel = (i: number) => {
    const c = parseInt(accent.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white is (1.05)/(L+0.05); with #111 about (L+0.05)/0.056: pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0561 ? '#ffffff' : '#111111';
}
