import type { ReportName } from './reports';

// Plain values, no zod: clients import these at runtime without pulling every schema into their bundle.

/**
 * The realtime protocol, `GET /ws`. Every frame is one JSON object `{type, ...}`. Spec with
 * examples: docs/realtime-protocol.md. Bump the version for any incompatible change.
 */
export const PROTOCOL_VERSION = 'parley.v1';

/** Close codes the server uses, beyond the standard 1000/1001/1009. */
export const CLOSE_CODES = {
  /** The server restarts or shuts down: reconnect (elsewhere) and resume from your seqs. */
  serviceRestart: 1012,
  /** The server cannot serve the socket right now (its database is not answering): reconnect soon. */
  tryAgainLater: 1013,
  /** Missing, invalid or expired token, or no `auth` frame in time. Get a new token first. */
  unauthorized: 4401,
  /** The client did not read fast enough; reconnect and resume from your seqs. */
  tooSlow: 4408,
  /**
   * Sent frames faster than the server handles them while it waits on this socket (e.g. a
   * replay the client does not read): more than 1 MiB or 256 frames not yet handled.
   */
  backlogFull: 4413,
  /** Kept sending after `error rate_limited`. */
  rateLimited: 4429,
} as const;

/** Conversations one `subscribe` frame may name (`conversations: [...]`). */
export const MAX_SUBSCRIBE_BATCH = 100;

/** Passwords are at least this long (and at most 256 characters): apps check it before sending. */
export const PASSWORD_MIN_LENGTH = 8;

/** Usernames are at least this long (and at most 32 characters). */
export const USERNAME_MIN_LENGTH = 3;

/** The multipart field that carries an uploaded file (avatars, attachments). */
export const UPLOAD_FIELD = 'file';

/**
 * Different emoji one message may carry. Adding a new one past this answers `409 conflict`;
 * anyone may still add themselves to an emoji the message already has.
 */
export const MAX_DISTINCT_REACTIONS = 20;

/** Ticket states, in the order a ticket usually moves through them. */
export const TICKET_STATUSES = ['open', 'in_progress', 'pending', 'snoozed', 'closed'] as const;

/** Ticket priorities, lowest first. */
export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

/** How a ticket list may be ordered. */
export const TICKET_SORTS = ['updated', 'created', 'priority'] as const;

/** What a role may do, by name (described in `PermissionSchema`). */
export const PERMISSIONS = [
  'tickets.work',
  'tickets.all',
  'tickets.assign',
  'tickets.priority',
  'notes.write',
  'teams.manage',
  'people.manage',
  'reports.view',
  'settings.manage',
  'messages.moderate',
] as const;

/** Messages one conversation may have pinned at once. */
export const MAX_PINS = 50;

/** The longest an invite may stay open: 30 days. */
export const MAX_INVITE_HOURS = 30 * 24;

/** Kinds of email a person may turn off (`PUT /me/notification-settings`). */
export const EMAIL_CATEGORIES = ['messages', 'tickets', 'assignments'] as const;

/** The placeholders Parley fills (custom fields as `{{ticket.fields.KEY}}` / `{{customer.fields.KEY}}`). */
export const CANNED_PLACEHOLDERS = [
  'customer.name',
  'customer.firstName',
  'customer.email',
  'ticket.id',
  'ticket.subject',
  'agent.name',
  'agent.firstName',
  'workspace.name',
] as const;

/** The metric columns of each report, in order (also the CSV's columns after `key`,`label`). */
export const REPORT_COLUMNS = {
  'first-response-time': ['count', 'medianMinutes', 'p90Minutes'],
  'resolution-time': ['count', 'medianMinutes', 'p90Minutes'],
  volume: ['created', 'closed'],
  backlog: ['open'],
  sla: ['firstResponseMet', 'firstResponseTargets', 'resolutionMet', 'resolutionTargets', 'attainment'],
  csat: ['count', 'average', 'satisfiedShare'],
} as const satisfies Record<ReportName, readonly string[]>;

/**
 * Webhook deliveries: the header with a delivery's signature (docs/webhooks.md), and the most a
 * receiver lets its timestamp be off, in seconds (older is a replay).
 */
export const WEBHOOK_SIGNATURE_HEADER = 'parley-signature';
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** What a webhook may subscribe to (docs/webhooks.md), in the order the app lists them. */
export const WEBHOOK_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.assigned',
  'ticket.closed',
  'ticket.sla_breached',
  'ticket.csat_answered',
  'message.created',
  'message.updated',
] as const;

/**
 * Calls (docs/decisions/0016-calls.md): the most people in one call (a mesh: each sends to every
 * other), and how long a call rings before who has not answered missed it.
 */
export const MAX_IN_CALL = 4;
export const CALL_RING_SECONDS = 30;

/** How long a person's data export (`POST /me/data-exports`) stays downloadable once ready. */
export const DATA_EXPORT_RETENTION_DAYS = 7;

/** Data exports one person may ask for in a workspace within 24 hours (failed ones do not count). */
export const MAX_DATA_EXPORTS_PER_DAY = 3;
