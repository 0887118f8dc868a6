import type { CreateInviteBody } from '@parley/protocol';
import { MAX_INVITE_HOURS } from '@parley/protocol/constants';

/** How many people a link lets in: one, a number of them, or anyone until it expires. */
export type UsesChoice = 'one' | 'count' | 'unlimited';
export type ExpiryUnit = 'hours' | 'days';

export interface InviteDraft {
  roleId: string | null;
  uses: UsesChoice;
  /** The number typed, with `uses: 'count'`. */
  count: string;
  expiry: string;
  unit: ExpiryUnit;
}

export const DEFAULT_INVITE_DRAFT: InviteDraft = { roleId: null, uses: 'one', count: '5', expiry: '7', unit: 'days' };

/** What is wrong with a draft, as an i18n key under `admin.invites`; null when it can be sent. */
export type InviteDraftProblem = 'pickRole' | 'badCount' | 'badExpiry';

const wholeNumber = (text: string): number | null => (/^\s*\d+\s*$/.test(text) ? Number(text) : null);

/** The request the form makes, or the first thing to fix before it can. */
export function inviteBody(draft: InviteDraft): { body: CreateInviteBody } | { problem: InviteDraftProblem } {
  if (!draft.roleId) return { problem: 'pickRole' };
  let maxUses: number | null = 1;
  if (draft.uses === 'unlimited') maxUses = null;
  if (draft.uses === 'count') {
    maxUses = wholeNumber(draft.count);
    if (maxUses === null || maxUses < 1 || maxUses > 10_000) return { problem: 'badCount' };
  }
  const amount = wholeNumber(draft.expiry);
  const hours = amount === null ? null : draft.unit === 'days' ? amount * 24 : amount;
  if (hours === null || hours < 1 || hours > MAX_INVITE_HOURS) return { problem: 'badExpiry' };
  return { body: { roleId: draft.roleId, maxUses, expiresInHours: hours } };
}

/** The link to share: the app's own address (on the web, the page's origin) and the server's path. */
export const inviteLink = (origin: string, path: string): string => origin.replace(/\/+$/, '') + path;
