import { isAllowedHref, type MdBlock, type MdInline } from '@parley/markdown';
import { Linking, Platform } from 'react-native';

/** The row's actions menu offers at most this many links (the keyboard's way to them). */
const MENU_LINKS = 5;

/** What the row's actions menu needs from a message's tree: its links, and whether it hides a spoiler. */
export function linksAndSpoilers(blocks: readonly MdBlock[]): { links: string[]; hasSpoiler: boolean } {
  const links = new Set<string>();
  let hasSpoiler = false;
  const visitInline = (nodes: readonly MdInline[]) => {
    for (const node of nodes) {
      if (node.type === 'link') links.add(node.href);
      if (node.type === 'spoiler') hasSpoiler = true;
      if ('children' in node) visitInline(node.children);
    }
  };
  const visit = (list: readonly MdBlock[]) => {
    for (const block of list) {
      if (block.type === 'paragraph') visitInline(block.children);
      else if (block.type === 'blockquote') visit(block.children);
      else if (block.type === 'list') block.items.forEach(visit);
    }
  };
  visit(blocks);
  return { links: [...links].slice(0, MENU_LINKS), hasSpoiler };
}

/** Opens an allowed link outside the app: a new tab without access to this one, or the system's handler. */
export function openLink(href: string): void {
  if (!isAllowedHref(href)) return;
  if (Platform.OS === 'web') window.open(href, '_blank', 'noopener,noreferrer');
  else void Linking.openURL(href);
}
