import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Table shapes as the code sees them: camelCase here, snake_case in the database (Kysely's
 * CamelCasePlugin maps between them). Ids are ULID strings; times are epoch milliseconds in
 * BIGINT columns, because that is the one time type that sorts, compares and round-trips the
 * same on SQLite, MariaDB and PostgreSQL (see docs/decisions/0002-ids-and-times.md).
 */
export interface Database {
  users: UsersTable;
  refreshTokens: RefreshTokensTable;
  teams: TeamsTable;
  teamMembers: TeamMembersTable;
  conversations: ConversationsTable;
  conversationMembers: ConversationMembersTable;
  messages: MessagesTable;
  messageEdits: MessageEditsTable;
  pinnedMessages: PinnedMessagesTable;
  savedMessages: SavedMessagesTable;
  reactions: ReactionsTable;
  attachments: AttachmentsTable;
  tickets: TicketsTable;
  friendRequests: FriendRequestsTable;
  contacts: ContactsTable;
  blocks: BlocksTable;
  notifications: NotificationsTable;
  auditLog: AuditLogTable;
  webhooks: WebhooksTable;
  installationClaims: InstallationClaimsTable;
  jobs: JobsTable;
  deskSettings: DeskSettingsTable;
  workspaces: WorkspacesTable;
  roles: RolesTable;
  rolePermissions: RolePermissionsTable;
  workspaceMembers: WorkspaceMembersTable;
  invites: InvitesTable;
  operators: OperatorsTable;
  automationRules: AutomationRulesTable;
  ruleRuns: RuleRunsTable;
  slaPolicies: SlaPoliciesTable;
  slaEscalations: SlaEscalationsTable;
  customerNotes: CustomerNotesTable;
  ticketMerges: TicketMergesTable;
  savedViews: SavedViewsTable;
  labels: LabelsTable;
  conversationLabels: ConversationLabelsTable;
  cannedResponses: CannedResponsesTable;
  customFields: CustomFieldsTable;
  customFieldValues: CustomFieldValuesTable;
  csatSurveys: CsatSurveysTable;
  notificationSettings: NotificationSettingsTable;
  pushDevices: PushDevicesTable;
  sessions: SessionsTable;
  accountTokens: AccountTokensTable;
  emailChannels: EmailChannelsTable;
  emailMessages: EmailMessagesTable;
  chatWidgets: ChatWidgetsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  apiTokens: ApiTokensTable;
  dataExports: DataExportsTable;
  calls: CallsTable;
  callParticipants: CallParticipantsTable;
  widgetGuests: WidgetGuestsTable;
}

/**
 * Tables whose rows belong to one workspace: every query of them names it (a test fails on one
 * that does not; see db/workspace-scope-check.ts). `refresh_tokens` carries the workspace of its
 * session but is found by its hash, which is the secret, so it is not on this list.
 */
export const WORKSPACE_TABLES = [
  'teams',
  'team_members',
  'conversations',
  'conversation_members',
  'messages',
  'message_edits',
  'pinned_messages',
  'saved_messages',
  'reactions',
  'attachments',
  'tickets',
  'friend_requests',
  'contacts',
  'blocks',
  'notifications',
  'audit_log',
  'webhooks',
  'desk_settings',
  'roles',
  'role_permissions',
  'workspace_members',
  'invites',
  'automation_rules',
  'rule_runs',
  'sla_policies',
  'sla_escalations',
  'customer_notes',
  'ticket_merges',
  'saved_views',
  'labels',
  'conversation_labels',
  'canned_responses',
  'custom_fields',
  'custom_field_values',
  'csat_surveys',
  'notification_settings',
  'push_devices',
  'account_tokens',
  'email_channels',
  'email_messages',
  'chat_widgets',
  'widget_guests',
  'webhook_deliveries',
  'api_tokens',
  'data_exports',
  'calls',
  'call_participants',
] as const;

/** A row of a workspace: ids are unique across the installation, but a lookup always names its workspace. */
interface InWorkspace {
  workspaceId: string;
}

export type UserRole = 'admin' | 'agent' | 'customer';

