import { useWindowDimensions } from 'react-native';

/** Narrower than this, a phone: bottom tab bar, compact header, one pane at a time. */
export const PHONE_MAX = 700;
/** From this width the lists sit beside what they open (queue | thread | details). */
export const SPLIT_MIN = 1100;
/** From this width the side navigation has room for its labels beside the glyphs. */
export const SIDEBAR_FULL_MIN = 1280;

export interface Layout {
  /** Where the places are: a bottom tab bar, a slim side rail, or a full side navigation. */
  nav: 'tabs' | 'rail' | 'sidebar';
  /** Whether list and detail share the screen. */
  split: boolean;
}

export function layoutFor(width: number): Layout {
  if (width < PHONE_MAX) return { nav: 'tabs', split: false };
  return { nav: width >= SIDEBAR_FULL_MIN ? 'sidebar' : 'rail', split: width >= SPLIT_MIN };
}

/** The layout for the window's current width; it follows resizes and rotation. */
export function useLayout(): Layout {
  return layoutFor(useWindowDimensions().width);
}
