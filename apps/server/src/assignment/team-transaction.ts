import { MysqlAdapter } from 'kysely';
import type { Db } from '../db/connect';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import type { EventBus } from '../events/event-bus';

/**
 * Runs `work` in one transaction whose services (`deps` given to it) join that transaction:
 * their own `db.transaction()` runs inside it, and the events they publish wait for its commit.
 * Auto-assignment needs this to decide and assign under one team lock (the ticket service
 * opens its own transaction for every change), so no other node reads the team's loads
 * between the two.
 *
 * READ COMMITTED: every read after the lock sees what the lock's previous holder committed
 * (MariaDB's default, REPEATABLE READ, would keep the snapshot of the first read).
 */
export async function inOneTransaction<T>(deps: ServiceDeps, work: (joined: ServiceDeps) => Promise<T>): Promise<T> {
  const held: DomainEvent[] = [];
  const begin = deps.db.transaction();
  const result = await (
    deps.db.getExecutor().adapter instanceof MysqlAdapter ? begin.setIsolationLevel('read committed') : begin
  ).execute((trx) => work({ ...deps, db: joinedDb(trx), events: holding(deps.events, held) }));
  for (const event of held) deps.events.publish(event);
  return result;
}

/** The transaction, whose `transaction()` runs its work right there instead of beginning another. */
function joinedDb(trx: Db): Db {
  const nested = { execute: <R>(fn: (inner: Db) => Promise<R>) => fn(trx) };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => nested;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: its methods must run on the transaction itself.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The bus, except that what is published is kept until the transaction has committed. */
const holding = (events: EventBus, held: DomainEvent[]): EventBus => ({
  publish: (event) => void held.push(event),
  subscribe: (handler) => events.subscribe(handler),
  subscribeLocal: (handler) => events.subscribeLocal(handler),
  isConnected: () => events.isConnected(),
  onMissedEvents: (handler) => events.onMissedEvents(handler),
  close: () => events.close(),
});