export interface UsersTable {
  id: string;
  /** Stored lower-cased: addresses are unique without regard to case. */
  email: string;
  /** As the user typed it, for display. */
  username: string;
  /** `username` lower-cased; the unique key, so `Ann` and `ann` cannot both exist. */
  usernameKey: string;
  displayName: string;
  passwordHash: string;
  avatarKey: string | null;
  statusText: string | null;
  createdAt: number;
  updatedAt: number;
  /** The account is closed installation-wide; a workspace closes a membership instead. */
  deactivatedAt: number | null;
  /** The language of their mails; the app sends its own when they switch. */
  locale: Generated<'en' | 'de'>;
  /** When they opened the verification link mailed to `email`; null: not verified. */
  emailVerifiedAt: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1: a workspace's bot (no usable password; acts through API tokens). */
  bot: ColumnType<number, number | undefined, number>;
}
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;

export interface RefreshTokensTable {
  id: string;
  userId: string;
  /** The workspace the session was signed in to; refreshing keeps it. */
  workspaceId: string;
  /** Every token rotated from one login shares a family; reuse of a rotated one kills it. */
  familyId: string;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
  rotatedAt: number | null;
  revokedAt: number | null;
}
export type RefreshTokenRow = Selectable<RefreshTokensTable>;

/**
 * How a session (a refresh-token family; `id` is the family id) looks to its person: the device
 * and when it last got tokens. Whether it is alive is the refresh tokens' business. Listed per
 * person across their workspaces and found by the family id, so, like `refresh_tokens`, it is
 * not on WORKSPACE_TABLES.
 */
export interface SessionsTable {
  id: string;
  workspaceId: string;
  userId: string;
  userAgent: string | null;
  createdAt: number;
  lastUsedAt: number;
}
export type SessionRow = Selectable<SessionsTable>;

export type AccountTokenPurpose = 'password_reset' | 'email_verification';

/** A single-use link mailed to a person; the workspace is where they asked from (branding, link). */
export interface AccountTokensTable extends InWorkspace {
  id: string;
  userId: string;
  purpose: AccountTokenPurpose;
  /** SHA-256 (hex) of the token; the token itself is only ever in the mail. */
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
  /** Used, or made void by a newer one. */
  usedAt: number | null;
}
export type AccountTokenRow = Selectable<AccountTokensTable>;

export interface TeamsTable extends InWorkspace {
  id: string;
  name: string;
  nameKey: string;
  description: string | null;
  /** What customers see and pick when they open a ticket; null: not offered to customers. */
  category: string | null;
  /** Who gets its new tickets by themselves (apps/server/src/assignment). */
  assignmentMode: Generated<AssignmentMode>;
  /** The most open + in-progress tickets a member is given by it; null: no limit. */
  assignmentCapacity: number | null;
  /** Round-robin: the member who got its last ticket. */
  assignmentCursor: string | null;
  createdAt: number;
  updatedAt: number;
}

export type AssignmentMode = 'off' | 'round_robin' | 'least_loaded';
export type TeamRow = Selectable<TeamsTable>;

export interface TeamMembersTable extends InWorkspace {
  teamId: string;
  userId: string;
  /** This member's own capacity in the team (see `TeamsTable.assignmentCapacity`); null: the team's. */
  capacity: number | null;
  createdAt: number;
}

export type ConversationKind = 'ticket' | 'direct' | 'group';

export interface ConversationsTable extends InWorkspace {
  id: string;
  kind: ConversationKind;
  /** A group's name; null for other kinds. */
  title: string | null;
  /** A group's topic line; null: none (always for other kinds). */
  topic: Generated<string | null>;
  /** Highest `messages.seq` so far; bumped in the same transaction as the insert. */
  lastSeq: Generated<number>;
  /** For `direct`: the two user ids sorted and joined, so a pair has one conversation. */
  directKey: string | null;
  createdAt: number;
  updatedAt: number;
  /**
   * `lastSeq` and `updatedAt` as whoever may not see internal notes sees them: moved by every
   * message but a note. Equal to them outside ticket threads.
   */
  publicLastSeq: Generated<number>;
  publicUpdatedAt: number;
}

