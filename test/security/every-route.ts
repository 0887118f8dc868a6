import type {
  AccountSessionList,
  Attachment,
  CreatedInvite,
  FriendRequest,
  Message,
  NotificationPage,
  Session,
  WorkspaceRole,
} from '@parley/protocol';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { createUnsubscribeTokens } from '../../apps/server/src/notification-settings/unsubscribe-token';
import { multipart } from '../../apps/server/src/testing/multipart';
import { bearer, type TestApp } from '../../apps/server/src/testing/test-app';
import { as } from '../../apps/server/src/testing/test-desk';
import type { Stage } from './text-fields';

/**
 * Every route of the API as its OpenAPI document lists it (`GET /tickets/{id}`), and a valid
 * call of each one aimed at Carla's things: her ticket, her chat with Sam, her files, her
 * notifications and requests. Suites build their tables from the app's own route list, so a
 * new route without a case makes them fail.
 */

export interface Route {
  /** `METHOD /path/{param}`, as the OpenAPI document names it. */
  key: string;
  /** The route wants `Authorization: Bearer <access token>`. */
  secured: boolean;
}

/** A valid SLA policy: an hour to answer, a day to resolve, whatever the priority. */
const SLA_TARGETS = { firstResponseMinutes: 60, resolutionMinutes: 1440 };
const SLA_POLICY = {
  targets: { low: SLA_TARGETS, medium: SLA_TARGETS, high: SLA_TARGETS, urgent: SLA_TARGETS },
  atRiskPercent: 75,
  businessHours: null,
  escalation: [],
};

/** The routes the app documents, which are all the routes it has besides the docs themselves. */
export async function documentedRoutes(app: TestApp['app']): Promise<Route[]> {
  await app.ready();
  const doc = app.swagger() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      secured: (operation.security?.length ?? 0) > 0,
    })),
  );
}

/** Carla's things, set up through the API. */
export interface Victim {
  carla: Session;
  ticketId: string;
  ticketConversationId: string;
  /** Carla's message in her ticket thread. */
  ticketMessageId: string;
  /** Carla's image, sent in her ticket thread. */
  ticketAttachmentId: string;
  /** The direct chat between Carla and Sam, private to the two of them. */
  directConversationId: string;
  directMessageId: string;
  directAttachmentId: string;
  /** A group Sam started with Carla in it. */
  groupConversationId: string;
  /** Carla's call with Sam in their direct chat, answered (so no ring-out changes it meanwhile). */
  callId: string;
  notificationId: string;
  /** Carla asked Kim to be contacts; Kim has not answered. */
  pendingRequestId: string;
  teamId: string;
  /** Sam, a member of Carla's ticket's team. */
  memberId: string;
  avatarKey: string;
  /** An invite to Carla's workspace, made by its admin, and its token. */
  inviteId: string;
  inviteToken: string;
  /** The token of an unsubscribe link in a mail to Carla. */
  unsubscribeToken: string;
  /** The logo of Carla's workspace. */
  logoKey: string;
  /** A role of Carla's workspace's own. */
  roleId: string;
  /** An automation rule of Carla's workspace. */
  ruleId: string;
  /** Carla's second ticket (for a merge) and Sam's note about her. */
  secondTicketId: string;
  customerNoteId: string;
  /** Sam's personal saved view of Carla's tickets. */
  viewId: string;
  /** A label of Carla's workspace. */
  labelId: string;
  /** A support address of Carla's workspace. */
  emailChannelId: string;
  /** A chat widget of Carla's workspace. */
  widgetId: string;
  /** The workspace's webhook (to a public address nothing answers at) and a delivery of it. */
  webhookId: string;
  webhookDeliveryId: string;
  /** Carla's API token. */
  apiTokenId: string;
  /** The workspace's bot and its token. */
  botId: string;
  botTokenId: string;
  /** Sam's personal canned response (in Carla's workspace). */
  cannedResponseId: string;
  /** A ticket field of Carla's workspace. */
  fieldId: string;
  /** Carla's phone, registered for push. */
  pushDeviceId: string;
  /** Carla's signed-in session (a device of hers). */
  sessionId: string;
  /** Carla's copy of her data. */
  dataExportId: string;
}

export const png = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();

/** Uploads `content` as `who` through the multipart routes. */
export function uploadAs(t: TestApp, who: Session, method: 'PUT' | 'POST', url: string, content: Buffer) {
  const body = multipart({ fileName: 'picture.png', contentType: 'image/png', content });
  return t.app.inject({
    method,
    url,
    headers: { ...bearer(who), 'content-type': body.contentType },
    payload: body.payload,
  });
}

