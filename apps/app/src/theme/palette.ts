/**
 * Colours for both themes. Every text/background pair used by the components meets WCAG AA
 * (4.5:1 for text); `theme.test.ts` checks the pairs listed in `TEXT_PAIRS`.
 */
export interface Palette {
  background: string;
  surface: string;
  surfaceRaised: string;
  border: string;
  text: string;
  textMuted: string;
  primary: string;
  onPrimary: string;
  link: string;
  danger: string;
  success: string;
  warning: string;
  ownBubble: string;
  onOwnBubble: string;
  otherBubble: string;
  noteBubble: string;
  onNoteBubble: string;
  banner: string;
  onBanner: string;
  /** Behind text that matched a search, and the message a search result opened. */
  mark: string;
}

export const light: Palette = {
  background: '#ffffff',
  surface: '#f4f4f6',
  surfaceRaised: '#ffffff',
  border: '#c9c9d1',
  text: '#18181b',
  textMuted: '#52525b',
  primary: '#4338ca',
  onPrimary: '#ffffff',
  link: '#3730a3',
  danger: '#b91c1c',
  success: '#166534',
  warning: '#92400e',
  ownBubble: '#4338ca',
  onOwnBubble: '#ffffff',
  otherBubble: '#ececf1',
  noteBubble: '#fef3c7',
  onNoteBubble: '#78350f',
  banner: '#92400e',
  onBanner: '#ffffff',
  mark: '#fde68a',
};

export const dark: Palette = {
  background: '#0f1115',
  surface: '#1b1e26',
  surfaceRaised: '#242833',
  border: '#3f4452',
  text: '#f4f4f5',
  textMuted: '#b4b4bd',
  primary: '#4f46e5',
  onPrimary: '#ffffff',
  link: '#a5b4fc',
  danger: '#fca5a5',
  success: '#86efac',
  warning: '#fcd34d',
  ownBubble: '#3730a3',
  onOwnBubble: '#ffffff',
  otherBubble: '#2a2e3a',
  noteBubble: '#422006',
  onNoteBubble: '#fde68a',
  banner: '#fcd34d',
  onBanner: '#1c1917',
  mark: '#713f12',
};

/** [text, background] pairs the UI draws; each must reach 4.5:1 in both themes. */
export const TEXT_PAIRS: Array<[keyof Palette, keyof Palette]> = [
  ['text', 'background'],
  ['text', 'mark'],
  ['text', 'surface'],
  ['text', 'surfaceRaised'],
  ['textMuted', 'background'],
  ['textMuted', 'surface'],
  ['textMuted', 'surfaceRaised'],
  ['link', 'background'],
  ['link', 'surface'],
  ['onPrimary', 'primary'],
  ['danger', 'background'],
  ['danger', 'surface'],
  ['success', 'background'],
  ['success', 'surface'],
  ['warning', 'background'],
  ['onOwnBubble', 'ownBubble'],
  ['text', 'otherBubble'],
  ['textMuted', 'otherBubble'],
  ['onNoteBubble', 'noteBubble'],
  ['onBanner', 'banner'],
];

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