export interface ConversationMembersTable extends InWorkspace {
  conversationId: string;
  userId: string;
  /** The member's own read cursor: unread counts and the divider start after it (may move back). */
  lastReadSeq: Generated<number>;
  /** How far they have read as the other members see it ("seen" marks): forward only. */
  receiptSeq: Generated<number>;
  /** 1: the conversation notifies them of mentions only. */
  muted: Generated<number>;
  /** 1: administers the group (adds and removes members, grants admin, may `@all`). 0 elsewhere. */
  isAdmin: Generated<number>;
  createdAt: number;
}

export interface PinnedMessagesTable extends InWorkspace {
  conversationId: string;
  messageId: string;
  pinnedBy: string;
  pinnedAt: number;
}

export interface SavedMessagesTable extends InWorkspace {
  userId: string;
  messageId: string;
  savedAt: number;
}

export type MessageKind = 'text' | 'system' | 'note';

export interface MessagesTable extends InWorkspace {
  id: string;
  conversationId: string;
  seq: number;
  /** Null for system messages. */
  senderId: string | null;
  kind: MessageKind;
  body: string;
  /** Chosen by the sending client; unique per sender, so a resend is recognised. */
  clientMsgId: string | null;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  /** System messages: the protocol's `SystemEvent` as JSON; null for others and for old rows. */
  systemEvent: ColumnType<string | null, string | null | undefined, string | null>;
  /** The message of the same conversation this one answers. */
  replyToId: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One edit of a message: the text it replaced. */
export interface MessageEditsTable extends InWorkspace {
  id: string;
  messageId: string;
  /** Null once that account is gone. */
  editorId: string | null;
  body: string;
  editedAt: number;
}

export interface ReactionsTable extends InWorkspace {
  messageId: string;
  userId: string;
  emoji: string;
  createdAt: number;
}

export interface AttachmentsTable extends InWorkspace {
  id: string;
  uploaderId: string;
  conversationId: string | null;
  messageId: string | null;
  storageKey: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  createdAt: number;
}

export type TicketStatus = 'open' | 'in_progress' | 'pending' | 'snoozed' | 'closed';
export type TicketPriority = 'low' | 'medium' | 'high' | 'urgent';
export type TicketChannel = 'app' | 'email' | 'widget';

export interface TicketsTable extends InWorkspace {
  id: string;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  /** low 1, medium 2, high 3, urgent 4: the sort key of "most urgent first". */
  priorityRank: number;
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
  conversationId: string;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  /** Set while snoozed: when it wakes up as open. */
  snoozedUntil: number | null;
  /** The closed ticket whose late reply opened this one; a ticket has one follow-up at most. */
  followUpOf: string | null;
  /** `email`: opened by a mail to a support address (email-inbox/); public replies go out by mail. */
  channel: ColumnType<TicketChannel, TicketChannel | undefined, TicketChannel>;
  /** SLA clocks (sla/), set by the SLA reaction after the ticket is made; null: no policy applied. */
  slaFirstResponseDueAt: number | null;
  /** The first public reply by staff (set by `touchTicketOnReply`). */
  slaFirstRespondedAt: number | null;
  slaFirstResponseState: SlaState | null;
  slaResolutionDueAt: number | null;
  slaResolutionState: SlaState | null;
  /** Set while pending: the clocks stand still. */
  slaPausedAt: number | null;
  /** Business time paused so far; the due times are moved by it. */
  slaPausedMs: ColumnType<number, number | undefined, number>;
  /**
   * A copy of its thread's label ids for reports: a sorted JSON array, null without labels,
   * written with `conversation_labels` (syncTicketLabelIds). Read the labels from there.
   */
  labelIds: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * Every column of a table, by name, for reads of whole rows: on PostgreSQL `select *` would
 * also read the stored search vectors of messages and tickets (migration 2026-12-09T0900), as
 * wide as their text again. Listed as an object, so a new column not listed fails to compile.
 */
const columnsOf = <T>(all: { [K in keyof T]-?: true }) => Object.keys(all) as (keyof T & string)[];

export const MESSAGE_COLUMNS = columnsOf<MessagesTable>({
  id: true,
  workspaceId: true,
  conversationId: true,
  seq: true,
  senderId: true,
  kind: true,
  body: true,
  clientMsgId: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  systemEvent: true,
  replyToId: true,
});

export const TICKET_COLUMNS = columnsOf<TicketsTable>({
  workspaceId: true,
  id: true,
  subject: true,
  description: true,
  status: true,
  priority: true,
  priorityRank: true,
  requesterId: true,
  assigneeId: true,
  teamId: true,
  conversationId: true,
  createdAt: true,
  updatedAt: true,
  closedAt: true,
  snoozedUntil: true,
  followUpOf: true,
  channel: true,
  slaFirstResponseDueAt: true,
  slaFirstRespondedAt: true,
  slaFirstResponseState: true,
  slaResolutionDueAt: true,
  slaResolutionState: true,
  slaPausedAt: true,
  slaPausedMs: true,
  labelIds: true,
});

/** A new ticket's SLA columns: the SLA reaction sets them once the ticket is committed. */
export const NO_SLA = {
  slaFirstResponseDueAt: null,
  slaFirstRespondedAt: null,
  slaFirstResponseState: null,
  slaResolutionDueAt: null,
  slaResolutionState: null,
  slaPausedAt: null,
  slaPausedMs: 0,
} as const satisfies Partial<Insertable<TicketsTable>>;

/** One closure of a ticket asking its requester for a score (csat/); team, assignee, priority as at the closure. */
export interface CsatSurveysTable extends InWorkspace {
  id: string;
  ticketId: string;
  requesterId: string;
  closedAt: number;
  teamId: string | null;
  assigneeId: string | null;
  priority: TicketPriority;
  askedAt: number;
  score: number | null;
  comment: string | null;
  answeredAt: number | null;
}
export type CsatSurveyRow = Selectable<CsatSurveysTable>;

/** Where a person's pushes go (push/): a browser subscription or an Expo token. */
export interface PushDevicesTable extends InWorkspace {
  id: string;
  userId: string;
  kind: 'web' | 'expo';
  /** The subscription's endpoint or the Expo token. */
  address: string;
  addressHash: string;
  p256dh: string | null;
  auth: string | null;
  /** Our VAPID public key when it registered (web only). */
  vapidKey: string | null;
  label: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  /** Permanent failures in a row; the device is removed at PUSH_MAX_FAILURES. */
  failures: Generated<number>;
  /** The session that registered it: pushes stop when it ends. Null: registered before sessions were kept. */
  sessionId: string | null;
}
export type PushDeviceRow = Selectable<PushDevicesTable>;

export type SlaState = 'ok' | 'at_risk' | 'breached' | 'met';

/** A workspace's SLA policy (`policy`: the protocol's `SlaPolicy` as JSON). */
export interface SlaPoliciesTable extends InWorkspace {
  policy: string;
  updatedBy: string | null;
  updatedAt: number;
}

/** An escalation step done for a ticket: its key makes each step happen once. */
export interface SlaEscalationsTable extends InWorkspace {
  ticketId: string;
  stepKey: string;
  doneAt: number;
}

export type FriendRequestStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';

export type TicketRow = Selectable<TicketsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;

export interface FriendRequestsTable extends InWorkspace {
  id: string;
  fromUserId: string;
  toUserId: string;
  status: FriendRequestStatus;
  /** Set only while pending (sorted pair of user ids): at most one open request per pair. */
  pendingKey: string | null;
  createdAt: number;
  respondedAt: number | null;
}

export interface ContactsTable extends InWorkspace {
  userId: string;
  contactId: string;
  createdAt: number;
}

export interface BlocksTable extends InWorkspace {
  blockerId: string;
  blockedId: string;
  createdAt: number;
}

export interface NotificationsTable extends InWorkspace {
  id: string;
  userId: string;
  kind: string;
  /** JSON object: the ids of the latest event, and its ticket subject, sender and preview. */
  data: string;
  /** The conversation the entry gathers (one entry per user and conversation); null: friend requests. */
  conversationId: string | null;
  /** Events gathered since the entry was last read. */
  count: number;
  /** The newest message seq the entry covers; null when none (a new ticket, an assignment). */
  seq: number | null;
  createdAt: number;
  updatedAt: number;
  readAt: number | null;
}

export interface AuditLogTable extends InWorkspace {
  id: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  /** JSON object. */
  data: string;
  createdAt: number;
}

export interface WebhooksTable extends InWorkspace {
  id: string;
  url: string;
  description: string | null;
  /** JSON array of event types, sorted. */
  events: string;
  secret: string;
  /** The secret before the last rotation: it signs too until `previousSecretUntil`. */
  previousSecret: string | null;
  previousSecretUntil: number | null;
  maxConcurrency: number;
  disabledAt: number | null;
  disabledReason: 'admin' | 'failing' | null;
  /** The first failed attempt since the last success. */
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ApiTokensTable extends InWorkspace {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 (hex) of the secret: the secret itself is shown once and never stored. */
  secretHash: string;
  /** The secret's first characters, to tell tokens apart. */
  prefix: string;
  /** JSON array of scopes, sorted. */
  scopes: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type DataExportStatus = 'pending' | 'ready' | 'failed';

/** A person's copy of their data in a workspace (data-exports/); its zip is named by `storageKey`. */
export interface DataExportsTable extends InWorkspace {
  id: string;
  userId: string;
  status: DataExportStatus;
  /** 128 random bits as hex: the file's name under DATA_DIR/exports, never anything a user typed. */
  storageKey: string;
  sizeBytes: number | null;
  createdAt: number;
  readyAt: number | null;
  expiresAt: number;
}

/** A call in a conversation (calls/, decision 0016); its people in `callParticipants`. */
export interface CallsTable extends InWorkspace {
  id: string;
  conversationId: string;
  kind: 'voice' | 'video';
  state: 'ringing' | 'active' | 'ended';
  /** Bumped by every change: each write is conditional on the version read. */
  version: number;
  startedBy: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: 'completed' | 'missed' | 'declined' | 'cancelled' | null;
  /** The conversation's id while the call is live, null once ended: one live call per conversation. */
  liveKey: string | null;
}

export interface CallParticipantsTable extends InWorkspace {
  callId: string;
  userId: string;
  /** The caller is 0; the others in the order they were rung. */
  position: number;
  state: 'ringing' | 'joined' | 'left' | 'declined' | 'missed' | 'busy';
  joinedAt: number | null;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable extends InWorkspace {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  /** 0: the original delivery of the event; n: its n-th redelivery. */
  redelivery: number;
  /** The ticket: one ticket's deliveries go out one at a time, in order. Null: no order to keep. */
  orderingKey: string | null;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When a pending delivery is next tried; null once it is delivered or given up. */
  nextAttemptAt: number | null;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number | null;
  createdAt: number;
  deliveredAt: number | null;
}

/** What an installation has once only, by name; the primary key is what makes it once. */
export interface InstallationClaimsTable {
  name: 'first_admin';
  userId: string;
  createdAt: number;
}

/** The durable job queue: see jobs/job-runner.ts. */
export interface JobsTable {
  id: string;
  kind: string;
  /** JSON, checked against the kind's schema when enqueued and again when run. */
  payload: string;
  runAt: number;
  attempts: Generated<number>;
  maxAttempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedUntil: number | null;
  /** Set when the job used up its attempts; such a job is never run again. */
  failedAt: number | null;
  dedupeKey: string | null;
  createdAt: number;
}

/** Desk-wide settings, one row per key; `value` is JSON, read through the protocol's schema. */
export interface DeskSettingsTable extends InWorkspace {
  key: string;
  value: string;
  updatedBy: string | null;
  updatedAt: number;
}

export interface WorkspacesTable {
  id: string;
  /** Lower-case letters, digits and dashes; how people name the workspace when they sign in. */
  slug: string;
  name: string;
  /** `#rrggbb`; null: the app's own accent. */
  accentColor: string | null;
  logoKey: string | null;
  /** 1: anyone may register into it as a customer; 0: by invite only. */
  openSignup: number;
  createdAt: number;
  updatedAt: number;
  suspendedAt: number | null;
}
export type WorkspaceRow = Selectable<WorkspacesTable>;

export interface RolesTable extends InWorkspace {
  id: string;
  /** `admin`, `agent` or `customer` for the roles every workspace starts with; null for its own. */
  builtIn: UserRole | null;
  name: string;
  nameKey: string;
  createdAt: number;
  updatedAt: number;
}

export interface RolePermissionsTable extends InWorkspace {
  roleId: string;
  permission: string;
}

export interface WorkspaceMembersTable extends InWorkspace {
  userId: string;
  roleId: string;
  createdAt: number;
  updatedAt: number;
  deactivatedAt: number | null;
  /** Set by the member: away (since then), so auto-assignment passes them by; null: available. */
  awaySince: number | null;
}
export type WorkspaceMemberRow = Selectable<WorkspaceMembersTable>;

/** A link to join a workspace with a role; the token is shown once and only its SHA-256 is kept. */
export interface InvitesTable extends InWorkspace {
  id: string;
  tokenHash: string;
  roleId: string;
  /** 1: single use; null: any number of uses until it expires. */
  maxUses: number | null;
  uses: Generated<number>;
  expiresAt: number;
  createdBy: string | null;
  createdAt: number;
  revokedAt: number | null;
}
export type InviteRow = Selectable<InvitesTable>;

/**
 * Installation operators: accounts that create, suspend and delete workspaces. Installation-level
 * (no workspace); only the operator CLI writes it (docs/decisions/0007-operators.md).
 */
export interface OperatorsTable {
  userId: string;
  createdAt: number;
}

/** An automation rule; `event`, `conditions` and `actions` are JSON (packages/protocol automation.ts). */
export interface AutomationRulesTable extends InWorkspace {
  id: string;
  name: string;
  /** 1 or 0. */
  enabled: number;
  position: number;
  event: string;
  conditions: string;
  actions: string;
  createdAt: number;
  updatedAt: number;
}

/** A rule ran for an event (its key): never again for that event. */
export interface RuleRunsTable extends InWorkspace {
  ruleId: string;
  eventKey: string;
  ticketId: string;
  ranAt: number;
}

/** A staff note about a customer (a member of the workspace); `authorId` null: the author is gone. */
export interface CustomerNotesTable extends InWorkspace {
  id: string;
  customerId: string;
  authorId: string | null;
  body: string;
  createdAt: number;
  updatedAt: number;
}

/** A ticket merged into another: the source is closed, its messages copied into the target's thread. */
export interface TicketMergesTable extends InWorkspace {
  sourceTicketId: string;
  targetTicketId: string;
  mergedBy: string | null;
  copiedMessages: number;
  mergedAt: number;
}
/** A saved ticket view (saved-views/); `filter` is the protocol's ticket filter as JSON. */
export interface SavedViewsTable extends InWorkspace {
  id: string;
  ownerId: string;
  scope: 'personal' | 'shared';
  name: string;
  filter: string;
  sort: string;
  /** A custom field sorted by first (`key`, `-key`), then `sort`; null: none. */
  sortField: string | null;
  position: number;
  createdAt: number;
  updatedAt: number;
}
/** A label of the workspace; `nameKey` is the name in lower case (unique per workspace). */
export interface LabelsTable extends InWorkspace {
  id: string;
  name: string;
  nameKey: string;
  colour: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
}
export type LabelRow = Selectable<LabelsTable>;

/** A label on a conversation (a ticket's are on its thread). */
export interface ConversationLabelsTable extends InWorkspace {
  conversationId: string;
  labelId: string;
  createdAt: number;
}
/** A canned response (packages/protocol canned-responses.ts); `ownerKey` is `u:<user>`, `t:<team>` or `w`. */
export interface CannedResponsesTable extends InWorkspace {
  id: string;
  scope: 'personal' | 'team' | 'workspace';
  ownerId: string | null;
  teamId: string | null;
  ownerKey: string;
  shortcut: string;
  title: string;
  body: string;
  usageCount: Generated<number>;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}
export type CannedResponseRow = Selectable<CannedResponsesTable>;
/** A custom field's definition (docs/decisions/0009-custom-fields.md); `options`, `requiredFor` are JSON arrays. */
export interface CustomFieldsTable extends InWorkspace {
  id: string;
  entity: 'ticket' | 'customer';
  key: string;
  name: string;
  type: 'text' | 'number' | 'select' | 'multi_select' | 'date' | 'checkbox';
  options: string;
  requiredFor: string;
  /** 1 or 0. */
  visibleToCustomers: number;
  position: number;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}
export type CustomFieldRow = Selectable<CustomFieldsTable>;

/** One value of a field on a ticket or customer; a multi-select has a row per chosen option (`item`). */
export interface CustomFieldValuesTable extends InWorkspace {
  fieldId: string;
  entityId: string;
  item: number;
  textValue: string | null;
  numberValue: number | null;
  updatedAt: number;
}
export type CustomFieldValueRow = Selectable<CustomFieldValuesTable>;

/** How a person of a workspace hears of things outside the app; no row: the defaults. */
export interface NotificationSettingsTable extends InWorkspace {
  userId: string;
  /** `all`, `mentions` or `none`. */
  pushLevel: string;
  emailLevel: string;
  /** JSON array of the email categories unsubscribed from. */
  emailOff: string;
  /** Quiet hours, minutes after midnight in `timeZone`; both null: none. */
  quietFrom: number | null;
  quietTo: number | null;
  timeZone: string | null;
  /** Notification entries updated up to this time have been mailed (or were not to be). */
  emailedUpTo: number;
  updatedAt: number;
}

/**
 * A support address of a workspace (email-inbox/). `address` is unique across the installation:
 * inbound mail is routed by it before any workspace is known.
 */
export interface EmailChannelsTable extends InWorkspace {
  id: string;
  /** Lower-cased, without a plus part. */
  address: string;
  /** The sender name of replies; null: the workspace's name. */
  name: string | null;
  teamId: string | null;
  createdAt: number;
  updatedAt: number;
}
export type EmailChannelRow = Selectable<EmailChannelsTable>;

/**
 * One mail of a conversation's email thread, in or out: its Message-ID (as SHA-256 of the
 * normalised id, unique per workspace, so a redelivered mail is known) ties replies to the
 * conversation through In-Reply-To and References.
 */
export interface EmailMessagesTable extends InWorkspace {
  id: string;
  channelId: string;
  conversationId: string;
  /** The Parley message the mail became or came from; null: the mail opened the ticket (its description). */
  messageId: string | null;
  direction: 'in' | 'out';
  headerHash: string;
  /** The Message-ID as sent (angle brackets included), for the References of replies. */
  headerId: string;
  /** Inbound: the sender's address, for the per-sender limit. */
  fromAddress: string | null;
  /** Inbound: the relay's `Authentication-Results` verdicts (`spf=pass dkim=pass dmarc=pass`), when it gave one. */
  authResults: string | null;
  createdAt: number;
}
export type EmailMessageRow = Selectable<EmailMessagesTable>;

/** A website chat widget (widget/); `key` is public and unique across the installation. */
export interface ChatWidgetsTable extends InWorkspace {
  id: string;
  key: string;
  name: string;
  /** A JSON array of origins (`https://shop.example`) that may embed it. */
  allowedOrigins: string;
  teamId: string | null;
  greeting: string | null;
  /** Signs the host site's user ids (verified identities); shown to `settings.manage` only. */
  identitySecret: string;
  createdAt: number;
  updatedAt: number;
}
export type ChatWidgetRow = Selectable<ChatWidgetsTable>;

/** A visitor who chatted through a widget: a user without a usable password. */
export interface WidgetGuestsTable extends InWorkspace {
  userId: string;
  widgetId: string;
  /** The host site's user id, when it passed a verified identity. */
  externalId: string | null;
  /** From the pre-chat form: where replies go while they are away. */
  contactEmail: string | null;
  /** The first message that opened their newest chat, and that chat: a repeat opens no second one. */
  lastClientMsgId: string | null;
  lastTicketId: string | null;
  createdAt: number;
}
export type WidgetGuestRow = Selectable<WidgetGuestsTable>;
