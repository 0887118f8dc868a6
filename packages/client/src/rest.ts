import { UPLOAD_FIELD } from '@parley/protocol/constants';
import type {
  NotificationSettings,
  NotifyLevel,
  Unsubscribed,
  UpdateNotificationSettingsBody,
  AccountSessionList,
  ChangePasswordBody,
  PasswordResetBody,
  PasswordResetConfirmBody,
  VerifyEmailBody,
  BulkTicketBody,
  BulkTicketResult,
  CustomerContext,
  CustomerContextQuery,
  CustomerNote,
  CustomerNoteBody,
  CustomerNoteList,
  MergeTicketBody,
  MergeGuestBody,
  MergedGuest,
  MergeTicketResult,
  CreateCustomFieldBody,
  CustomField,
  CustomFieldList,
  CustomFieldListQuery,
  EntityFieldValues,
  ReorderCustomFieldsBody,
  SetFieldValuesBody,
  UpdateCustomFieldBody,
  Availability,
  SetAvailabilityBody,
  AutomationRule,
  AutomationRuleList,
  CreateSavedViewBody,
  SavedView,
  SavedViewList,
  UpdateSavedViewBody,
  CreateLabelBody,
  ItemLabels,
  Label,
  LabelList,
  UpdateLabelBody,
  CreateEmailChannelBody,
  EmailChannel,
  EmailChannelList,
  UpdateEmailChannelBody,
  ChatWidget,
  ChatWidgetList,
  ApiTokenList,
  CreateApiTokenBody,
  DataExport,
  DataExportList,
  CreatedApiToken,
  CreateWebhookBody,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
  WebhookList,
  CreateChatWidgetBody,
  UpdateChatWidgetBody,
  CreateAutomationRuleBody,
  ReorderAutomationRulesBody,
  UpdateAutomationRuleBody,
  AdminUser,
  Attachment,
  CannedResponse,
  CannedResponseList,
  CannedResponseListQuery,
  CreateCannedResponseBody,
  RenderedCannedResponse,
  UpdateCannedResponseBody,
  AuditPage,
  AuditQuery,
  AvatarResponse,
  BlockedUserPage,
  BlockListQuery,
  ContactListQuery,
  ContactPage,
  Conversation,
  CreateGroupBody,
  PinList,
  IceServers,
  Call as CallState,
  CallKind,
  CallList,
  StartCallBody,
  PushConfig,
  PushDevice,
  PushDeviceList,
  RegisterPushDeviceBody,
  SavedMessagePage,
  SavedMessageQuery,
  UpdateGroupBody,
  ConversationListQuery,
  ConversationPage,
  CreateRoleBody,
  CreateInviteBody,
  CreatedInvite,
  CreateTeamBody,
  CreateTicketBody,
  DeskSettings,
  SlaPolicy,
  SlaPolicySetting,
  ErrorBody,
  FriendRequest,
  FriendRequestListQuery,
  FriendRequestPage,
  InviteList,
  InvitePreview,
  JoinBody,
  LoginBody,
  Me,
  Message,
  MessageListQuery,
  MyWorkspaces,
  MessageEditHistory,
  MessagePage,
  NotificationListQuery,
  NotificationPage,
  PublicUser,
  RegisterBody,
  SendMessageBody,
  Session,
  SwitchWorkspaceBody,
  Team,
  TeamDetail,
  TeamList,
  Ticket,
  TicketCategoryList,
  TicketListQuery,
  TicketCounts,
  TicketCountsQuery,
  TicketListItem,
  TicketPage,
  TokenPair,
  UpdateDeskSettingsBody,
  UpdateMeBody,
  UpdateRoleBody,
  UpdateTeamBody,
  UpdateTicketBody,
  UpdateUserBody,
  UpdateWorkspaceBody,
  UserPage,
  CsatAnswerBody,
  CsatSurvey,
  CsatSurveyList,
  Report,
  ReportName,
  ReportQuery,
  UserSearchQuery,
  SearchQuery,
  SearchResults,
  WorkspaceLogoResponse,
  WorkspaceRole,
  WorkspaceRoleList,
  WorkspaceSettings,
} from '@parley/protocol';
import { ParleyError } from './errors';
import { createSessionStore, type SessionStore } from './session-store';
import { memoryStorage, type KeyValueStorage } from './storage';

/** Query parameters as the server parses them; every one may be left out (the server has defaults). */
type Query<T> = Partial<T>;

