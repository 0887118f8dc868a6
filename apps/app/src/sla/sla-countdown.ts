import type { SlaState, Ticket, TicketSla } from '@parley/protocol';
import { useEffect, useState } from 'react';

export type SlaTargetName = 'firstResponse' | 'resolution';

/** The target a row shows: the first response until it is answered, then the resolution. */
export function currentTarget(sla: TicketSla): { target: SlaTargetName; dueAt: string; state: SlaState } {
  if (sla.firstResponse.state !== 'met' && sla.firstResponse.at === null) {
    return { target: 'firstResponse', dueAt: sla.firstResponse.dueAt, state: sla.firstResponse.state };
  }
  return { target: 'resolution', dueAt: sla.resolution.dueAt, state: sla.resolution.state };
}

/**
 * The ticket's SLA state as `GET /tickets?sla=` filters it: the worse of its two targets
 * (`breached` if either is, then `at_risk`), `met` when both are, else `ok`.
 */
export function overallSlaState(sla: TicketSla): SlaState {
  const states = [sla.firstResponse.state, sla.resolution.state];
  if (states.includes('breached')) return 'breached';
  if (states.includes('at_risk')) return 'at_risk';
  return states.every((s) => s === 'met') ? 'met' : 'ok';
}

/** Whether the clock still runs for the ticket (not closed, not paused, target not met). */
export const isCounting = (ticket: Ticket, state: SlaState): boolean =>
  ticket.status !== 'closed' && ticket.sla?.pausedAt == null && state !== 'met';

/** "1d 4h", "2h 5m", "4m 10s", "12s": the two largest units. */
export function formatSpan(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0s';
  return parts
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

/** Now, ticking every second while `live` (a countdown on screen). */
export function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}
