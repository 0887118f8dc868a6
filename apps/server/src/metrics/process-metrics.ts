import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

/**
 * Node's own metrics (CPU, memory, event-loop lag, GC...) as `parley_*`. They describe the
 * process, not an app, so they are collected once per process and shared by every app's
 * registry: collecting them per app would start another GC observer and event-loop monitor
 * each time, never stopped (tests build many apps in one process).
 */
export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: 'parley_' });
  }
  return shared;
}
