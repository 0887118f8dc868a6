import { addAutoAssignment } from '../assignment/assignment-reaction';
import type { ServiceDeps } from '../deps';
import type { JobRunner } from '../jobs/job-runner';
import type { PresenceStore } from '../realtime/presence-store';
import { addAutomationRules } from '../automation/rule-engine';
import { csatSurveyReaction } from '../csat/csat-reaction';
import { emailReplyReaction } from '../email-inbox/email-replies';
import { widgetAwayMailReaction } from '../widget/widget-away-mail';
import { slaClockReaction } from '../sla/sla-clock';
import { slaEscalationReaction } from '../sla/sla-escalation';
import { webhookReaction } from '../webhooks/webhook-events';
import type { Reactions } from './reactions';

/** What some reactions need beyond the services: the job runner (their timers), live presence. */
export interface ReactionInfrastructure {
  jobs: JobRunner;
  /** The cluster's presence (realtime/presence-store.ts): auto-assignment picks only who is online. */
  presence: PresenceStore;
}

/**
 * Adds every feature's durable reactions; the app and the demo seed both call it, so seeded
 * tickets are triaged like live ones. A feature with reactions adds its line here.
 */
export function addEveryReaction(reactions: Reactions, deps: ServiceDeps, infra: ReactionInfrastructure): void {
  addAutoAssignment(reactions, { ...deps, presence: infra.presence }, infra.jobs);
  addAutomationRules(reactions, deps);
  reactions.add(slaClockReaction(deps));
  reactions.add(slaEscalationReaction(deps));
  reactions.add(csatSurveyReaction(deps));
  reactions.add(emailReplyReaction(deps));
  reactions.add(widgetAwayMailReaction(deps));
  reactions.add(webhookReaction(deps, () => infra.jobs.wake()));
}
