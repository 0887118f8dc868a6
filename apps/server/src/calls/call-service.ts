import type { Call as CallFrame, CallKind } from '@parley/protocol';
import { z } from 'zod';
import { isStaff, type Actor, type Scope } from '../auth/actor';
import { toIso } from '../clock';
import { accessConversation } from '../conversations/conversation-access';
import { presentMessages } from '../conversations/message-presenter';
import { insertMessage } from '../conversations/message-repository';
import { newSystemMessage } from '../conversations/system-lines';
import { isUniqueViolation } from '../db/constraint-errors';
import type { MessageRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { findMember } from '../workspaces/member-repository';
import {
  findCall,
  findLiveCallId,
  insertCall,
  listInCall,
  listLiveCallIds,
  listMemberIds,
  saveCall,
  type StoredCall,
} from './call-repository';
import { applyCallEvent, beginCall, callLogOf, RING_MS, type Call, type CallRefusal } from './call-state';

/** Rings out: whoever has not answered by now missed it (decision 0016). */
export const ringTimeoutJob = defineJobType(
  'call.ring_timeout',
  z.object({ workspaceId: z.string(), callId: z.string() }),
  { backoffMs: 1_000, maxAttempts: 10 },
);

export function registerCallJobs(jobs: JobRunner, deps: ServiceDeps): void {
  jobs.register(ringTimeoutJob, async ({ workspaceId, callId }, { now }) => {
    // Ended already (answered and hung up, declined, called off): nothing rings any more.
    await changeCall(deps, { workspaceId }, callId, (call) =>
      call.state === 'ended' ? call : applyCallEvent(call, { type: 'ring_timeout', at: now }),
    );
  });
}

/**
 * The actor calls the others of a conversation they may write in: a direct chat's other member,
 * a group's members (at most `MAX_IN_CALL` can be in it at once), a ticket's requester (staff
 * calling) or assignee (the requester calling). Those in another call are `busy`, not rung.
 * One live call per conversation: another start is `409` with the live call's id.
 */
export async function startCall(deps: ServiceDeps, actor: Actor, conversationId: string, kind: CallKind) {
  const access = await accessConversation(deps, actor, conversationId, { write: true });
  const callees = await whoToRing(deps, actor, access);
  if (callees.length === 0) throw new AppError('conflict', 'There is nobody to call here');
  const at = deps.clock.now();
  let started: { call: StoredCall; log: MessageRow[] };
  try {
    started = await deps.db.transaction().execute(async (trx) => {
      const live = await findLiveCallId(trx, actor, conversationId);
      if (live) throw alreadyLive(live);
      const inCall = await listInCall(trx, actor, [actor.id, ...callees]);
      if (inCall.has(actor.id)) throw new AppError('conflict', 'You are in another call: hang it up first');
      const call: StoredCall = {
        id: newId(),
        conversationId,
        kind,
        version: 0,
        ...beginCall(actor.id, callees, inCall, at),
      };
      await insertCall(trx, actor, call);
      await enqueueJob(trx, {
        type: ringTimeoutJob,
        payload: { workspaceId: actor.workspaceId, callId: call.id },
        runAt: at + RING_MS,
      });
      return { call, log: await writeCallLog(trx, actor, call) };
    });
  } catch (error) {
    // Two starts at once: the unique live key let one in.
    if (!isUniqueViolation(error)) throw error;
    const live = await findLiveCallId(deps.db, actor, conversationId);
    throw live ? alreadyLive(live) : error;
  }
  await publish(deps, actor, started.call, started.log);
  return presentCall(started.call);
}

/** Answer (on one device: the others stop ringing), decline, or hang up. */
export async function actOnCall(
  deps: ServiceDeps,
  actor: Actor,
  callId: string,
  action: 'join' | 'decline' | 'leave',
): Promise<CallFrame> {
  const found = await theirCall(deps, actor, callId);
  if (action === 'join') {
    // Still allowed here (a group member removed since, a block since): the gate of the thread decides.
    await accessConversation(deps, actor, found.conversationId, { write: true });
    // This call left out: her other device may have just answered it (read here before it did).
    const elsewhere = await listInCall(deps.db, actor, [actor.id], found.id);
    if (elsewhere.has(actor.id)) throw new AppError('conflict', 'You are in another call: hang it up first');
  }
  const call = await changeCall(deps, actor, found, (current) =>
    applyCallEvent(current, { type: action, userId: actor.id, at: deps.clock.now() }),
  );
  return presentCall(call);
}

export async function getCall(deps: ServiceDeps, actor: Actor, callId: string): Promise<CallFrame> {
  return presentCall(await theirCall(deps, actor, callId));
}

/** A call the actor is in or was rung for; anyone else's does not exist for them. */
async function theirCall(deps: ServiceDeps, actor: Actor, callId: string): Promise<StoredCall> {
  const call = await findCall(deps.db, actor, callId);
  if (!call || !call.participants.some((p) => p.userId === actor.id)) throw notFound('Call');
  return call;
}

/**
 * Every device of theirs has been gone past the presence grace: they have left each call they
 * were `joined` in, as if they had hung up (the last one left in a call of two ends it
 * `completed`). A call still ringing for them rings on: the ring-out job settles it. A second
 * `offline` for the same absence (another node saw it too) changes nothing.
 */
export async function leaveCallsOfAbsent(deps: ServiceDeps, ws: Scope, userId: string): Promise<void> {
  const left = await Promise.allSettled(
    (await listLiveCallIds(deps.db, ws, userId, ['joined'])).map((callId) =>
      changeCall(deps, ws, callId, (call) =>
        // Ended meanwhile (the other side hung up first): nothing is left to leave.
        call.state === 'ended' ? call : applyCallEvent(call, { type: 'leave', userId, at: deps.clock.now() }),
      ),
    ),
  );
  const failed = left.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The actor's calls not over yet: ringing for them, or with them in it. */
export async function listLiveCalls(deps: ServiceDeps, actor: Actor): Promise<CallFrame[]> {
  const calls = await Promise.all(
    (await listLiveCallIds(deps.db, actor, actor.id)).map((id) => findCall(deps.db, actor, id)),
  );
  return calls.filter((c): c is StoredCall => c !== undefined).map(presentCall);
}

/**
 * Decides on the call (`read`: as the caller just read it, or its id), and writes the result if
 * nobody changed the call meanwhile; else reads again and decides again (another node, another
 * device). A call that ends leaves its log line.
 */
async function changeCall(
  deps: ServiceDeps,
  ws: Scope,
  read: StoredCall | string,
  decide: (call: StoredCall) => Call | CallRefusal,
): Promise<StoredCall> {
  const callId = typeof read === 'string' ? read : read.id;
  let known = typeof read === 'string' ? undefined : read;
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = known ?? (await findCall(deps.db, ws, callId));
    known = undefined;
    if (!before) throw notFound('Call');
    const after = decide(before);
    if (typeof after === 'string') throw refused(after);
    if (after === before) return before; // nothing to do (twice the same answer)
    const saved = await deps.db.transaction().execute(async (trx) => {
      if (!(await saveCall(trx, ws, before, after))) return null;
      const call: StoredCall = { ...before, ...after, version: before.version + 1 };
      return { call, log: before.state !== 'ended' ? await writeCallLog(trx, ws, call) : [] };
    });
    if (!saved) continue;
    await publish(deps, ws, saved.call, saved.log);
    return saved.call;
  }
  throw new AppError('conflict', 'The call kept changing meanwhile; try again');
}

/** The call log line, once it has ended: who called, how it went, how long it lasted. */
async function writeCallLog(trx: ServiceDeps['db'], ws: Scope, call: StoredCall): Promise<MessageRow[]> {
  const log = callLogOf(call);
  if (!log) return [];
  const caller = await findMember(trx, ws, call.startedBy);
  const event = {
    event: 'call.ended' as const,
    actor: { id: call.startedBy, name: caller?.displayName ?? 'Someone' },
    params: { kind: call.kind, outcome: log.outcome, durationSeconds: log.durationSeconds },
  };
  return [await insertMessage(trx, ws, newSystemMessage(call.conversationId, event, call.endedAt!))];
}

async function publish(deps: ServiceDeps, ws: Scope, call: StoredCall, log: readonly MessageRow[]) {
  deps.events.publish({ workspaceId: ws.workspaceId, type: 'call.updated', call: presentCall(call) });
  for (const message of await presentMessages(deps.db, ws, log)) {
    deps.events.publish({ workspaceId: ws.workspaceId, type: 'message.created', message });
  }
}

/** Who a call here rings: see `startCall`. */
async function whoToRing(
  deps: ServiceDeps,
  actor: Actor,
  access: Awaited<ReturnType<typeof accessConversation>>,
): Promise<string[]> {
  const { ticket, conversation } = access;
  if (ticket) {
    const other = isStaff(actor) ? ticket.requesterId : ticket.assigneeId;
    return other && other !== actor.id ? [other] : [];
  }
  const members = await listMemberIds(deps.db, actor, conversation.id);
  return members.filter((id) => id !== actor.id);
}

const alreadyLive = (callId: string) =>
  new AppError('conflict', 'A call is already going on here: join it', { callId });

function refused(refusal: CallRefusal): AppError {
  switch (refusal) {
    case 'not_in_call':
      return notFound('Call');
    case 'ended':
      return new AppError('conflict', 'The call has ended');
    case 'full':
      return new AppError('conflict', 'The call is full');
    case 'not_ringing':
      return new AppError('conflict', 'You already answered this call: hang up instead');
  }
}

export function presentCall(call: StoredCall): CallFrame {
  const iso = (ms: number | null) => (ms === null ? null : toIso(ms));
  return {
    id: call.id,
    conversationId: call.conversationId,
    kind: call.kind,
    state: call.state,
    startedBy: call.startedBy,
    startedAt: toIso(call.startedAt),
    answeredAt: iso(call.answeredAt),
    endedAt: iso(call.endedAt),
    endReason: call.endReason,
    participants: call.participants.map((p) => ({ userId: p.userId, state: p.state, joinedAt: iso(p.joinedAt) })),
    version: call.version,
  };
}