export async function setUpVictim(stage: Stage): Promise<Victim> {
  const { t, desk, ticket, editable } = stage;
  const { carla, sam, kim } = desk;
  const image = await png();
  const ok = (response: LightMyRequestResponse) => {
    if (response.statusCode >= 300) throw new Error(`victim set-up failed: ${response.statusCode} ${response.body}`);
    return response;
  };
  const attachIn = async (who: Session, conversationId: string, clientMsgId: string) => {
    const attachment = ok(
      await uploadAs(t, who, 'POST', `/conversations/${conversationId}/attachments`, image),
    ).json<Attachment>();
    ok(
      await as(t, who).post(`/conversations/${conversationId}/messages`, {
        clientMsgId,
        body: 'See attached',
        attachmentIds: [attachment.id],
      }),
    );
    return attachment.id;
  };

  // Sam takes the ticket and answers; Carla hears of it.
  ok(await as(t, sam).patch(`/tickets/${ticket.id}`, { assigneeId: sam.user.id }));
  ok(await as(t, sam).post(`/conversations/${ticket.conversationId}/messages`, { clientMsgId: 'v-1', body: 'On it' }));
  const ticketAttachmentId = await attachIn(carla, ticket.conversationId, 'v-2');

  // Sam and Carla chat privately and become contacts; Carla asks Kim too.
  const direct = ok(await as(t, sam).post('/conversations/direct', { userId: carla.user.id })).json<{ id: string }>();
  const directMessage = ok(
    await as(t, carla).post(`/conversations/${direct.id}/messages`, { clientMsgId: 'v-3', body: 'Between us' }),
  ).json<Message>();
  const directAttachmentId = await attachIn(carla, direct.id, 'v-4');
  const fromSam = ok(await as(t, sam).post('/friend-requests', { userId: carla.user.id })).json<FriendRequest>();
  ok(await as(t, carla).post(`/friend-requests/${fromSam.id}/accept`));
  const pending = ok(await as(t, carla).post('/friend-requests', { userId: kim.user.id })).json<FriendRequest>();
  const group = ok(
    await as(t, sam).post('/conversations/groups', { title: "Carla's circle", memberIds: [carla.user.id] }),
  ).json<{ id: string }>();

  const avatar = ok(await uploadAs(t, carla, 'PUT', '/me/avatar', image)).json<{ avatarUrl: string }>();
  const notifications = ok(await as(t, carla).get('/notifications')).json<NotificationPage>();
  const invite = ok(
    await as(t, desk.admin).post('/invites', { role: 'customer', maxUses: 5, expiresInHours: 24 }),
  ).json<CreatedInvite>();
  const logo = ok(await uploadAs(t, desk.admin, 'PUT', '/workspace/logo', image)).json<{ logoUrl: string }>();
  const role = ok(
    await as(t, desk.admin).post('/roles', { name: 'Night shift', permissions: ['tickets.work'] }),
  ).json<WorkspaceRole>();

  const rule = ok(
    await as(t, desk.admin).post('/automation-rules', {
      name: 'Urgent refunds',
      event: { type: 'ticket.created' },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    }),
  ).json<{ id: string }>();
  const label = ok(await as(t, desk.admin).post('/labels', { name: 'VIP', colour: '#aa3300' })).json<{ id: string }>();
  const widget = ok(
    await as(t, desk.admin).post('/widgets', { name: 'Shop', allowedOrigins: ['https://shop.example'] }),
  ).json<{ id: string }>();
  const emailChannel = ok(
    await as(t, desk.admin).post('/email-channels', { address: `help-${desk.admin.user.workspace.slug}@acme.test` }),
  ).json<{ id: string }>();

  // A public address by number (no lookup); it sends nothing in these suites but a ping.
  const webhook = ok(
    await as(t, desk.admin).post('/webhooks', { url: 'http://93.184.216.34/hooks', events: ['ticket.sla_breached'] }),
  ).json<{ id: string }>();
  const webhookDelivery = ok(await as(t, desk.admin).post(`/webhooks/${webhook.id}/ping`)).json<{ id: string }>();
  const bot = ok(
    await as(t, desk.admin).post('/bots', {
      username: `bot-${desk.admin.user.workspace.slug}`,
      displayName: 'Ack Bot',
    }),
  ).json<{
    id: string;
  }>();
  const botToken = ok(
    await as(t, desk.admin).post(`/bots/${bot.id}/api-tokens`, { name: 'Acknowledger', scopes: ['tickets:read'] }),
  ).json<{ token: { id: string } }>();
  const apiToken = ok(await as(t, carla).post('/me/api-tokens', { name: 'My script', scopes: ['tickets:read'] })).json<{
    token: { id: string };
  }>();

  const second = ok(
    await as(t, carla).post('/tickets', { subject: 'Another one', description: 'Me again', teamId: desk.support }),
  ).json<{ id: string }>();
  const note = ok(await as(t, sam).post(`/customers/${carla.user.id}/notes`, { body: 'Prefers phone calls' })).json<{
    id: string;
  }>();
  const view = ok(
    await as(t, sam).post('/views', { name: "Carla's tickets", filter: { requesterId: carla.user.id } }),
  ).json<{ id: string }>();
  const canned = ok(
    await as(t, sam).post('/canned-responses', {
      scope: 'personal',
      shortcut: 'sams-own',
      title: 'Sam signs off',
      body: 'Best, {{agent.name}}',
    }),
  ).json<{ id: string }>();
  const field = ok(
    await as(t, desk.admin).post('/custom-fields', {
      entity: 'ticket',
      key: 'root_cause',
      name: 'Root cause',
      type: 'select',
      options: ['Billing', 'Bug'],
    }),
  ).json<{ id: string }>();
  ok(await as(t, desk.admin).post('/custom-fields', { entity: 'customer', key: 'plan', name: 'Plan', type: 'text' }));
  const pushDevice = ok(
    await as(t, carla).post('/me/push-devices', { kind: 'expo', token: 'ExponentPushToken[carlas-phone]' }),
  ).json<{ id: string }>();
  const sessions = ok(await as(t, carla).get('/me/sessions')).json<AccountSessionList>();
  const call = ok(await as(t, carla).post(`/conversations/${direct.id}/calls`, { kind: 'voice' })).json<{
    id: string;
  }>();
  ok(await as(t, sam).post(`/calls/${call.id}/join`, {}));
  // Last: its notification (when the job has built it) must not be the one the cases read above.
  const dataExport = ok(await as(t, carla).post('/me/data-exports')).json<{ id: string }>();

  return {
    carla,
    secondTicketId: second.id,
    customerNoteId: note.id,
    ticketId: ticket.id,
    ticketConversationId: ticket.conversationId,
    ticketMessageId: editable.id,
    ticketAttachmentId,
    directConversationId: direct.id,
    directMessageId: directMessage.id,
    directAttachmentId,
    groupConversationId: group.id,
    callId: call.id,
    notificationId: notifications.items[0]!.id,
    pendingRequestId: pending.id,
    teamId: desk.support,
    memberId: sam.user.id,
    avatarKey: avatar.avatarUrl.split('/').pop()!,
    inviteId: invite.invite.id,
    inviteToken: invite.token,
    unsubscribeToken: createUnsubscribeTokens(t.config.jwtSecret).sign({
      workspaceId: carla.user.workspace.id,
      userId: carla.user.id,
      category: 'messages',
    }),
    logoKey: logo.logoUrl.split('/').pop()!,
    roleId: role.id,
    ruleId: rule.id,
    viewId: view.id,
    labelId: label.id,
    emailChannelId: emailChannel.id,
    widgetId: widget.id,
    webhookId: webhook.id,
    webhookDeliveryId: webhookDelivery.id,
    apiTokenId: apiToken.token.id,
    botId: bot.id,
    botTokenId: botToken.token.id,
    cannedResponseId: canned.id,
    fieldId: field.id,
    pushDeviceId: pushDevice.id,
    sessionId: sessions.items.find((s) => s.current)!.id,
    dataExportId: dataExport.id,
  };
}

