import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  GuestSession,
  StartChatBody,
  StartGuestBody,
  Ticket,
  WidgetChallenge,
  WidgetChat,
} from '@parley/protocol';
import type { AccessTokens } from '../auth/access-tokens';
import type { Actor, Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { ChatWidgetRow, WidgetGuestRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { unusablePasswordHash } from '../tickets/ticket-on-behalf';
import { ticketAsSeenBy } from '../tickets/ticket-policy';
import { presentTicket } from '../tickets/ticket-presenter';
import { findTicketById } from '../tickets/ticket-repository';
import { createTicket } from '../tickets/ticket-service';
import { insertUser } from '../users/user-repository';
import { builtInRoleId, loadActor } from '../workspaces/member-repository';
import { findWorkspace, insertMember } from '../workspaces/workspace-repository';
import {
  claimFirstMessage,
  findGuest,
  findGuestByExternalId,
  findWidgetByKey,
  findWidgetRow,
  insertGuest,
  updateGuest,
} from './widget-repository';

/**
 * A website visitor becomes a guest: a customer of the widget's workspace without a password,
 * whose access tokens reach only their own chat (guest-scope.ts). The widget keeps a guest token
 * (signed, never expiring) to come back as the same guest; a new guest costs a proof of work.
 */

export interface GuestDeps extends ServiceDeps {
  accessTokens: AccessTokens;
  accessTtlSeconds: number;
  /** Keys derived from JWT_SECRET: guest tokens and proof-of-work challenges. */
  secret: string;
  /** Leading zero bits a new guest's proof of work needs (WIDGET_POW_BITS). */
  powBits: number;
}

const CHALLENGE_TTL_MS = 5 * 60_000;

const mac = (secret: string, purpose: string, text: string) =>
  createHmac('sha256', createHmac('sha256', secret).update(purpose).digest()).update(text).digest('base64url');

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function newChallenge(deps: GuestDeps): WidgetChallenge {
  const body = `${deps.clock.now() + CHALLENGE_TTL_MS}.${randomBytes(12).toString('base64url')}`;
  return { challenge: `${body}.${mac(deps.secret, 'parley widget challenge', body)}`, difficulty: deps.powBits };
}

/** Leading zero bits of SHA-256(challenge + nonce). */
export function zeroBits(challenge: string, nonce: string): number {
  const digest = createHash('sha256')
    .update(challenge + nonce)
    .digest();
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

function checkProof(deps: GuestDeps, proof: StartGuestBody['proof']): void {
  const refused = (message: string) =>
    new AppError('validation_failed', message, { fields: [{ in: 'body', path: 'proof', message }] });
  if (!proof) throw refused('A new visitor needs a solved GET /widget/challenge');
  const parts = proof.challenge.split('.');
  const [expires, random, given] = parts as [string, string, string];
  if (parts.length !== 3 || !same(given, mac(deps.secret, 'parley widget challenge', `${expires}.${random}`))) {
    throw refused('Not a challenge of this server');
  }
  if (Number(expires) < deps.clock.now()) throw refused('The challenge expired; ask for a new one');
  if (zeroBits(proof.challenge, proof.nonce) < deps.powBits)
    throw refused('The proof of work does not solve the challenge');
}

const guestToken = (deps: GuestDeps, widgetId: string, userId: string) =>
  `g1.${widgetId}.${userId}.${mac(deps.secret, 'parley widget guest', `${widgetId}.${userId}`)}`;

/** The guest a token names, for this widget; null for anything else. */
function guestOfToken(deps: GuestDeps, widgetId: string, token: string): string | null {
  const [version, widget, userId, given] = token.split('.');
  if (version !== 'g1' || widget !== widgetId || !userId || !given) return null;
  return same(given, mac(deps.secret, 'parley widget guest', `${widgetId}.${userId}`)) ? userId : null;
}

const unknownGuest = () => new AppError('unauthorized', 'This visitor is not known here any more; start again');

export async function startGuest(deps: GuestDeps, body: StartGuestBody): Promise<GuestSession> {
  const widget = await findWidgetByKey(deps.db, body.key);
  if (!widget) throw notFound('Chat widget');
  const ws: Scope = { workspaceId: widget.workspaceId };
  let guest: WidgetGuestRow | undefined;
  if (body.identity) {
    const expected = createHmac('sha256', widget.identitySecret).update(body.identity.userId).digest('hex');
    if (!same(body.identity.hash, expected)) throw new AppError('unauthorized', 'The identity does not verify');
    guest = await findGuestByExternalId(deps.db, ws, widget.id, body.identity.userId);
  } else if (body.guestToken) {
    const userId = guestOfToken(deps, widget.id, body.guestToken);
    guest = userId === null ? undefined : await findGuest(deps.db, ws, userId);
    if (!guest) throw unknownGuest();
  }
  if (!guest) {
    checkProof(deps, body.proof);
    guest = await newGuest(deps, widget, body);
  } else if (body.name !== undefined || body.email !== undefined) {
    await updateContact(deps, ws, guest.userId, body);
  }
  const actor = await loadActor(deps.db, ws, guest.userId);
  // Merged into a customer, or closed by staff: this guest is over; the widget starts a new one.
  if (!actor) throw unknownGuest();
  const workspace = (await findWorkspace(deps.db, widget.workspaceId))!;
  const displayName =
    body.name ??
    (await deps.db.selectFrom('users').select('displayName').where('id', '=', guest.userId).executeTakeFirstOrThrow())
      .displayName;
  return {
    accessToken: await deps.accessTokens.sign({
      userId: guest.userId,
      workspaceId: ws.workspaceId,
      guestOf: widget.id,
    }),
    expiresIn: deps.accessTtlSeconds,
    guestToken: guestToken(deps, widget.id, guest.userId),
    user: { id: guest.userId, displayName },
    look: {
      name: widget.name,
      greeting: widget.greeting,
      workspaceName: workspace.name,
      accentColor: workspace.accentColor,
      // Relative: the frame is a page of Parley's own origin, whatever PUBLIC_URL says.
      logoUrl: workspace.logoKey ? `/workspace-logos/${workspace.logoKey}` : null,
    },
  };
}

/** A user without a usable password, a customer member, and the guest row, in one transaction. */
async function newGuest(deps: GuestDeps, widget: ChatWidgetRow, body: StartGuestBody): Promise<WidgetGuestRow> {
  const ws: Scope = { workspaceId: widget.workspaceId };
  const passwordHash = await unusablePasswordHash();
  const at = deps.clock.now();
  const id = newId();
  const tag = id.slice(-6).toLowerCase();
  const row: WidgetGuestRow = {
    workspaceId: widget.workspaceId,
    userId: id,
    widgetId: widget.id,
    externalId: body.identity?.userId ?? null,
    contactEmail: body.email?.toLowerCase() ?? null,
    lastClientMsgId: null,
    lastTicketId: null,
    createdAt: at,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      // Not an address anyone reads (.invalid, RFC 2606): guests are not found or mailed by it.
      await insertUser(trx, {
        id,
        email: `guest-${id.toLowerCase()}@guests.invalid`,
        username: `guest-${tag}`,
        usernameKey: `guest-${id.toLowerCase()}`,
        displayName: body.name ?? `Visitor ${tag.toUpperCase()}`,
        passwordHash,
        createdAt: at,
        updatedAt: at,
      });
      await insertMember(trx, ws, id, await builtInRoleId(trx, ws, 'customer'), at);
      await insertGuest(trx, row);
    });
    return row;
  } catch (error) {
    // The same signed-in visitor's first two sessions at once: the other one made the guest.
    const made =
      body.identity &&
      isUniqueViolation(error) &&
      (await findGuestByExternalId(deps.db, ws, widget.id, body.identity.userId));
    if (made) return made;
    throw error;
  }
}

async function updateContact(deps: GuestDeps, ws: Scope, userId: string, body: StartGuestBody): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (body.email !== undefined) await updateGuest(trx, ws, userId, { contactEmail: body.email.toLowerCase() });
    if (body.name !== undefined) {
      await trx
        .updateTable('users')
        .set({ displayName: body.name, updatedAt: deps.clock.now() })
        .where('id', '=', userId)
        .execute();
    }
  });
}

