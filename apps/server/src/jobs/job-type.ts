import type { z } from 'zod';

/**
 * A kind of durable job: its name in the `jobs` table, the schema of its payload, and how it
 * is retried. Declared once, beside the feature that runs it; `enqueueJob` takes the type, so
 * a payload that does not fit its kind is a compile error, and is checked again when run.
 */
export interface JobType<P> {
  kind: string;
  payload: z.ZodType<P>;
  /** Runs (the first one included) before the job is given up and marked failed. */
  maxAttempts: number;
  /** The first retry waits this long; each next one twice as long, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /**
   * How long one run may take. A node that dies while running a job holds it until then;
   * after that another node runs it again, so handlers must be safe to run twice.
   */
  leaseMs: number;
  /**
   * Runs beside the other jobs instead of before the next one: for a handler that waits on a
   * remote side (a webhook), which must not hold up this node's timers. At most
   * `MAX_DETACHED` such jobs run at once on a node.
   */
  detached?: boolean;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  /** The runner's clock when the job was claimed. */
  now: number;
  /** Aborted when the node stops: a long handler finishes what it has in hand and starts nothing new. */
  signal: AbortSignal;
}

/** What a handler may ask for when it succeeds: to run again later (recurring jobs). */
export type JobOutcome = void | { runAgainAt: number };

export type JobHandler<P> = (payload: P, context: JobContext) => Promise<JobOutcome>;

const DEFAULTS = { maxAttempts: 8, backoffMs: 30_000, maxBackoffMs: 60 * 60_000, leaseMs: 5 * 60_000 };

/** Detached jobs (see `JobType.detached`) one node runs at once; more wait for a free place. */
export const MAX_DETACHED = 16;

export function defineJobType<S extends z.ZodType>(
  kind: string,
  payload: S,
  options: Partial<Omit<JobType<z.output<S>>, 'kind' | 'payload'>> = {},
): JobType<z.output<S>> {
  return { kind, payload: payload as z.ZodType<z.output<S>>, ...DEFAULTS, ...options };
}

/**
 * Thrown by a handler whose remote side said when to come back (an HTTP `Retry-After`): the
 * retry waits that long if it is longer than the backoff, up to the type's `maxBackoffMs`.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * Thrown by a handler that knows retrying cannot help (the remote side refused the request as
 * such): the job fails for good at once, and stays in `jobs` as the dead letter.
 */
export class GiveUpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GiveUpError';
  }
}

/** Delay before the run after `attempt` failed runs: exponential, capped. */
export function backoffDelay(
  type: Pick<JobType<unknown>, 'backoffMs' | 'maxBackoffMs'>,
  attempt: number,
  error?: unknown,
): number {
  const backoff = Math.min(type.maxBackoffMs, type.backoffMs * 2 ** Math.max(0, attempt - 1));
  if (!(error instanceof RetryLaterError)) return backoff;
  return Math.max(backoff, Math.min(type.maxBackoffMs, error.retryAfterMs));
}
