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
