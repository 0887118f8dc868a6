import type { MarkdownIt, StateInline } from 'markdown-it';

/**
 * `||hidden||`: a spoiler, delimited like `~~strike~~` (same flanking rules, may hold other
 * inline markup), produced as `spoiler_open` / `spoiler_close` tokens.
 */
const BAR = 0x7c;

function tokenize(state: StateInline, silent: boolean): boolean {
  if (silent || state.src.charCodeAt(state.pos) !== BAR) return false;
  const scanned = state.scanDelims(state.pos, true);
  let length = scanned.length;
  if (length < 2) return false;
  if (length % 2) {
    state.push('text', '', 0).content = '|';
    length--;
  }
  for (let i = 0; i < length; i += 2) {
    state.push('text', '', 0).content = '||';
    state.delimiters.push({
      marker: BAR,
      length: 0,
      token: state.tokens.length - 1,
      end: -1,
      open: scanned.can_open,
      close: scanned.can_close,
    });
  }
  state.pos += scanned.length;
  return true;
}

function pairDelimiters(state: StateInline, delimiters: StateInline['delimiters']): void {
  for (const start of delimiters) {
    if (start.marker !== BAR || start.end === -1) continue;
    const end = delimiters[start.end]!;
    Object.assign(state.tokens[start.token]!, {
      type: 'spoiler_open',
      tag: 'span',
      nesting: 1,
      markup: '||',
      content: '',
    });
    Object.assign(state.tokens[end.token]!, {
      type: 'spoiler_close',
      tag: 'span',
      nesting: -1,
      markup: '||',
      content: '',
    });
  }
}

function postProcess(state: StateInline): void {
  pairDelimiters(state, state.delimiters);
  for (const meta of state.tokens_meta) if (meta?.delimiters) pairDelimiters(state, meta.delimiters);
}

/**
 * markdown-it's plain-text rule swallows every character that cannot start markup, and `|` is
 * one of those (it only matters to tables): this copy of it also stops at `|`.
 */
const TERMINATORS = new Uint8Array(128);
for (const ch of '\n!#$%&*+-:<=>@[\\]^_`{|}~') TERMINATORS[ch.charCodeAt(0)] = 1;
const isTerminator = (ch: number) => ch < 128 && TERMINATORS[ch] === 1;

function text(state: StateInline, silent: boolean): boolean {
  let pos = state.pos;
  while (pos < state.posMax && !isTerminator(state.src.charCodeAt(pos))) pos++;
  if (pos === state.pos) return false;
  if (!silent) state.pending += state.src.slice(state.pos, pos);
  state.pos = pos;
  return true;
}

export function spoilerPlugin(md: MarkdownIt): void {
  md.inline.ruler.at('text', text);
  md.inline.ruler.after('strikethrough', 'spoiler', tokenize);
  md.inline.ruler2.after('strikethrough', 'spoiler', postProcess);
}
