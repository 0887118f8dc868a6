import { useSyncExternalStore } from 'react';

/** Often enough that "just now" turns into "1 min. ago" on time; cheap, as only changed texts render. */
export const TICK_MS = 15_000;

/**
 * One clock for every time on screen: a single interval, running only while something shows
 * a time, instead of a timer per row.
 */
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function tick() {
  now = Date.now();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (timer === null) timer = setInterval(tick, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** While nothing is ticking, the stored time may be old: read the clock instead. */
const currentNow = () => (timer === null ? (now = Date.now()) : now);

/**
 * What `describe` makes of the current time, re-rendering the caller only when that changes:
 * a row showing "yesterday" does not render again every tick.
 */
export function useTicking<T extends string | number | boolean>(describe: (now: number) => T): T {
  return useSyncExternalStore(subscribe, () => describe(currentNow()));
}
