import type { Actor } from '../auth/actor';
import type { ServiceDeps } from '../deps';
import { notFound } from '../http/app-error';
import { countJoined } from './call-repository';

/**
 * Relays a WebRTC signal (an offer, an answer, an ICE candidate) as is, from the actor to every
 * device of `toUserId` (decision 0016, [RT-CALL]). Only between two people `joined` in the same
 * call, not ended, of the actor's workspace: someone still ringing gets nothing until they answer.
 * Anything else is `not_found`, whichever part failed, so a signal tells nobody whether a call
 * exists or who is in it.
 */
export async function relayCallSignal(
  deps: ServiceDeps,
  actor: Actor,
  signal: { callId: string; toUserId: string; payload: unknown },
): Promise<void> {
  const { callId, toUserId, payload } = signal;
  const bothJoined = toUserId !== actor.id && (await countJoined(deps.db, actor, callId, [actor.id, toUserId])) === 2;
  if (!bothJoined) throw notFound('Call');
  deps.events.publish({
    workspaceId: actor.workspaceId,
    type: 'call.signal',
    callId,
    fromUserId: actor.id,
    toUserId,
    payload,
  });
}
