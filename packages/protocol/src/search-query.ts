/**
 * The search language of `GET /search`, parsed the same way by the server and by clients (which
 * show operators as chips). Plain code, no schema library: apps import it without zod.
 *
 * A query is words, "quoted phrases" and operators (`key:value`), separated by spaces. Every
 * word and phrase must match (AND); the last bare word also matches as a prefix while the
 * query does not end with a space, so results follow typing. Words are runs of letters and
 * digits: "e-mail" and "sam@example.com" are phrases of their parts, punctuation and emoji
 * separate words and are not searched for themselves.
 */

export const SEARCH_OPERATORS = ['in', 'from', 'is', 'status', 'priority', 'label', 'has', 'before', 'after'] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

export const SEARCH_IS_VALUES = ['ticket', 'dm', 'group'] as const;
export const SEARCH_STATUS_VALUES = ['open', 'in_progress', 'pending', 'snoozed', 'closed'] as const;
export const SEARCH_PRIORITY_VALUES = ['low', 'medium', 'high', 'urgent'] as const;
export const SEARCH_HAS_VALUES = ['attachment'] as const;

/** One thing that must match: the words of a bare word (one, or several for "e-mail") or of a phrase. */
export interface SearchTerm {
  /** Lower-cased, accents removed: what the engines compare. */
  words: string[];
  /** The last word may be the start of a longer one. */
  prefix: boolean;
  /** As typed, for chips and highlighting. */
  text: string;
}

export interface SearchFilters {
  in?: string;
  from?: string;
  is?: (typeof SEARCH_IS_VALUES)[number];
  status?: (typeof SEARCH_STATUS_VALUES)[number];
  priority?: (typeof SEARCH_PRIORITY_VALUES)[number];
  /** Label names; every one must be on the ticket or conversation. */
  label?: string[];
  has?: (typeof SEARCH_HAS_VALUES)[number];
  /** `YYYY-MM-DD`, UTC: created before that day begins. */
  before?: string;
  /** `YYYY-MM-DD`, UTC: created on that day or later. */
  after?: string;
}

export interface ParsedSearch {
  terms: SearchTerm[];
  filters: SearchFilters;
  /** What is wrong with an operator, by operator, for a `validation_failed` answer. */
  problems: Array<{ operator: SearchOperator; message: string }>;
}

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How engines and highlighter compare text: compatibility-decomposed, marks dropped, lower case. */
export const foldText = (text: string): string => text.normalize('NFKD').replace(MARKS, '').toLowerCase();

/** The words of a text, folded. */
export const searchWords = (text: string): string[] => foldText(text).match(WORD) ?? [];

/** A query token: an operator with a quoted value (`label:"Needs review"`), a quoted phrase, or anything else. */
const TOKEN = /([^\s":]+:"[^"]*"?)|"([^"]*)"?|(\S+)/g;

export function parseSearch(query: string): ParsedSearch {
  const terms: SearchTerm[] = [];
  const filters: SearchFilters = {};
  const problems: ParsedSearch['problems'] = [];
  const endsInWord = /[^\s"]$/.test(query);
  let lastBare: SearchTerm | null = null;

  for (const match of query.matchAll(TOKEN)) {
    const [, quotedOperator, phrase, rest] = match;
    const bare = quotedOperator ?? rest;
    if (phrase !== undefined) {
      const words = searchWords(phrase);
      if (words.length > 0) terms.push({ words, prefix: false, text: phrase });
      lastBare = null;
      continue;
    }
    const operator = operatorOf(bare!);
    if (operator) {
      const problem = applyOperator(filters, operator.key, operator.value);
      if (problem) problems.push({ operator: operator.key, message: problem });
      lastBare = null;
      continue;
    }
    const words = searchWords(bare!);
    if (words.length === 0) continue;
    lastBare = { words, prefix: false, text: bare! };
    terms.push(lastBare);
  }
  if (lastBare && endsInWord && terms[terms.length - 1] === lastBare) lastBare.prefix = true;
  return { terms, filters, problems };
}

function operatorOf(token: string): { key: SearchOperator; value: string } | null {
  const colon = token.indexOf(':');
  if (colon <= 0) return null;
  const key = token.slice(0, colon).toLowerCase();
  if (!(SEARCH_OPERATORS as readonly string[]).includes(key)) return null;
  return { key: key as SearchOperator, value: unquote(token.slice(colon + 1)) };
}

const unquote = (value: string) => value.replace(/^"|"$/g, '');

function applyOperator(filters: SearchFilters, key: SearchOperator, raw: string): string | null {
  const value = raw.trim();
  if (value === '') return `Give a value after "${key}:"`;
  const lower = value.toLowerCase();
  const oneOf = <T extends string>(values: readonly T[]): T | null =>
    (values as readonly string[]).includes(lower) ? (lower as T) : null;
  switch (key) {
    case 'in':
      filters.in = value;
      return null;
    case 'from':
      filters.from = lower;
      return null;
    case 'label':
      filters.label = [...(filters.label ?? []), value];
      return null;
    case 'is':
      return set(filters, 'is', oneOf(SEARCH_IS_VALUES), SEARCH_IS_VALUES);
    case 'status':
      return set(filters, 'status', oneOf(SEARCH_STATUS_VALUES), SEARCH_STATUS_VALUES);
    case 'priority':
      return set(filters, 'priority', oneOf(SEARCH_PRIORITY_VALUES), SEARCH_PRIORITY_VALUES);
    case 'has':
      return set(filters, 'has', oneOf(SEARCH_HAS_VALUES), SEARCH_HAS_VALUES);
    case 'before':
    case 'after':
      if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
        return `"${key}:" takes a date as YYYY-MM-DD`;
      }
      filters[key] = value;
      return null;
  }
}

function set<K extends 'is' | 'status' | 'priority' | 'has'>(
  filters: SearchFilters,
  key: K,
  value: SearchFilters[K] | null,
  allowed: readonly string[],
): string | null {
  if (value === null) return `"${key}:" takes one of ${allowed.join(', ')}`;
  filters[key] = value;
  return null;
}
