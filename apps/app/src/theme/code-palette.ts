import type { CodeKind } from '@parley/markdown/highlight';

/**
 * Colours of fenced code. A code block is its own card (the theme's background, whichever
 * bubble it is in), so each colour only has to read on that: `code-palette.test.ts` checks
 * 4.5:1 for every one. Close to GitHub's light and dark code colours.
 */
export type CodePalette = Record<CodeKind | 'plain', string> & { background: string; border: string };

export const lightCode: CodePalette = {
  background: '#ffffff',
  border: '#c9c9d1',
  plain: '#24292f',
  keyword: '#cf222e',
  string: '#0a3069',
  comment: '#57606a',
  number: '#0550ae',
  title: '#6639ba',
  type: '#953800',
  attr: '#0550ae',
  meta: '#57606a',
};

export const darkCode: CodePalette = {
  background: '#0f1115',
  border: '#3f4452',
  plain: '#e6edf3',
  keyword: '#ff7b72',
  string: '#a5d6ff',
  comment: '#8b949e',
  number: '#79c0ff',
  title: '#d2a8ff',
  type: '#ffa657',
  attr: '#79c0ff',
  meta: '#8b949e',
};