export interface RestClientOptions {
  /** The server's base URL, e.g. `https://parley.example`. */
  baseUrl: string;
  /** Where the session is kept; memory (lost on restart) unless the app passes its own. */
  storage?: KeyValueStorage;
  /**
   * An API token (`pat_…`, from `POST /me/api-tokens`) for a script or a bot: every request and
   * the socket use it instead of a signed-in session, and it is never refreshed.
   */
  apiToken?: string;
  fetch?: typeof fetch;
  /** Called when the refresh token stops working: the user must sign in again. */
  onSignedOut?: () => void;
  /**
   * Runs `task` while holding the named lock across every copy of the app sharing `storage`
   * (on the web: `navigator.locks.request`), so only one tab refreshes the shared session at a
   * time and the others pick up its result. Without it, the server's reuse grace covers the race.
   */
  lock?: <T>(name: string, task: () => Promise<T>) => Promise<T>;
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: object;
  json?: unknown;
  form?: FormData;
  /** Lets the request outlive the page (a web page that is being closed); see `fetch`'s `keepalive`. */
  keepalive?: boolean;
  /** The answer is text (a CSV file), not JSON. */
  text?: boolean;
  /** The answer is a file (a zip), not JSON. */
  blob?: boolean;
  /** Cancels the request (a search overtaken by the next keystroke); it rejects with the abort's error. */
  signal?: AbortSignal;
}

/**
 * Refresh when the access token has less than this left (or a third of its lifetime, if that is
 * shorter), so a socket does not open with a dying one.
 */
const EXPIRY_MARGIN_MS = 30_000;

