import type { highlightCode } from '@parley/markdown/highlight';
import { useEffect, useState } from 'react';

type Highlight = typeof highlightCode;

/**
 * The grammars load on the first code block drawn, not with the app: few messages hold code,
 * and they are most of the highlighter's weight. Until then (a moment) code is plain.
 */
let loaded: Highlight | undefined;
let loading: Promise<Highlight> | undefined;

function loadHighlighter(): Promise<Highlight> {
  loading ??= import('@parley/markdown/highlight').then((module) => (loaded = module.highlightCode));
  return loading;
}

/** `highlightCode`, once loaded; undefined before. */
export function useHighlighter(): Highlight | undefined {
  const [highlight, setHighlight] = useState<Highlight | undefined>(() => loaded);
  useEffect(() => {
    if (highlight) return;
    let live = true;
    loadHighlighter().then(
      (loadedHighlight) => live && setHighlight(() => loadedHighlight),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [highlight]);
  return highlight;
}
