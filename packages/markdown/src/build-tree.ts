import type { Token } from 'markdown-it';
import { isAllowedHref } from './link-policy';
import type { MdBlock, MdContainerInline, MdInline, MdListBlock } from './tree';

/**
 * Inline markup nested deeper than this shows its markers as text. Emphasis is paired after
 * markdown-it's own nesting check, so `*****…x…*****` would otherwise nest thousands deep.
 */
export const MAX_INLINE_DEPTH = 8;

const CONTAINERS: Record<string, Exclude<MdContainerInline['type'], 'link'>> = {
  strong_open: 'strong',
  em_open: 'em',
  s_open: 'strike',
  spoiler_open: 'spoiler',
};

/** Appends text, joined to the text before it. */
function pushText(into: MdInline[], text: string): void {
  if (text === '') return;
  const last = into[into.length - 1];
  if (last?.type === 'text') last.text += text;
  else into.push({ type: 'text', text });
}

const attribute = (token: Token, name: string): string => String(token.attrGet(name) ?? '');

/** The words of inline tokens, nothing else (an image's alt text). */
function tokensText(tokens: readonly Token[] | null): string {
  let text = '';
  for (const token of tokens ?? []) {
    if (token.type === 'softbreak' || token.type === 'hardbreak') text += '\n';
    else if (token.type === 'image') text += tokensText(token.children);
    else if (token.nesting === 0) text += token.content;
  }
  return text;
}

/**
 * One frame per open inline element. `children` is where what follows goes: the element's own
 * list, or the parent's when the element was refused (a link not allowed, markup too deep), in
 * which case `closeText` is what to print for its end marker.
 */
interface InlineFrame {
  children: MdInline[];
  depth: number;
  closeText: string;
}

/**
 * `@` and a username (letters, digits, `_`, `.`, `-`, not ending in `.` or `-`, at most 32),
 * not glued to a word before it (an email address is no mention).
 */
const MENTION = /(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,30}[A-Za-z0-9_])?)(?![A-Za-z0-9_])/g;

/** Text nodes split into text and mentions; links and code stay as they are. */
function withMentions(nodes: MdInline[]): MdInline[] {
  const out: MdInline[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      let from = 0;
      for (const match of node.text.matchAll(MENTION)) {
        const at = match.index + match[1]!.length;
        pushText(out, node.text.slice(from, at));
        out.push({ type: 'mention', username: match[2]! });
        from = at + 1 + match[2]!.length;
      }
      pushText(out, node.text.slice(from));
    } else {
      if ('children' in node && node.type !== 'link') node.children = withMentions(node.children);
      out.push(node);
    }
  }
  return out;
}

export function buildInline(tokens: readonly Token[] | null): MdInline[] {
  return withMentions(buildTokens(tokens));
}

function buildTokens(tokens: readonly Token[] | null): MdInline[] {
  const root: MdInline[] = [];
  const stack: InlineFrame[] = [{ children: root, depth: 0, closeText: '' }];
  for (const token of tokens ?? []) {
    const frame = stack[stack.length - 1]!;
    const into = frame.children;
    const container = CONTAINERS[token.type];
    if (container || token.type === 'link_open') {
      const href = token.type === 'link_open' ? attribute(token, 'href') : '';
      const refused = frame.depth >= MAX_INLINE_DEPTH || (token.type === 'link_open' && !isAllowedHref(href));
      if (refused) {
        // A refused link keeps its words; refused emphasis keeps its markers too.
        const markup = container ? token.markup : '';
        pushText(into, markup);
        stack.push({ children: into, depth: frame.depth, closeText: markup });
        continue;
      }
      const node: MdContainerInline = container
        ? { type: container, children: [] }
        : { type: 'link', href, children: [] };
      into.push(node);
      stack.push({ children: node.children, depth: frame.depth + 1, closeText: '' });
      continue;
    }
    if (token.nesting === -1) {
      // A close without its open cannot come from markdown-it; keep the root frame regardless.
      if (stack.length > 1) {
        const closed = stack.pop()!;
        pushText(stack[stack.length - 1]!.children, closed.closeText);
      }
      continue;
    }
    switch (token.type) {
      case 'text':
      case 'text_special':
        pushText(into, token.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        into.push({ type: token.type });
        break;
      case 'code_inline':
        into.push({ type: 'code', text: token.content });
        break;
      case 'image': {
        // Never loaded: a link to the image when its address is allowed, else its alt text.
        const src = attribute(token, 'src');
        const alt = tokensText(token.children);
        if (isAllowedHref(src) && frame.depth < MAX_INLINE_DEPTH) {
          into.push({ type: 'link', href: src, children: [{ type: 'text', text: alt || src }] });
        } else pushText(into, alt);
        break;
      }
      default:
        // Anything else (raw HTML, were it ever switched on) is its text as written.
        pushText(into, token.content);
    }
  }
  return root;
}

type BlockFrame = { blocks: MdBlock[] } | { list: MdListBlock };

/** The fence's language: its info string's first word, as markdown-it's own renderer reads it. */
function fenceLanguage(info: string): string | null {
  const word = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return word === '' ? null : word.slice(0, 32);
}

/** markdown-it's block tokens as our tree. Containers come from a stack: no recursion. */
export function buildBlocks(tokens: readonly Token[]): MdBlock[] {
  const root: MdBlock[] = [];
  const stack: BlockFrame[] = [{ blocks: root }];
  const blocksHere = (): MdBlock[] => {
    const frame = stack[stack.length - 1]!;
    if ('blocks' in frame) return frame.blocks;
    // Blocks directly in a list (markdown-it never puts them there): a new item of their own.
    const item: MdBlock[] = [];
    frame.list.items.push(item);
    return item;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'paragraph_open':
      case 'heading_open': {
        const inline = tokens[i + 1]?.type === 'inline' ? tokens[++i]! : undefined;
        const children = buildInline(inline?.children ?? null);
        // Headings are bold paragraphs: a chat message is not a document.
        const paragraph: MdBlock =
          token.type === 'heading_open'
            ? { type: 'paragraph', children: [{ type: 'strong', children }] }
            : { type: 'paragraph', children };
        if (children.length > 0) blocksHere().push(paragraph);
        break;
      }
      case 'fence':
      case 'code_block':
        blocksHere().push({
          type: 'code_block',
          lang: token.type === 'fence' ? fenceLanguage(token.info) : null,
          text: token.content.replace(/\n$/, ''),
        });
        break;
      case 'blockquote_open': {
        const quote: MdBlock = { type: 'blockquote', children: [] };
        blocksHere().push(quote);
        stack.push({ blocks: quote.children });
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const start = Number(token.attrGet('start') ?? 1);
        const list: MdListBlock = {
          type: 'list',
          ordered: token.type === 'ordered_list_open',
          start: Number.isSafeInteger(start) ? start : 1,
          items: [],
        };
        blocksHere().push(list);
        stack.push({ list });
        break;
      }
      case 'list_item_open': {
        const frame = stack[stack.length - 1]!;
        const item: MdBlock[] = [];
        if ('list' in frame) frame.list.items.push(item);
        else frame.blocks.push({ type: 'list', ordered: false, start: 1, items: [item] });
        stack.push({ blocks: item });
        break;
      }
      case 'blockquote_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
        if (stack.length > 1) stack.pop();
        break;
      case 'paragraph_close':
      case 'heading_close':
        break;
      default:
        // Raw HTML or a rule switched off (tables, rules) would land here: as text, if anything.
        if (token.content.trim()) {
          blocksHere().push({ type: 'paragraph', children: [{ type: 'text', text: token.content.trim() }] });
        }
    }
  }
  return root;
}
