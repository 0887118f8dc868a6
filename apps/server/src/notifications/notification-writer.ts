import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { EventBus } from '../events/event-bus';
import { newId } from '../ids';
import { presentNotification, storedContentOf, type NewNotification } from './notification-content';
import { gatherIntoEntries, type EntryEvent } from './notification-repository';
import { notify, publishNotifications, type StoredNotification } from './notification-service';

export interface NotificationWriter {
  /** Queues notifications of the workspace `ws` made at `at`; they are stored and sent soon, in order. */
  add(ws: Scope, notifications: NewNotification[], at: number): void;
  /** Resolves once everything added so far is stored and published. */
  settled(): Promise<void>;
}

interface Queued {
  workspaceId: string;
  notification: NewNotification;
  at: number;
}

/**
 * Stores notifications in batches: whatever was added while the previous batch was written
 * goes in the next, in one transaction (one commit, one fsync on SQLite, however many messages
 * came meanwhile). Several events for one user and conversation in a batch become one update of
 * its entry, and all of a workspace's entries one statement. Then each changed entry goes to its
 * user's sockets as it now is.
 */
export function createNotificationWriter(deps: {
  db: Db;
  events: EventBus;
  onError: (error: unknown) => void;
}): NotificationWriter {
  let queue: Queued[] = [];
  let running: Promise<void> | null = null;

  async function drain() {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await writeBatch(deps, batch);
      } catch (error) {
        deps.onError(error); // notifications are a courtesy: a failed batch must not stop the next
      }
    }
    running = null;
  }

  return {
    add(ws, notifications, at) {
      if (notifications.length === 0) return;
      for (const notification of notifications) queue.push({ workspaceId: ws.workspaceId, notification, at });
      running ??= drain();
    },
    async settled() {
      while (running) await running;
    },
  };
}

async function writeBatch(deps: { db: Db; events: EventBus }, batch: Queued[]) {
  const loose = batch.filter((q) => q.notification.conversationId === null);
  // Workspace -> user and conversation -> what the batch adds to that entry.
  const byWorkspace = new Map<string, Map<string, EntryEvent>>();
  for (const { workspaceId, notification: n, at } of batch) {
    if (n.conversationId === null) continue;
    const entries = byWorkspace.get(workspaceId) ?? new Map<string, EntryEvent>();
    byWorkspace.set(workspaceId, entries);
    const key = `${n.userId} ${n.conversationId}`;
    const seq = Math.max(n.seq ?? -1, entries.get(key)?.seq ?? -1);
    entries.set(key, {
      userId: n.userId,
      conversationId: n.conversationId,
      kind: n.kind,
      data: storedContentOf(n),
      seq: seq < 0 ? null : seq,
      count: (entries.get(key)?.count ?? 0) + 1,
      at,
    });
  }
  const stored = await deps.db.transaction().execute(async (trx) => {
    const now: StoredNotification[] = [];
    for (const [workspaceId, entries] of byWorkspace) {
      const rows = await gatherIntoEntries(trx, { workspaceId }, [...entries.values()], newId);
      now.push(...rows.map((row) => ({ workspaceId, userId: row.userId, notification: presentNotification(row) })));
    }
    for (const { workspaceId, notification, at } of loose) {
      now.push(...(await notify(trx, { workspaceId }, at, [notification])));
    }
    return now;
  });
  publishNotifications(deps.events, stored);
}