export function createRestClient(options: RestClientOptions) {
  const session = createSessionStore(options.storage ?? memoryStorage());
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  // Called unbound: browsers throw "Illegal invocation" when `window.fetch` loses its `this`.
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let refreshing: Promise<string | null> | undefined;
  const withLock = options.lock ?? ((_name, task) => task());

  async function send<T>(call: Call, token: string | undefined): Promise<T> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    let body: BodyInit | undefined = call.form;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    }
    const response = await fetchOrThrow(fetchImpl, baseUrl + call.path + queryString(call.query), {
      method: call.method,
      headers,
      ...(body !== undefined && { body }),
      ...(call.keepalive && { keepalive: true }),
      ...(call.signal && { signal: call.signal }),
    });
    if (!response.ok) throw await errorFrom(response);
    // 204, or an accepted request (202) that answers nothing.
    if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T;
    if (call.text) return (await response.text()) as T;
    if (call.blob) return (await response.blob()) as T;
    return (await readBody(response)) as T;
  }

  /** Sends an authenticated call; on a 401, refreshes (shared by all callers) and retries once. */
  async function request<T>(call: Call): Promise<T> {
    if (options.apiToken) return send<T>(call, options.apiToken);
    await session.load();
    const used = session.get()?.accessToken;
    try {
      return await send<T>(call, used);
    } catch (error) {
      // Only an expired or revoked token is worth a refresh; a wrong password (invalid_credentials) is not.
      const stale = error instanceof ParleyError && error.status === 401 && error.code !== 'invalid_credentials';
      if (!stale || !session.get()) throw error;
      const token = await tokenAfterRejection(used);
      if (token === null) throw error;
      return send<T>(call, token);
    }
  }

  /** A late 401 for a token already replaced by another caller's refresh only needs the new token. */
  async function tokenAfterRejection(used: string | undefined): Promise<string | null> {
    const current = session.get();
    if (current && current.accessToken !== used) return current.accessToken;
    return refresh();
  }

  /** Single flight: every caller that needs a new token while one is on its way waits for that one. */
  function refresh(): Promise<string | null> {
    refreshing ??= refreshNow().finally(() => (refreshing = undefined));
    return refreshing;
  }

  async function refreshNow(): Promise<string | null> {
    const known = session.get();
    if (!known) return null;
    return withLock('parley.refresh', async () => {
      // Another tab (sharing our storage) may have refreshed, or signed out, while we waited.
      const current = await session.reload();
      if (!current) {
        options.onSignedOut?.();
        return null;
      }
      // Theirs is good: use it. (If it has run out meanwhile, refresh with their newer token.)
      if (current.refreshToken !== known.refreshToken && !expiresWithin(current.accessToken, 0)) {
        return current.accessToken;
      }
      try {
        const pair = await send<TokenPair>(
          { method: 'POST', path: '/auth/refresh', json: { refreshToken: current.refreshToken } },
          undefined,
        );
        // A logout or another sign-in during the refresh wins: do not bring the old session back.
        if (session.get()?.refreshToken !== current.refreshToken) return session.get()?.accessToken ?? null;
        await session.set({ ...current, ...pair });
        return pair.accessToken;
      } catch (error) {
        // 400 (malformed) and 401 (expired, reused, revoked) both mean this refresh token is dead.
        if (!(error instanceof ParleyError) || (error.status !== 401 && error.status !== 400)) throw error;
        await session.clear();
        options.onSignedOut?.();
        return null;
      }
    });
  }

  async function startSession(call: Call): Promise<Session> {
    const started = await send<Session>(call, undefined);
    await session.set(started);
    return started;
  }

  /** Keeps the stored user in step with what the server just said about them. */
  async function rememberUser(changes: Partial<Me>): Promise<void> {
    const current = session.get();
    if (current?.user) await session.set({ ...current, user: { ...current.user, ...changes } });
  }

  const get = <T>(route: string, query?: object) => request<T>({ method: 'GET', path: route, ...(query && { query }) });
  const post = <T>(route: string, json?: unknown) => request<T>({ method: 'POST', path: route, json });
  const patch = <T>(route: string, json: unknown) => request<T>({ method: 'PATCH', path: route, json });
  const put = <T>(route: string, json?: unknown) =>
    request<T>({ method: 'PUT', path: route, ...(json !== undefined && { json }) });
  const del = <T>(route: string, options: { keepalive?: boolean } = {}) =>
    request<T>({ method: 'DELETE', path: route, ...options });
  const upload = <T>(method: 'PUT' | 'POST', route: string, file: UploadFile, fileName: string) =>
    request<T>({ method, path: route, form: fileForm(file, fileName) });

  return {
    session: session satisfies SessionStore,

    /** A token for the realtime socket, refreshed first if it is about to expire (or `fresh` is asked). */
    async accessToken(fresh = false): Promise<string | null> {
      if (options.apiToken) return options.apiToken;
      await session.load();
      const current = session.get();
      if (!current) return null;
      if (!fresh && !expiresWithin(current.accessToken, EXPIRY_MARGIN_MS)) return current.accessToken;
      return refresh();
    },

    auth: {
      /** With `invite` (a token), into the invite's workspace with its role. */
      register: (body: RegisterBody) => startSession({ method: 'POST', path: '/auth/register', json: body }),
      /** With `workspace` (a slug), into that workspace; without, the one signed in to last. */
      login: (body: LoginBody) => startSession({ method: 'POST', path: '/auth/login', json: body }),
      /** Mails a reset link if the account exists; the answer is the same either way. */
      requestPasswordReset: (body: PasswordResetBody) =>
        send<void>({ method: 'POST', path: '/auth/password-reset', json: body }, undefined),
      /** The new password, with the token of the mailed link; every session of the account ends. */
      confirmPasswordReset: (body: PasswordResetConfirmBody) =>
        send<void>({ method: 'POST', path: '/auth/password-reset/confirm', json: body }, undefined),
      /** The token of a mailed verification link. */
      verifyEmail: (body: VerifyEmailBody) =>
        send<void>({ method: 'POST', path: '/auth/verify-email', json: body }, undefined),
      /**
       * A new session in another of the person's workspaces, stored like a sign-in (the old one
       * stays valid on the server but is no longer this client's). `createParleyClient` also
       * moves its socket over; on its own this is the REST half.
       */
      async switchWorkspace(workspaceId: string): Promise<Session> {
        const body: SwitchWorkspaceBody = { workspaceId };
        const started = await post<Session>('/auth/switch', body);
        await session.set(started);
        return started;
      },
      /**
       * Joins the invite's workspace as the signed-in person, and stores the session there like a
       * switch (`createParleyClient` moves the socket over too).
       */
      async join(body: JoinBody): Promise<Session> {
        const started = await post<Session>('/auth/join', body);
        await session.set(started);
        return started;
      },
      /**
       * Signs out locally whatever the server says: a user who asks to leave must not stay signed
       * in, and a refresh token the server never heard about expires on its own.
       */
      async logout(): Promise<void> {
        await session.load();
        const current = session.get();
        await session.clear();
        if (!current) return;
        await send<void>(
          { method: 'POST', path: '/auth/logout', json: { refreshToken: current.refreshToken } },
          undefined,
        ).catch(() => undefined);
      },
    },

    me: {
      /** Your saved messages, newest saved first. */
      savedMessages: (query?: Query<SavedMessageQuery>) => get<SavedMessagePage>('/me/saved-messages', query),
      saveMessage: (messageId: string) => request<void>({ method: 'PUT', path: path`/me/saved-messages/${messageId}` }),
      unsaveMessage: (messageId: string) => del<void>(path`/me/saved-messages/${messageId}`),
      async get(): Promise<Me> {
        const me = await get<Me>('/me');
        await rememberUser(me);
        return me;
      },
      async update(body: UpdateMeBody): Promise<Me> {
        const me = await patch<Me>('/me', body);
        await rememberUser(me);
        return me;
      },
      async setAvatar(file: UploadFile, fileName: string): Promise<AvatarResponse> {
        const answer = await upload<AvatarResponse>('PUT', '/me/avatar', file, fileName);
        await rememberUser(answer);
        return answer;
      },
      async removeAvatar(): Promise<void> {
        await del<void>('/me/avatar');
        await rememberUser({ avatarUrl: null });
      },
      /** Every workspace the person belongs to, with their role and unread count there (the switcher). */
      workspaces: () => get<MyWorkspaces>('/me/workspaces'),
      /** Needs the current password; every other session ends (this one goes on). */
      changePassword: (body: ChangePasswordBody) => post<void>('/me/password', body),
      /** Mails a link that verifies the address (`auth.verifyEmail` takes its token). */
      requestEmailVerification: () => post<void>('/me/email/verification'),
      /** Signed-in devices, in every workspace; `current` is this one. */
      sessions: () => get<AccountSessionList>('/me/sessions'),
      /** Signs one device out (this one too, if it is its id). */
      endSession: (id: string) => del<void>(path`/me/sessions/${id}`),
      /** Signs out every device but this one. */
      endOtherSessions: () => del<void>('/me/sessions'),
      /** Staff: away (no auto-assigned tickets) or available again, in this workspace. */
      async setAvailability(body: SetAvailabilityBody): Promise<Availability> {
        const answer = await put<Availability>('/me/availability', body);
        await rememberUser({ awaySince: answer.awaySince });
        return answer;
      },
    },

    /**
     * Notifications pushed to this device while the app is closed: web push (subscribe with
     * `config().webPublicKey`; subscribe again when it differs from the subscription's
     * `applicationServerKey`) or an Expo token. Unregister before signing out.
     */
    push: {
      /** Public: the VAPID key, so a page may ask before anyone signs in. */
      config: () => send<PushConfig>({ method: 'GET', path: '/push/config' }, undefined),
      devices: () => get<PushDeviceList>('/me/push-devices'),
      /** The same subscription or token again answers the same device. */
      register: (body: RegisterPushDeviceBody) => post<PushDevice>('/me/push-devices', body),
      unregister: (id: string) => del<void>(path`/me/push-devices/${id}`),
    },

    calls: {
      /** Rings the others of a direct chat or group, or a ticket's requester / assignee. `409` with `details.callId`: join that one. */
      start: (conversationId: string, kind: CallKind) =>
        post<CallState>(path`/conversations/${conversationId}/calls`, { kind } satisfies StartCallBody),
      get: (id: string) => get<CallState>(path`/calls/${id}`),
      /** Ringing for you or with you in them: what to show again after a reconnect. */
      live: () => get<CallList>('/calls'),
      /** Answers (your other devices stop ringing), or joins again after a drop. */
      join: (id: string) => post<CallState>(path`/calls/${id}/join`),
      decline: (id: string) => post<CallState>(path`/calls/${id}/decline`),
      leave: (id: string) => post<CallState>(path`/calls/${id}/leave`),
      /**
       * STUN and TURN servers for `new RTCPeerConnection({ iceServers })`, with TURN credentials made
       * for you: fetch them for each call, and again for an ICE restart once `expiresAt` has passed.
       */
      iceServers: () => get<IceServers>('/calls/ice-servers'),
    },

    /**
     * Tickets, messages and people matching `q` (the language of `parseSearch`), each kind a page;
     * `signal` cancels a search the next keystroke made stale.
     */
    search: (query: SearchQuery, options: { signal?: AbortSignal } = {}) =>
      request<SearchResults>({ method: 'GET', path: '/search', query, ...options }),

    users: {
      /** Admins get the `AdminUser` form (with `deactivatedAt`). */
      get: (id: string) => get<PublicUser | AdminUser>(path`/users/${id}`),
      search: (query?: Query<UserSearchQuery>) => get<UserPage>('/users', query),
      /** A role change by `role` (built-in) or `roleId` (any role of the workspace), or (de)activation. */
      update: (id: string, body: UpdateUserBody) => patch<AdminUser>(path`/users/${id}`, body),
    },

    /** The workspace of this session: its name, branding and sign-up policy (`settings.manage` changes them). */
    workspace: {
      get: () => get<WorkspaceSettings>('/workspace'),
      update: (body: UpdateWorkspaceBody) => patch<WorkspaceSettings>('/workspace', body),
      setLogo: (file: UploadFile, fileName: string) =>
        upload<WorkspaceLogoResponse>('PUT', '/workspace/logo', file, fileName),
      removeLogo: () => del<void>('/workspace/logo'),
    },

    /** Links to join this workspace with a role (`people.manage`); `preview` is public. */
    invites: {
      /** The answer holds the token: the only time it is shown. */
      create: (body: CreateInviteBody) => post<CreatedInvite>('/invites', body),
      list: () => get<InviteList>('/invites'),
      revoke: (id: string) => del<void>(path`/invites/${id}`),
      /** What the join page shows: the workspace and the role. 404 for any invite that does not work. */
      preview: (token: string) =>
        send<InvitePreview>({ method: 'GET', path: path`/invites/preview/${token}` }, undefined),
    },

    /** The workspace's roles: named sets of permissions (built-in ones are read-only). */
    roles: {
      list: () => get<WorkspaceRoleList>('/roles'),
      create: (body: CreateRoleBody) => post<WorkspaceRole>('/roles', body),
      update: (id: string, body: UpdateRoleBody) => patch<WorkspaceRole>(path`/roles/${id}`, body),
      remove: (id: string) => del<void>(path`/roles/${id}`),
    },

    /** Automation rules, in the order they run (`settings.manage`). */
    automationRules: {
      list: () => get<AutomationRuleList>('/automation-rules'),
      create: (body: CreateAutomationRuleBody) => post<AutomationRule>('/automation-rules', body),
      update: (id: string, body: UpdateAutomationRuleBody) =>
        patch<AutomationRule>(path`/automation-rules/${id}`, body),
      remove: (id: string) => del<void>(path`/automation-rules/${id}`),
      /** Every rule's id once, in the new order. */
      reorder: (body: ReorderAutomationRulesBody) =>
        request<AutomationRuleList>({ method: 'PUT', path: '/automation-rules/order', json: body }),
    },

    /** Saved views: named ticket filters with a sort, personal or shared, with counts (staff). */
    views: {
      list: () => get<SavedViewList>('/views'),
      create: (body: CreateSavedViewBody) => post<SavedView>('/views', body),
      update: (id: string, body: UpdateSavedViewBody) => patch<SavedView>(path`/views/${id}`, body),
      remove: (id: string) => del<void>(path`/views/${id}`),
    },

    /** The workspace's labels: staff read them, `settings.manage` keeps them. */
    labels: {
      list: () => get<LabelList>('/labels'),
      create: (body: CreateLabelBody) => post<Label>('/labels', body),
      update: (id: string, body: UpdateLabelBody) => patch<Label>(path`/labels/${id}`, body),
      /** `409 conflict` while a rule or SLA step names it. */
      remove: (id: string) => del<void>(path`/labels/${id}`),
    },

    /** The workspace's support addresses (`settings.manage`): mail to one opens a ticket. */
    emailChannels: {
      list: () => get<EmailChannelList>('/email-channels'),
      /** `409 conflict` when the address receives mail for a workspace already. */
      create: (body: CreateEmailChannelBody) => post<EmailChannel>('/email-channels', body),
      update: (id: string, body: UpdateEmailChannelBody) => patch<EmailChannel>(path`/email-channels/${id}`, body),
      remove: (id: string) => del<void>(path`/email-channels/${id}`),
    },

    /** The workspace's website chat widgets (`settings.manage`): a `<script>` tag puts one on a site. */
    widgets: {
      list: () => get<ChatWidgetList>('/widgets'),
      create: (body: CreateChatWidgetBody) => post<ChatWidget>('/widgets', body),
      /** `rotateIdentitySecret: true` gives it a new identity secret. */
      update: (id: string, body: UpdateChatWidgetBody) => patch<ChatWidget>(path`/widgets/${id}`, body),
      remove: (id: string) => del<void>(path`/widgets/${id}`),
    },

    /**
     * The workspace's webhooks (`settings.manage`): each event is POSTed to a URL, signed (check
     * it with `verifyWebhookSignature`), retried, and logged in `deliveries`.
     */
    /** Your API tokens (scripts, integrations): the secret comes once, in `create`'s answer. */
    apiTokens: {
      list: () => get<ApiTokenList>('/me/api-tokens'),
      create: (body: CreateApiTokenBody) => post<CreatedApiToken>('/me/api-tokens', body),
      revoke: (id: string) => del<void>(path`/me/api-tokens/${id}`),
    },

    /**
     * Copies of your own data in this workspace (profile, messages you sent, your tickets): `create`
     * asks for one (or answers the one still being built); a `data_export.ready` notification says
     * when it can be downloaded, for 7 days.
     */
    dataExports: {
      list: () => get<DataExportList>('/me/data-exports'),
      create: () => post<DataExport>('/me/data-exports'),
      /** Where the zip is: fetch it with `Authorization: Bearer <accessToken()>` (only its owner may). */
      downloadUrl: (id: string) => baseUrl + path`/me/data-exports/${id}/download`,
      /** The zip itself, fetched with your token. */
      download: (id: string) =>
        request<Blob>({ method: 'GET', path: path`/me/data-exports/${id}/download`, blob: true }),
    },

    webhooks: {
      list: () => get<WebhookList>('/webhooks'),
      create: (body: CreateWebhookBody) => post<Webhook>('/webhooks', body),
      /** `enabled`, `rotateSecret: true`, or any field of `create`. */
      update: (id: string, body: UpdateWebhookBody) => patch<Webhook>(path`/webhooks/${id}`, body),
      remove: (id: string) => del<void>(path`/webhooks/${id}`),
      deliveries: (id: string, query?: Query<WebhookDeliveryQuery>) =>
        get<WebhookDeliveryPage>(path`/webhooks/${id}/deliveries`, query),
      redeliver: (id: string, deliveryId: string) =>
        post<WebhookDelivery>(path`/webhooks/${id}/deliveries/${deliveryId}/redeliver`),
      ping: (id: string) => post<WebhookDelivery>(path`/webhooks/${id}/ping`),
    },

    /**
     * Replies kept ready: personal, a team's or the workspace's (staff). `render` fills one in
     * for a ticket (and counts a use); the agent edits it and sends it as a message.
     */
    cannedResponses: {
      list: (query?: Query<CannedResponseListQuery>) => get<CannedResponseList>('/canned-responses', query),
      create: (body: CreateCannedResponseBody) => post<CannedResponse>('/canned-responses', body),
      update: (id: string, body: UpdateCannedResponseBody) =>
        patch<CannedResponse>(path`/canned-responses/${id}`, body),
      remove: (id: string) => del<void>(path`/canned-responses/${id}`),
      render: (id: string, ticketId: string) =>
        post<RenderedCannedResponse>(path`/canned-responses/${id}/render`, { ticketId }),
    },

    /** Custom fields of tickets and customers (`settings.manage` to change), and customers' values (staff). */
    customFields: {
      list: (query?: Query<CustomFieldListQuery>) => get<CustomFieldList>('/custom-fields', query),
      create: (body: CreateCustomFieldBody) => post<CustomField>('/custom-fields', body),
      update: (id: string, body: UpdateCustomFieldBody) => patch<CustomField>(path`/custom-fields/${id}`, body),
      /** Every field of the entity once, in the new order. */
      reorder: (body: ReorderCustomFieldsBody) =>
        request<CustomFieldList>({ method: 'PUT', path: '/custom-fields/order', json: body }),
      ofCustomer: (userId: string) => get<EntityFieldValues>(path`/users/${userId}/fields`),
      setForCustomer: (userId: string, body: SetFieldValuesBody) =>
        request<EntityFieldValues>({ method: 'PUT', path: path`/users/${userId}/fields`, json: body }),
    },

    teams: {
      list: () => get<TeamList>('/teams'),
      get: (id: string) => get<TeamDetail>(path`/teams/${id}`),
      create: (body: CreateTeamBody) => post<Team>('/teams', body),
      update: (id: string, body: UpdateTeamBody) => patch<Team>(path`/teams/${id}`, body),
      remove: (id: string) => del<void>(path`/teams/${id}`),
      addMember: (id: string, userId: string) => put<void>(path`/teams/${id}/members/${userId}`),
      removeMember: (id: string, userId: string) => del<void>(path`/teams/${id}/members/${userId}`),
    },

    /** What customers pick from when they open a ticket (team names are for staff). */
    ticketCategories: {
      list: () => get<TicketCategoryList>('/ticket-categories'),
    },

    /** How the desk works; admins change it. */
    settings: {
      get: () => get<DeskSettings>('/settings'),
      update: (body: UpdateDeskSettingsBody) => patch<DeskSettings>('/settings', body),
    },

    /** A ticket's satisfaction surveys (one per closure) and its requester's answer. */
    csat: {
      list: (ticketId: string) => get<CsatSurveyList>(path`/tickets/${ticketId}/csat`),
      answer: (ticketId: string, body: CsatAnswerBody) => post<CsatSurvey>(path`/tickets/${ticketId}/csat`, body),
    },

    /** The analytics dashboard (`reports.view`). */
    reports: {
      get: (name: ReportName, query: ReportQuery) => get<Report>(path`/reports/${name}`, { ...query, format: 'json' }),
      /** The same report as a CSV file (header row, a row per group, a total). */
      csv: (name: ReportName, query: ReportQuery) =>
        request<string>({
          method: 'GET',
          path: path`/reports/${name}`,
          query: { ...query, format: 'csv' },
          text: true,
        }),
    },

    /** Due times per priority, business hours and escalation steps (`settings.manage`). */
    slaPolicy: {
      get: () => get<SlaPolicySetting>('/sla-policy'),
      set: (policy: SlaPolicy) => request<SlaPolicySetting>({ method: 'PUT', path: '/sla-policy', json: policy }),
      remove: () => del<void>('/sla-policy'),
    },

    tickets: {
      create: (body: CreateTicketBody) => post<Ticket>('/tickets', body),
      list: (query?: Query<TicketListQuery>) => get<TicketPage>('/tickets', query),
      /** How many tickets each queue filter value would list, under the other filters given. */
      counts: (query?: Query<TicketCountsQuery>) => get<TicketCounts>('/tickets/counts', query),
      get: (id: string) => get<TicketListItem>(path`/tickets/${id}`),
      update: (id: string, body: UpdateTicketBody) => patch<Ticket>(path`/tickets/${id}`, body),
      /** Staff: gives the ticket exactly these labels. */
      setLabels: (id: string, labelIds: string[]) =>
        request<ItemLabels>({ method: 'PUT', path: path`/tickets/${id}/labels`, json: { labelIds } }),
      /** Staff: merge ticket `id` into `intoTicketId` (same requester); safe to retry. */
      merge: (id: string, intoTicketId: string) =>
        post<MergeTicketResult>(path`/tickets/${id}/merge`, { intoTicketId } satisfies MergeTicketBody),
      /** Staff: one change to up to 100 tickets; answered per ticket. */
      bulk: (body: BulkTicketBody) => post<BulkTicketResult>('/tickets/bulk', body),
    },

    /** Staff: who a requester is (other tickets, notes) and notes about them. */
    customers: {
      context: (id: string, query?: Query<CustomerContextQuery>) =>
        get<CustomerContext>(path`/customers/${id}/context`, query),
      notes: (id: string) => get<CustomerNoteList>(path`/customers/${id}/notes`),
      addNote: (id: string, body: string) =>
        post<CustomerNote>(path`/customers/${id}/notes`, { body } satisfies CustomerNoteBody),
      editNote: (id: string, noteId: string, body: string) =>
        patch<CustomerNote>(path`/customers/${id}/notes/${noteId}`, { body } satisfies CustomerNoteBody),
      deleteNote: (id: string, noteId: string) => del<void>(path`/customers/${id}/notes/${noteId}`),
      /** Staff: website visitor `id` (`customer.guest` in the context) becomes registered customer `intoId`. */
      mergeGuest: (id: string, intoId: string) =>
        post<MergedGuest>(path`/customers/${id}/merge`, { intoId } satisfies MergeGuestBody),
    },

    conversations: {
      list: (query?: Query<ConversationListQuery>) => get<ConversationPage>('/conversations', query),
      get: (id: string) => get<Conversation>(path`/conversations/${id}`),
      /** The direct conversation with `userId`, created on first use. */
      openDirect: (userId: string) => post<Conversation>('/conversations/direct', { userId }),
      /** A new group with these people; you are its first admin. */
      createGroup: (body: CreateGroupBody) => post<Conversation>('/conversations/groups', body),
      /** Rename a group or set its topic (null or '': none). */
      updateGroup: (id: string, body: UpdateGroupBody) => patch<Conversation>(path`/conversations/${id}`, body),
      addMembers: (id: string, userIds: string[]) =>
        post<Conversation>(path`/conversations/${id}/members`, { userIds }),
      /** Remove someone from a group (admins), or leave it with your own id. */
      removeMember: (id: string, userId: string) => del<void>(path`/conversations/${id}/members/${userId}`),
      setAdmin: (id: string, userId: string, admin: boolean) =>
        patch<Conversation>(path`/conversations/${id}/members/${userId}`, { admin }),
      messages: (id: string, query?: Query<MessageListQuery>) =>
        get<MessagePage>(path`/conversations/${id}/messages`, query),
      /** Safe to resend with the same `clientMsgId`: the server answers with the original message. */
      send: (id: string, body: SendMessageBody) => post<Message>(path`/conversations/${id}/messages`, body),
      edit: (id: string, messageId: string, body: string) =>
        patch<Message>(path`/conversations/${id}/messages/${messageId}`, { body }),
      /** Every edit of a message: the text each one replaced, oldest first. */
      edits: (id: string, messageId: string) =>
        get<MessageEditHistory>(path`/conversations/${id}/messages/${messageId}/edits`),
      /** `keepalive`: the request still goes out when the page closes right after (a deferred delete). */
      remove: (id: string, messageId: string, options: { keepalive?: boolean } = {}) =>
        del<Message>(path`/conversations/${id}/messages/${messageId}`, options),
      react: (id: string, messageId: string, emoji: string) =>
        post<Message>(path`/conversations/${id}/messages/${messageId}/reactions`, { emoji }),
      read: (id: string, seq: number) => post<void>(path`/conversations/${id}/read`, { seq }),
      /** Mark unread from message `seq` on (your cursor goes back; others still see what you read). */
      markUnread: (id: string, seq: number) => post<void>(path`/conversations/${id}/unread`, { seq }),
      /** The conversation's pinned messages, newest pin first. */
      pins: (id: string) => get<PinList>(path`/conversations/${id}/pins`),
      pin: (id: string, messageId: string) =>
        request<PinList>({ method: 'PUT', path: path`/conversations/${id}/pins/${messageId}` }),
      unpin: (id: string, messageId: string) => del<PinList>(path`/conversations/${id}/pins/${messageId}`),
      /** A muted conversation notifies you of mentions only. */
      mute: (id: string, muted: boolean) =>
        request<void>({ method: 'PUT', path: path`/conversations/${id}/mute`, json: { muted } }),
      /** What of it notifies you: everything, mentions of you (muted), or nothing. */
      setNotify: (id: string, level: NotifyLevel) =>
        request<void>({ method: 'PUT', path: path`/conversations/${id}/notifications`, json: { level } }),
      /** Staff members: gives a (non-ticket) conversation exactly these labels. */
      setLabels: (id: string, labelIds: string[]) =>
        request<ItemLabels>({ method: 'PUT', path: path`/conversations/${id}/labels`, json: { labelIds } }),
      /** Uploads a file to attach to a later `send` (by `attachmentIds`). */
      uploadAttachment: (id: string, file: UploadFile, fileName: string) =>
        upload<Attachment>('POST', path`/conversations/${id}/attachments`, file, fileName),
    },

    friendRequests: {
      send: (userId: string) => post<FriendRequest>('/friend-requests', { userId }),
      list: (query?: Query<FriendRequestListQuery>) => get<FriendRequestPage>('/friend-requests', query),
      accept: (id: string) => post<FriendRequest>(path`/friend-requests/${id}/accept`),
      decline: (id: string) => post<FriendRequest>(path`/friend-requests/${id}/decline`),
      cancel: (id: string) => post<FriendRequest>(path`/friend-requests/${id}/cancel`),
    },

    contacts: {
      list: (query?: Query<ContactListQuery>) => get<ContactPage>('/contacts', query),
      remove: (userId: string) => del<void>(path`/contacts/${userId}`),
    },

    blocks: {
      list: (query?: Query<BlockListQuery>) => get<BlockedUserPage>('/blocks', query),
      block: (userId: string) => put<void>(path`/blocks/${userId}`),
      unblock: (userId: string) => del<void>(path`/blocks/${userId}`),
    },

    notifications: {
      list: (query?: Query<NotificationListQuery>) => get<NotificationPage>('/notifications', query),
      markRead: (id: string) => post<void>(path`/notifications/${id}/read`),
      markAllRead: () => post<void>('/notifications/read-all'),
      /** How you hear of this workspace outside the app (push, email, quiet hours). */
      settings: () => get<NotificationSettings>('/me/notification-settings'),
      updateSettings: (body: UpdateNotificationSettingsBody) =>
        patch<NotificationSettings>('/me/notification-settings', body),
      /** An unsubscribe link's token (no sign-in needed): that email category stops. */
      unsubscribe: (token: string) =>
        send<Unsubscribed>({ method: 'POST', path: '/unsubscribe', query: { token } }, undefined),
    },

    audit: {
      list: (query?: Query<AuditQuery>) => get<AuditPage>('/audit', query),
    },
  };
}

