import { isStaff, type Actor } from '../auth/actor';
import type { EventBus } from '../events/event-bus';
import type { ViewingStore } from './viewing-store';

/**
 * Collision [RT-VIEWERS]: after a staff member's socket opened or left conversations, tells
 * each one's staff subscribers (on every node) who is looking now. Only on a change of what a
 * socket shows, never per message; customers' viewing is never announced.
 */
export async function announceViewers(
  viewing: ViewingStore,
  events: EventBus,
  actor: Actor,
  conversationIds: ReadonlyArray<string | null>,
): Promise<void> {
  if (!isStaff(actor)) return;
  for (const conversationId of new Set(conversationIds)) {
    if (!conversationId) continue;
    const userIds = await viewing.staffViewing(conversationId);
    events.publish({ workspaceId: actor.workspaceId, type: 'viewers', conversationId, userIds });
  }
}