const guestRow = async (db: Db, actor: Actor): Promise<WidgetGuestRow> => {
  const guest = actor.guestOf ? await findGuest(db, actor, actor.id) : undefined;
  if (!guest) throw new AppError('forbidden', "Only a chat widget's visitor has a widget chat");
  return guest;
};

/** The visitor's newest chat, as they see it. */
export async function currentChat(deps: ServiceDeps, actor: Actor): Promise<WidgetChat> {
  const guest = await guestRow(deps.db, actor);
  const ticket = guest.lastTicketId ? await findTicketById(deps.db, actor, guest.lastTicketId) : undefined;
  return { ticket: ticket && ticket.requesterId === actor.id ? ticketAsSeenBy(actor, presentTicket(ticket)) : null };
}

class Repeat extends Error {}

/**
 * The visitor's first message opens their chat: a ticket of channel `widget` in the widget's
 * team (routing, SLA and rules apply), the message its description. The same `clientMsgId`
 * again (a retry) answers the chat it opened.
 */
export async function startChat(
  deps: ServiceDeps,
  actor: Actor,
  body: StartChatBody,
): Promise<{ ticket: Ticket; created: boolean }> {
  const guest = await guestRow(deps.db, actor);
  const widget = await findWidgetRow(deps.db, actor, guest.widgetId);
  const text = body.body.trim();
  try {
    const ticket = await createTicket(
      deps,
      actor,
      { subject: text.split('\n')[0]!.slice(0, 80), description: text, priority: 'medium' },
      {
        channel: 'widget',
        teamId: widget?.teamId ?? null,
        async record(trx, opened) {
          if (!(await claimFirstMessage(trx, actor, actor.id, body.clientMsgId, opened.id))) throw new Repeat();
        },
      },
    );
    return { ticket, created: true };
  } catch (error) {
    if (!(error instanceof Repeat)) throw error;
    const { ticket } = await currentChat(deps, actor);
    if (!ticket) throw error;
    return { ticket, created: false };
  }
}