export type RestClient = ReturnType<typeof createRestClient>;

/** Tagged template that escapes every interpolated path segment. */
function path(strings: TemplateStringsArray, ...segments: string[]): string {
  return strings.reduce((out, part, i) => out + encodeURIComponent(segments[i - 1]!) + part);
}

function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    // A list (custom field filters) is the key repeated.
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A file on the phone, as React Native uploads it: its networking layer streams the file from
 * `uri` (a `file://` or `content://` address from a picker) into the multipart body.
 */
export interface NativeFile {
  uri: string;
  name: string;
  type: string;
}

/** What an upload takes: a Blob (browsers, Node) or a file on the phone. */
export type UploadFile = Blob | NativeFile;

function fileForm(file: UploadFile, fileName: string): FormData {
  const form = new FormData();
  if ('uri' in file) form.append(UPLOAD_FIELD, { ...file, name: fileName } as unknown as Blob);
  else form.append(UPLOAD_FIELD, file, fileName);
  return form;
}

async function fetchOrThrow(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (cause) {
    // Cancelled on purpose: not a network failure, and no one should retry it.
    if (init.signal?.aborted) throw cause;
    throw networkError(cause);
  }
}

/** The body can still fail to arrive after the headers did; that is a network failure too. */
async function readBody(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (cause) {
    throw networkError(cause);
  }
}

function networkError(cause: unknown): ParleyError {
  return new ParleyError(0, 'network', cause instanceof Error ? cause.message : 'The server could not be reached');
}

/** The server's `{error}` body; a proxy's HTML error page still yields a typed error by status. */
async function errorFrom(response: Response): Promise<ParleyError> {
  const body = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
  if (body?.error) return new ParleyError(response.status, body.error.code, body.error.message, body.error.details);
  const code = response.status >= 500 ? 'internal' : 'bad_request';
  return new ParleyError(response.status, code, `HTTP ${response.status} ${response.statusText}`.trim());
}

/** Reads the JWT's `exp` without verifying it (the server does that); unreadable counts as expiring. */
function expiresWithin(token: string, marginMs: number): boolean {
  try {
    const payload = token.split('.')[1] ?? '';
    const { exp, iat } = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
      iat?: unknown;
    };
    if (typeof exp !== 'number') return true;
    const margin = typeof iat === 'number' ? Math.min(marginMs, ((exp - iat) * 1000) / 3) : marginMs;
    return exp * 1000 - Date.now() < margin;
  } catch {
    return true;
  }
}