/** One call of a route: where, and a body it accepts. */
export interface RouteCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
  /** An image in a multipart body, for the upload routes. */
  upload?: boolean;
}

/** A valid call of each route with path parameters, aimed at the victim's things. */
export function callsOnVictim(v: Victim, conversation: 'ticket' | 'direct' = 'ticket'): Record<string, RouteCall> {
  const c = conversation === 'ticket' ? v.ticketConversationId : v.directConversationId;
  const m = conversation === 'ticket' ? v.ticketMessageId : v.directMessageId;
  const a = conversation === 'ticket' ? v.ticketAttachmentId : v.directAttachmentId;
  return {
    'GET /users/{id}': { method: 'GET', url: `/users/${v.carla.user.id}` },
    'PATCH /users/{id}': { method: 'PATCH', url: `/users/${v.carla.user.id}`, payload: { deactivated: true } },
    'GET /teams/{id}': { method: 'GET', url: `/teams/${v.teamId}` },
    'PATCH /teams/{id}': { method: 'PATCH', url: `/teams/${v.teamId}`, payload: { name: 'Hijacked' } },
    'DELETE /teams/{id}': { method: 'DELETE', url: `/teams/${v.teamId}` },
    'PUT /teams/{id}/members/{userId}': { method: 'PUT', url: `/teams/${v.teamId}/members/${v.memberId}` },
    'DELETE /teams/{id}/members/{userId}': { method: 'DELETE', url: `/teams/${v.teamId}/members/${v.memberId}` },
    'GET /tickets/{id}': { method: 'GET', url: `/tickets/${v.ticketId}` },
    'POST /conversations/{id}/calls': { method: 'POST', url: `/conversations/${c}/calls`, payload: { kind: 'voice' } },
    'GET /calls/{id}': { method: 'GET', url: `/calls/${v.callId}` },
    'POST /calls/{id}/join': { method: 'POST', url: `/calls/${v.callId}/join`, payload: {} },
    'POST /calls/{id}/decline': { method: 'POST', url: `/calls/${v.callId}/decline`, payload: {} },
    'POST /calls/{id}/leave': { method: 'POST', url: `/calls/${v.callId}/leave`, payload: {} },
    'PATCH /tickets/{id}': { method: 'PATCH', url: `/tickets/${v.ticketId}`, payload: { status: 'closed' } },
    'GET /tickets/{id}/csat': { method: 'GET', url: `/tickets/${v.ticketId}/csat` },
    'POST /tickets/{id}/csat': { method: 'POST', url: `/tickets/${v.ticketId}/csat`, payload: { score: 5 } },
    'GET /reports/{report}': { method: 'GET', url: '/reports/volume?from=2026-11-01&to=2026-11-30' },
    'GET /conversations/{id}': { method: 'GET', url: `/conversations/${c}` },
    'GET /conversations/{id}/messages': { method: 'GET', url: `/conversations/${c}/messages` },
    'POST /conversations/{id}/messages': {
      method: 'POST',
      url: `/conversations/${c}/messages`,
      payload: { clientMsgId: 'intruder', body: 'I was here' },
    },
    'PATCH /conversations/{id}/messages/{messageId}': {
      method: 'PATCH',
      url: `/conversations/${c}/messages/${m}`,
      payload: { body: 'Edited by an intruder' },
    },
    'DELETE /conversations/{id}/messages/{messageId}': { method: 'DELETE', url: `/conversations/${c}/messages/${m}` },
    'GET /conversations/{id}/messages/{messageId}/edits': {
      method: 'GET',
      url: `/conversations/${c}/messages/${m}/edits`,
    },
    'POST /conversations/{id}/messages/{messageId}/reactions': {
      method: 'POST',
      url: `/conversations/${c}/messages/${m}/reactions`,
      payload: { emoji: '👎' },
    },
    'PATCH /conversations/{id}': {
      method: 'PATCH',
      url: `/conversations/${v.groupConversationId}`,
      payload: { title: 'Hijacked' },
    },
    'POST /conversations/{id}/members': {
      method: 'POST',
      url: `/conversations/${v.groupConversationId}/members`,
      payload: { userIds: [v.carla.user.id] },
    },
    'PATCH /conversations/{id}/members/{userId}': {
      method: 'PATCH',
      url: `/conversations/${v.groupConversationId}/members/${v.carla.user.id}`,
      payload: { admin: true },
    },
    'DELETE /conversations/{id}/members/{userId}': {
      method: 'DELETE',
      url: `/conversations/${v.groupConversationId}/members/${v.carla.user.id}`,
    },
    'POST /conversations/{id}/read': { method: 'POST', url: `/conversations/${c}/read`, payload: { seq: 1 } },
    'POST /conversations/{id}/unread': { method: 'POST', url: `/conversations/${c}/unread`, payload: { seq: 1 } },
    'GET /conversations/{id}/pins': { method: 'GET', url: `/conversations/${c}/pins` },
    'PUT /conversations/{id}/pins/{messageId}': { method: 'PUT', url: `/conversations/${c}/pins/${m}` },
    'DELETE /conversations/{id}/pins/{messageId}': { method: 'DELETE', url: `/conversations/${c}/pins/${m}` },
    'PUT /me/saved-messages/{messageId}': { method: 'PUT', url: `/me/saved-messages/${m}` },
    'DELETE /me/saved-messages/{messageId}': { method: 'DELETE', url: `/me/saved-messages/${m}` },
    'PUT /conversations/{id}/mute': { method: 'PUT', url: `/conversations/${c}/mute`, payload: { muted: true } },
    'PUT /conversations/{id}/notifications': {
      method: 'PUT',
      url: `/conversations/${c}/notifications`,
      payload: { level: 'none' },
    },
    'POST /conversations/{id}/attachments': { method: 'POST', url: `/conversations/${c}/attachments`, upload: true },
    'GET /attachments/{id}': { method: 'GET', url: `/attachments/${a}` },
    'GET /attachments/{id}/thumbnail': { method: 'GET', url: `/attachments/${a}/thumbnail` },
    'POST /notifications/{id}/read': { method: 'POST', url: `/notifications/${v.notificationId}/read` },
    'POST /friend-requests/{id}/accept': { method: 'POST', url: `/friend-requests/${v.pendingRequestId}/accept` },
    'POST /friend-requests/{id}/decline': { method: 'POST', url: `/friend-requests/${v.pendingRequestId}/decline` },
    'POST /friend-requests/{id}/cancel': { method: 'POST', url: `/friend-requests/${v.pendingRequestId}/cancel` },
    'DELETE /contacts/{userId}': { method: 'DELETE', url: `/contacts/${v.carla.user.id}` },
    'PUT /blocks/{userId}': { method: 'PUT', url: `/blocks/${v.carla.user.id}` },
    'DELETE /blocks/{userId}': { method: 'DELETE', url: `/blocks/${v.carla.user.id}` },
    'GET /avatars/{key}': { method: 'GET', url: `/avatars/${v.avatarKey}` },
    'GET /workspace-logos/{key}': { method: 'GET', url: `/workspace-logos/${v.logoKey}` },
    'DELETE /invites/{id}': { method: 'DELETE', url: `/invites/${v.inviteId}` },
    'GET /invites/preview/{token}': { method: 'GET', url: `/invites/preview/${v.inviteToken}` },
    'PATCH /operator/workspaces/{id}': {
      method: 'PATCH',
      url: `/operator/workspaces/${v.carla.user.workspace.id}`,
      payload: { suspended: true },
    },
    'DELETE /operator/workspaces/{id}': { method: 'DELETE', url: `/operator/workspaces/${v.carla.user.workspace.id}` },
    'PATCH /roles/{id}': { method: 'PATCH', url: `/roles/${v.roleId}`, payload: { permissions: [] } },
    'DELETE /roles/{id}': { method: 'DELETE', url: `/roles/${v.roleId}` },
    'PATCH /automation-rules/{id}': {
      method: 'PATCH',
      url: `/automation-rules/${v.ruleId}`,
      payload: { enabled: false },
    },
    'DELETE /automation-rules/{id}': { method: 'DELETE', url: `/automation-rules/${v.ruleId}` },
    'POST /tickets/{id}/merge': {
      method: 'POST',
      url: `/tickets/${v.ticketId}/merge`,
      payload: { intoTicketId: v.secondTicketId },
    },
    'GET /customers/{id}/context': { method: 'GET', url: `/customers/${v.carla.user.id}/context` },
    'GET /customers/{id}/notes': { method: 'GET', url: `/customers/${v.carla.user.id}/notes` },
    'POST /customers/{id}/notes': {
      method: 'POST',
      url: `/customers/${v.carla.user.id}/notes`,
      payload: { body: 'Written by an intruder' },
    },
    'PATCH /customers/{id}/notes/{noteId}': {
      method: 'PATCH',
      url: `/customers/${v.carla.user.id}/notes/${v.customerNoteId}`,
      payload: { body: 'Edited by an intruder' },
    },
    'DELETE /customers/{id}/notes/{noteId}': {
      method: 'DELETE',
      url: `/customers/${v.carla.user.id}/notes/${v.customerNoteId}`,
    },
    'PATCH /views/{id}': { method: 'PATCH', url: `/views/${v.viewId}`, payload: { name: 'Hijacked' } },
    'DELETE /views/{id}': { method: 'DELETE', url: `/views/${v.viewId}` },
    'PATCH /labels/{id}': { method: 'PATCH', url: `/labels/${v.labelId}`, payload: { name: 'Renamed' } },
    'DELETE /labels/{id}': { method: 'DELETE', url: `/labels/${v.labelId}` },
    'PATCH /email-channels/{id}': {
      method: 'PATCH',
      url: `/email-channels/${v.emailChannelId}`,
      payload: { name: 'Hijacked' },
    },
    'DELETE /email-channels/{id}': { method: 'DELETE', url: `/email-channels/${v.emailChannelId}` },
    'PATCH /widgets/{id}': { method: 'PATCH', url: `/widgets/${v.widgetId}`, payload: { name: 'Hijacked' } },
    'DELETE /widgets/{id}': { method: 'DELETE', url: `/widgets/${v.widgetId}` },
    'DELETE /me/api-tokens/{id}': { method: 'DELETE', url: `/me/api-tokens/${v.apiTokenId}` },
    'GET /bots/{id}/api-tokens': { method: 'GET', url: `/bots/${v.botId}/api-tokens` },
    'POST /bots/{id}/api-tokens': {
      method: 'POST',
      url: `/bots/${v.botId}/api-tokens`,
      payload: { name: 'Shadow', scopes: ['tickets:read'] },
    },
    'DELETE /bots/{id}/api-tokens/{tokenId}': {
      method: 'DELETE',
      url: `/bots/${v.botId}/api-tokens/${v.botTokenId}`,
    },
    'PATCH /webhooks/{id}': { method: 'PATCH', url: `/webhooks/${v.webhookId}`, payload: { enabled: false } },
    'DELETE /webhooks/{id}': { method: 'DELETE', url: `/webhooks/${v.webhookId}` },
    'GET /webhooks/{id}/deliveries': { method: 'GET', url: `/webhooks/${v.webhookId}/deliveries` },
    'POST /webhooks/{id}/ping': { method: 'POST', url: `/webhooks/${v.webhookId}/ping` },
    'POST /webhooks/{id}/deliveries/{deliveryId}/redeliver': {
      method: 'POST',
      url: `/webhooks/${v.webhookId}/deliveries/${v.webhookDeliveryId}/redeliver`,
    },
    'POST /customers/{id}/merge': {
      method: 'POST',
      url: `/customers/${v.carla.user.id}/merge`,
      payload: { intoId: v.carla.user.id },
    },
    'PUT /tickets/{id}/labels': {
      method: 'PUT',
      url: `/tickets/${v.ticketId}/labels`,
      payload: { labelIds: [v.labelId] },
    },
    'PUT /conversations/{id}/labels': {
      method: 'PUT',
      url: `/conversations/${v.directConversationId}/labels`,
      payload: { labelIds: [v.labelId] },
    },
    'PATCH /canned-responses/{id}': {
      method: 'PATCH',
      url: `/canned-responses/${v.cannedResponseId}`,
      payload: { body: 'Hijacked' },
    },
    'DELETE /canned-responses/{id}': { method: 'DELETE', url: `/canned-responses/${v.cannedResponseId}` },
    'POST /canned-responses/{id}/render': {
      method: 'POST',
      url: `/canned-responses/${v.cannedResponseId}/render`,
      payload: { ticketId: v.ticketId },
    },
    'PATCH /custom-fields/{id}': { method: 'PATCH', url: `/custom-fields/${v.fieldId}`, payload: { name: 'Hijacked' } },
    'DELETE /me/push-devices/{id}': { method: 'DELETE', url: `/me/push-devices/${v.pushDeviceId}` },
    'GET /users/{id}/fields': { method: 'GET', url: `/users/${v.carla.user.id}/fields` },
    'PUT /users/{id}/fields': {
      method: 'PUT',
      url: `/users/${v.carla.user.id}/fields`,
      payload: { fields: { plan: 'Hijacked' } },
    },
    'DELETE /me/sessions/{id}': { method: 'DELETE', url: `/me/sessions/${v.sessionId}` },
    'GET /me/data-exports/{id}/download': { method: 'GET', url: `/me/data-exports/${v.dataExportId}/download` },
  };
}

