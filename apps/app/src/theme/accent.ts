import { contrastRatio, type Palette } from './palette';

/**
 * A workspace's accent colour, made readable in a theme. Admins pick any colour (a brand yellow,
 * a navy); the app keeps WCAG 2 AA in light and dark alike by moving the colour's lightness in
 * OKLCH, keeping its hue (and as much of its chroma as sRGB allows), only as far as needed.
 */

/** WCAG 2: text and links. */
export const TEXT_CONTRAST = 4.5;
/** WCAG 2 (1.4.11): non-text UI such as a button's edge, a selected marker, a focus ring. */
export const UI_CONTRAST = 3;

/** Text colours a filled accent may carry: the palette's white or its near-black. */
const ON_LIGHT_FILL = '#18181b';
const ON_DARK_FILL = '#ffffff';

export interface Requirement {
  against: string;
  min: number;
}

/**
 * The colour closest in lightness to `colour` (same hue) that meets every requirement; `colour`
 * itself, unchanged, when it already does. Null only if no lightness can (never for one
 * background with ratios up to 4.5: black or white always reach it).
 */
export function readableVariant(colour: string, requirements: Requirement[]): string | null {
  const meets = (hex: string) => requirements.every(({ against, min }) => contrastRatio(hex, against) >= min);
  const start = normalizeHex(colour);
  if (meets(start)) return start;
  const { l, c, h } = hexToOklch(start);
  let best: { hex: string; distance: number } | null = null;
  // A fine scan of lightness; contrast is not monotonic over several backgrounds, a scan is safe.
  for (let step = 0; step <= 1000; step += 1) {
    const lightness = step / 1000;
    const distance = Math.abs(lightness - l);
    if (best && distance >= best.distance) continue;
    const hex = oklchToHexInGamut(lightness, c, h);
    if (meets(hex)) best = { hex, distance };
  }
  return best?.hex ?? null;
}

/**
 * The palette with the accent in it: `link` (text on the page and on surfaces, 4.5:1), and
 * `primary` (fills: buttons, badges, selected chips; 3:1 against the page, its text 4.5:1 on
 * it, white or near-black, whichever needs the smaller change). Own chat bubbles take the fill.
 * A null accent keeps the app's own colours.
 */
export function withAccent(palette: Palette, accent: string | null | undefined): Palette {
  if (!accent || !isHex(accent)) return palette;
  const grounds = [palette.background, palette.surface, palette.surfaceRaised];
  const link = readableVariant(
    accent,
    grounds.map((against) => ({ against, min: TEXT_CONTRAST })),
  );
  const fills = [ON_DARK_FILL, ON_LIGHT_FILL].map((on) => ({
    on,
    fill: readableVariant(accent, [
      { against: on, min: TEXT_CONTRAST },
      ...grounds.map((against) => ({ against, min: UI_CONTRAST })),
    ]),
  }));
  const original = hexToOklch(normalizeHex(accent)).l;
  const closest = fills
    .filter((f): f is { on: string; fill: string } => f.fill !== null)
    .sort((a, b) => Math.abs(hexToOklch(a.fill).l - original) - Math.abs(hexToOklch(b.fill).l - original))[0];
  if (!link || !closest) return palette;
  return {
    ...palette,
    link,
    primary: closest.fill,
    onPrimary: closest.on,
    ownBubble: closest.fill,
    onOwnBubble: closest.on,
  };
}

const cache = new Map<string, Palette>();

/** `withAccent`, remembered per palette and accent (the scan is not free, the theme re-renders). */
export function accentPalette(palette: Palette, accent: string | null | undefined): Palette {
  if (!accent) return palette;
  const key = `${palette.background}/${accent}`;
  let found = cache.get(key);
  if (!found) cache.set(key, (found = withAccent(palette, accent)));
  return found;
}

export const isHex = (value: string) => /^#[0-9a-f]{6}$/i.test(value);

function normalizeHex(hex: string): string {
  return hex.toLowerCase();
}

// OKLCH ⇄ sRGB, after Björn Ottosson's OKLab (https://bottosson.github.io/posts/oklab/).

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const toGamma = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

export function hexToOklch(hex: string): { l: number; c: number; h: number } {
  const [r, g, b] = [1, 3, 5].map((i) => toLinear(parseInt(hex.slice(i, i + 2), 16) / 255)) as [number, number, number];
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  const L = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  const A = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  const B = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
  return { l: L, c: Math.hypot(A, B), h: Math.atan2(B, A) };
}

/** Linear sRGB of an OKLCH colour (components may fall outside 0…1: out of gamut). */
function oklchToLinearRgb(L: number, C: number, h: number): [number, number, number] {
  const A = C * Math.cos(h);
  const B = C * Math.sin(h);
  const l = (L + 0.3963377774 * A + 0.2158037573 * B) ** 3;
  const m = (L - 0.1055613458 * A - 0.0638541728 * B) ** 3;
  const s = (L - 0.0894841775 * A - 1.291485548 * B) ** 3;
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
}

const inGamut = (rgb: number[]) => rgb.every((v) => v >= -1e-6 && v <= 1 + 1e-6);

/** The colour at this lightness and hue, its chroma reduced (bisection) until sRGB can show it. */
function oklchToHexInGamut(L: number, C: number, h: number): string {
  let rgb = oklchToLinearRgb(L, C, h);
  if (!inGamut(rgb)) {
    let lo = 0;
    let hi = C;
    for (let i = 0; i < 20; i += 1) {
      const mid = (lo + hi) / 2;
      if (inGamut(oklchToLinearRgb(L, mid, h))) lo = mid;
      else hi = mid;
    }
    rgb = oklchToLinearRgb(L, lo, h);
  }
  return `#${rgb
    .map((v) =>
      Math.round(toGamma(Math.min(1, Math.max(0, v))) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
