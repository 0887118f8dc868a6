import type { ServiceDeps } from '../deps';
import { addAutomationRules } from '../automation/rule-engine';
import type { Reactions } from './reactions';

/**
 * Adds every feature's durable reactions; the app and the demo seed both call it, so seeded
 * tickets are triaged like live ones. A feature with reactions adds its line here.
 */
export function addEveryReaction(reactions: Reactions, deps: ServiceDeps): void {
  addAutomationRules(reactions, deps);
}
