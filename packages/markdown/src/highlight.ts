import type { Emitter } from 'highlight.js';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';

/**
 * Fenced code as coloured spans, from highlight.js's grammars through its token-tree emitter
 * (never its HTML). A separate entry point (`@parley/markdown/highlight`): the server and
 * `plainText` do not need the grammars.
 */

/** The few colours a theme gives code: highlight.js's many scopes fold into these. */
export type CodeKind = 'keyword' | 'string' | 'comment' | 'number' | 'title' | 'type' | 'attr' | 'meta';

export interface CodeSpan {
  text: string;
  /** null: the code's plain colour. */
  kind: CodeKind | null;
}

const KINDS: Record<string, CodeKind | null> = {
  keyword: 'keyword',
  'selector-tag': 'keyword',
  doctag: 'keyword',
  tag: 'keyword',
  string: 'string',
  regexp: 'string',
  'selector-attr': 'string',
  'selector-pseudo': 'string',
  comment: 'comment',
  quote: 'comment',
  number: 'number',
  literal: 'number',
  symbol: 'number',
  bullet: 'number',
  title: 'title',
  section: 'title',
  name: 'title',
  'selector-id': 'title',
  'selector-class': 'title',
  type: 'type',
  built_in: 'type',
  class: 'type',
  attr: 'attr',
  attribute: 'attr',
  property: 'attr',
  variable: 'attr',
  'template-variable': 'attr',
  meta: 'meta',
  // Code inside a string (`${x}`): back to plain, not the string's colour.
  subst: null,
};

/** highlight.js's emitter interface, building a flat list of spans instead of HTML. */
class SpanEmitter implements Emitter {
  readonly spans: CodeSpan[] = [];
  private readonly kinds: Array<CodeKind | null> = [];

  private get kind(): CodeKind | null {
    return this.kinds[this.kinds.length - 1] ?? null;
  }

  addText(text: string): void {
    this.push(text, this.kind);
  }

  startScope(scope: string): void {
    const base = scope.split('.')[0]!;
    const kind = scope in KINDS ? KINDS[scope]! : base in KINDS ? KINDS[base]! : this.kind;
    this.kinds.push(kind);
  }

  endScope(): void {
    this.kinds.pop();
  }

  // highlight.js 11 still opens and closes some scopes by their TokenTree names.
  openNode(scope: string): void {
    this.startScope(scope);
  }

  closeNode(): void {
    this.endScope();
  }

  __addSublanguage(emitter: Emitter): void {
    for (const span of (emitter as SpanEmitter).spans) this.push(span.text, span.kind ?? this.kind);
  }

  finalize(): void {}

  toHTML(): string {
    return '';
  }

  private push(text: string, kind: CodeKind | null): void {
    if (text === '') return;
    const last = this.spans[this.spans.length - 1];
    if (last && last.kind === kind) last.text += text;
    else this.spans.push({ text, kind });
  }
}

const highlighter = hljs.newInstance();
highlighter.configure({ __emitter: SpanEmitter as unknown as new (options: unknown) => Emitter });
const GRAMMARS = { bash, css, go, java, javascript, json, python, sql, typescript, xml };
for (const [name, grammar] of Object.entries(GRAMMARS)) highlighter.registerLanguage(name, grammar);

/** Longer code is shown plain: the grammars are regular expressions run over every character. */
export const MAX_HIGHLIGHT_LENGTH = 10_000;

/** True when `lang` (a name or alias: `ts`, `py`, `sh`, `html`…) is one we colour. */
export const isHighlighted = (lang: string | null): boolean =>
  lang !== null && highlighter.getLanguage(lang) !== undefined;

/** `code` as spans in `lang`; null when the language is not one we colour or the code is too long. */
export function highlightCode(code: string, lang: string | null): CodeSpan[] | null {
  if (!isHighlighted(lang) || code.length > MAX_HIGHLIGHT_LENGTH) return null;
  try {
    const result = highlighter.highlight(code, { language: lang!, ignoreIllegals: true });
    return result.errorRaised ? null : (result._emitter as SpanEmitter).spans;
  } catch {
    return null;
  }
}
