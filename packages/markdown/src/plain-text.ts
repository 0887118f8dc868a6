import type { MdBlock, MdInline } from './tree';

export interface PlainTextOptions {
  /**
   * What a spoiler's words become: the words themselves unless given (search snippets), a
   * placeholder such as "(spoiler)" where they must stay hidden (previews, notifications).
   */
  spoiler?: string;
}

function inlineText(nodes: readonly MdInline[], options: PlainTextOptions): string {
  let text = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'code':
        text += node.text;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += '\n';
        break;
      case 'mention':
        text += `@${node.username}`;
        break;
      case 'spoiler':
        text += options.spoiler ?? inlineText(node.children, options);
        break;
      default:
        text += inlineText(node.children, options);
    }
  }
  return text;
}

/**
 * The tree's words, one block per line; list items one per line, without their markers.
 * (`plainTextOf` in the package's index: for a tree already parsed.)
 */
export function blocksText(blocks: readonly MdBlock[], options: PlainTextOptions = {}): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
        lines.push(inlineText(block.children, options));
        break;
      case 'code_block':
        lines.push(block.text);
        break;
      case 'blockquote':
        lines.push(blocksText(block.children, options));
        break;
      case 'list':
        for (const item of block.items) lines.push(blocksText(item, options));
    }
  }
  return lines.filter((line) => line !== '').join('\n');
}

function inlineMentions(nodes: readonly MdInline[], into: Set<string>): void {
  for (const node of nodes) {
    if (node.type === 'mention') into.add(node.username.toLowerCase());
    else if ('children' in node) inlineMentions(node.children, into);
  }
}

/** The usernames a tree mentions, lower-cased, each once, in order. */
export function blocksMentions(blocks: readonly MdBlock[], into = new Set<string>()): Set<string> {
  for (const block of blocks) {
    if (block.type === 'paragraph') inlineMentions(block.children, into);
    else if (block.type === 'blockquote') blocksMentions(block.children, into);
    else if (block.type === 'list') for (const item of block.items) blocksMentions(item, into);
  }
  return into;
}
