import type { ServiceDeps } from '../deps';
import { slaClockReaction } from '../sla/sla-clock';
import { slaEscalationReaction } from '../sla/sla-escalation';
import type { Reactions } from './reactions';

/**
 * Adds every feature's durable reactions; the app and the demo seed both call it, so seeded
 * tickets are triaged like live ones. A feature with reactions adds its line here.
 */
export function addEveryReaction(reactions: Reactions, deps: ServiceDeps): void {
  reactions.add(slaClockReaction(deps));
  reactions.add(slaEscalationReaction(deps));
}