/** A valid call of each route without path parameters. */
export function callsWithoutParams(v: Victim): Record<string, RouteCall> {
  return {
    'GET /healthz': { method: 'GET', url: '/healthz' },
    'GET /readyz': { method: 'GET', url: '/readyz' },
    'POST /auth/register': {
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'new@example.com', username: 'newcomer', password: 'correct horse battery' },
    },
    'POST /auth/login': {
      method: 'POST',
      url: '/auth/login',
      payload: { login: v.carla.user.username, password: 'correct horse battery' },
    },
    'POST /auth/refresh': { method: 'POST', url: '/auth/refresh', payload: { refreshToken: v.carla.refreshToken } },
    'POST /auth/logout': { method: 'POST', url: '/auth/logout', payload: { refreshToken: v.carla.refreshToken } },
    'GET /me': { method: 'GET', url: '/me' },
    'GET /me/workspaces': { method: 'GET', url: '/me/workspaces' },
    'POST /auth/switch': {
      method: 'POST',
      url: '/auth/switch',
      payload: { workspaceId: v.carla.user.workspace.id },
    },
    'PATCH /me': { method: 'PATCH', url: '/me', payload: { displayName: 'Someone else' } },
    'POST /me/password': {
      method: 'POST',
      url: '/me/password',
      payload: { currentPassword: 'correct horse battery', newPassword: 'a stolen new password' },
    },
    'POST /auth/password-reset': {
      method: 'POST',
      url: '/auth/password-reset',
      payload: { login: v.carla.user.username },
    },
    'POST /auth/password-reset/confirm': {
      method: 'POST',
      url: '/auth/password-reset/confirm',
      payload: { token: 'A'.repeat(43), newPassword: 'a stolen new password' },
    },
    'POST /me/email/verification': { method: 'POST', url: '/me/email/verification' },
    'POST /auth/verify-email': { method: 'POST', url: '/auth/verify-email', payload: { token: 'A'.repeat(43) } },
    'GET /me/sessions': { method: 'GET', url: '/me/sessions' },
    'DELETE /me/sessions': { method: 'DELETE', url: '/me/sessions' },
    'PUT /me/availability': { method: 'PUT', url: '/me/availability', payload: { away: true } },
    'GET /me/notification-settings': { method: 'GET', url: '/me/notification-settings' },
    'PATCH /me/notification-settings': { method: 'PATCH', url: '/me/notification-settings', payload: { push: 'none' } },
    'POST /unsubscribe': { method: 'POST', url: `/unsubscribe?token=${v.unsubscribeToken}` },
    'GET /users': { method: 'GET', url: `/users?q=${v.carla.user.username}` },
    'GET /search': { method: 'GET', url: '/search?q=between' },
    'GET /teams': { method: 'GET', url: '/teams' },
    'POST /teams': { method: 'POST', url: '/teams', payload: { name: 'Shadow team' } },
    'POST /tickets': { method: 'POST', url: '/tickets', payload: { subject: 'Hi', description: 'There' } },
    'GET /tickets': { method: 'GET', url: '/tickets' },
    'GET /tickets/counts': { method: 'GET', url: '/tickets/counts' },
    'GET /conversations': { method: 'GET', url: '/conversations' },
    'POST /conversations/direct': {
      method: 'POST',
      url: '/conversations/direct',
      payload: { userId: v.carla.user.id },
    },
    'GET /me/saved-messages': { method: 'GET', url: '/me/saved-messages' },
    'GET /push/config': { method: 'GET', url: '/push/config' },
    'GET /calls/ice-servers': { method: 'GET', url: '/calls/ice-servers' },
    'GET /calls': { method: 'GET', url: '/calls' },
    'GET /me/push-devices': { method: 'GET', url: '/me/push-devices' },
    'POST /me/push-devices': {
      method: 'POST',
      url: '/me/push-devices',
      payload: { kind: 'expo', token: 'ExponentPushToken[intruders-phone]' },
    },
    'POST /conversations/groups': {
      method: 'POST',
      url: '/conversations/groups',
      payload: { title: 'Shadow group', memberIds: [v.carla.user.id] },
    },
    'DELETE /me/avatar': { method: 'DELETE', url: '/me/avatar' },
    'PUT /me/avatar': { method: 'PUT', url: '/me/avatar', upload: true },
    'POST /friend-requests': { method: 'POST', url: '/friend-requests', payload: { userId: v.carla.user.id } },
    'GET /friend-requests': { method: 'GET', url: '/friend-requests' },
    'GET /contacts': { method: 'GET', url: '/contacts' },
    'GET /blocks': { method: 'GET', url: '/blocks' },
    'GET /notifications': { method: 'GET', url: '/notifications' },
    'POST /notifications/read-all': { method: 'POST', url: '/notifications/read-all' },
    'GET /audit': { method: 'GET', url: '/audit' },
    'GET /ticket-categories': { method: 'GET', url: '/ticket-categories' },
    'GET /settings': { method: 'GET', url: '/settings' },
    'PATCH /settings': { method: 'PATCH', url: '/settings', payload: { customersMayChooseUrgent: true } },
    'GET /sla-policy': { method: 'GET', url: '/sla-policy' },
    'PUT /sla-policy': { method: 'PUT', url: '/sla-policy', payload: SLA_POLICY },
    'DELETE /sla-policy': { method: 'DELETE', url: '/sla-policy' },
    'GET /workspace': { method: 'GET', url: '/workspace' },
    'PATCH /workspace': { method: 'PATCH', url: '/workspace', payload: { name: 'Taken over' } },
    'PUT /workspace/logo': { method: 'PUT', url: '/workspace/logo', upload: true },
    'DELETE /workspace/logo': { method: 'DELETE', url: '/workspace/logo' },
    'POST /invites': { method: 'POST', url: '/invites', payload: { role: 'admin', expiresInHours: 1 } },
    'GET /invites': { method: 'GET', url: '/invites' },
    'POST /auth/join': { method: 'POST', url: '/auth/join', payload: { invite: v.inviteToken } },
    'GET /operator/workspaces': { method: 'GET', url: '/operator/workspaces' },
    'POST /operator/workspaces': {
      method: 'POST',
      url: '/operator/workspaces',
      payload: { slug: 'hijack', name: 'Hijack' },
    },
    'GET /roles': { method: 'GET', url: '/roles' },
    'POST /roles': { method: 'POST', url: '/roles', payload: { name: 'Shadow role', permissions: ['people.manage'] } },
    'GET /automation-rules': { method: 'GET', url: '/automation-rules' },
    'POST /automation-rules': {
      method: 'POST',
      url: '/automation-rules',
      payload: { name: 'Shadow rule', event: { type: 'ticket.created' }, actions: [{ type: 'add_note', body: 'x' }] },
    },
    'PUT /automation-rules/order': { method: 'PUT', url: '/automation-rules/order', payload: { ids: [v.ruleId] } },
    'POST /tickets/bulk': {
      method: 'POST',
      url: '/tickets/bulk',
      payload: { ticketIds: [v.ticketId], change: { status: 'closed' } },
    },
    'GET /views': { method: 'GET', url: '/views' },
    'POST /views': { method: 'POST', url: '/views', payload: { name: 'Shadow view', filter: { status: 'open' } } },
    'GET /labels': { method: 'GET', url: '/labels' },
    'POST /labels': { method: 'POST', url: '/labels', payload: { name: 'Shadow label', colour: '#123456' } },
    'GET /email-channels': { method: 'GET', url: '/email-channels' },
    'GET /widgets': { method: 'GET', url: '/widgets' },
    'GET /webhooks': { method: 'GET', url: '/webhooks' },
    'GET /me/api-tokens': { method: 'GET', url: '/me/api-tokens' },
    'GET /me/data-exports': { method: 'GET', url: '/me/data-exports' },
    'POST /me/data-exports': { method: 'POST', url: '/me/data-exports' },
    'GET /bots': { method: 'GET', url: '/bots' },
    'POST /bots': { method: 'POST', url: '/bots', payload: { username: 'shadow-bot', displayName: 'Shadow bot' } },
    'POST /me/api-tokens': {
      method: 'POST',
      url: '/me/api-tokens',
      payload: { name: 'Shadow', scopes: ['tickets:read'] },
    },
    'POST /webhooks': {
      method: 'POST',
      url: '/webhooks',
      payload: { url: 'http://93.184.216.34/shadow', events: ['ticket.created'] },
    },
    'POST /widgets': {
      method: 'POST',
      url: '/widgets',
      payload: { name: 'Shadow widget', allowedOrigins: ['https://shadow.example'] },
    },
    'GET /widget/conversation': { method: 'GET', url: '/widget/conversation' },
    'POST /widget/conversation': {
      method: 'POST',
      url: '/widget/conversation',
      payload: { clientMsgId: 'shadow', body: 'Shadow chat' },
    },
    'POST /email-channels': { method: 'POST', url: '/email-channels', payload: { address: 'shadow@acme.test' } },
    'GET /canned-responses': { method: 'GET', url: '/canned-responses' },
    'POST /canned-responses': {
      method: 'POST',
      url: '/canned-responses',
      payload: { scope: 'workspace', shortcut: 'shadow', title: 'Shadow', body: 'x' },
    },
    'GET /custom-fields': { method: 'GET', url: '/custom-fields' },
    'POST /custom-fields': {
      method: 'POST',
      url: '/custom-fields',
      payload: { entity: 'ticket', key: 'shadow', name: 'Shadow', type: 'text' },
    },
    'PUT /custom-fields/order': {
      method: 'PUT',
      url: '/custom-fields/order',
      payload: { entity: 'ticket', ids: [v.fieldId] },
    },
  };
}

/** Makes the call, with these headers (a token, or a bad one). */
export async function send(t: TestApp, call: RouteCall, headers: Record<string, string>) {
  if (call.upload) {
    const body = multipart({ fileName: 'picture.png', contentType: 'image/png', content: await png() });
    return t.app.inject({
      method: call.method,
      url: call.url,
      headers: { ...headers, 'content-type': body.contentType },
      payload: body.payload,
    });
  }
  return t.app.inject({ method: call.method, url: call.url, headers, ...(call.payload && { payload: call.payload }) });
}
