import { isUnread, type TimelineItem } from '@parley/client';

/**
 * Where the unread part of a timeline starts, for the divider above it and "Jump to first
 * unread": nowhere (nothing unread after the cursor), at a row shown, or in older history not
 * loaded yet.
 */
export type FirstUnread =
  { kind: 'none' } | { kind: 'shown'; key: string; seq: number; index: number } | { kind: 'older' };

const NONE: FirstUnread = { kind: 'none' };
const OLDER: FirstUnread = { kind: 'older' };

/**
 * The first unread message of the rows shown (`items`) after the cursor `afterSeq`. When messages
 * between the cursor and the oldest row shown are not loaded (`gapBefore`), it may be among them.
 */
export function firstUnreadOf(
  items: readonly TimelineItem[],
  afterSeq: number,
  selfId: string,
  gapBefore: boolean,
): FirstUnread {
  let oldest: number | undefined;
  for (const [index, item] of items.entries()) {
    if (item.kind !== 'message') continue;
    oldest ??= item.message.seq;
    if (gapBefore && oldest > afterSeq + 1) return OLDER;
    if (isUnread(item.message, afterSeq, selfId)) {
      return { kind: 'shown', key: item.key, seq: item.message.seq, index };
    }
  }
  return NONE;
}
