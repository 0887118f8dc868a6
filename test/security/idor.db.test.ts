import type { Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { bearer } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as } from '../../apps/server/src/testing/test-desk';
import { connectSocket } from '../../apps/server/src/testing/ws-client';
import { expectError, fence, fingerprint, frameError, framesOf, guardUnchanged } from './bad-input-kit';
import { callsOnVictim, documentedRoutes, send, setUpVictim, type Route, type Victim } from './every-route';
import { setStage, type Stage } from './text-fields';

/**
 * Ids of someone else's things, tried by people who have no business with them: Dan (another
 * customer), Otto (an agent of another team) and, for the private chat, an admin. Every route
 * with an id in its path is tried; each answers 404 as for an id that does not exist (or 403
 * where the route is for a role they lack), and Carla's things stay exactly as they were.
 */

type Attacker = 'dan' | 'otto' | 'admin';

/**
 * What each attacker gets from each route with an id in its path, aimed at Carla's things.
 * `allowed` marks what the API means to show them, checked for what it must not show.
 */
interface Expectation {
  route: string;
  target: 'ticket' | 'direct';
  by: Partial<Record<Attacker, 403 | 404 | 'allowed'>>;
}

const HIDDEN = { dan: 404, otto: 404 } as const;
const HIDDEN_EVEN_FROM_ADMINS = { dan: 404, otto: 404, admin: 404 } as const;
const ADMINS_ONLY = { dan: 403, otto: 403 } as const;

const EXPECTATIONS: Expectation[] = [
  // Staff see every user, customers only those they deal with; no one but Carla sees her email.
  { route: 'GET /users/{id}', target: 'ticket', by: { dan: 404, otto: 'allowed' } },
  { route: 'PATCH /users/{id}', target: 'ticket', by: ADMINS_ONLY },
  // Team names and members are internal: customers pick categories instead.
  { route: 'GET /teams/{id}', target: 'ticket', by: { dan: 403, otto: 'allowed' } },
  { route: 'PATCH /teams/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'DELETE /teams/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'PUT /teams/{id}/members/{userId}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'DELETE /teams/{id}/members/{userId}', target: 'ticket', by: ADMINS_ONLY },
  // Roles are the workspace's settings: defined and changed by who manages settings.
  { route: 'PATCH /roles/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'DELETE /roles/{id}', target: 'ticket', by: ADMINS_ONLY },
  // Automation rules too.
  { route: 'PATCH /automation-rules/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'DELETE /automation-rules/{id}', target: 'ticket', by: ADMINS_ONLY },
  // Saved views are staff's; a personal one is its owner's alone.
  { route: 'PATCH /views/{id}', target: 'ticket', by: { dan: 403, otto: 404, admin: 404 } },
  { route: 'DELETE /views/{id}', target: 'ticket', by: { dan: 403, otto: 404, admin: 404 } },
  // Labels are settings too; putting them on things is for staff who may see those things.
  { route: 'PATCH /labels/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'DELETE /labels/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'PATCH /email-channels/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'DELETE /email-channels/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'PATCH /widgets/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'DELETE /widgets/{id}', target: 'ticket', by: ADMINS_ONLY },
  ...[
    'PATCH /webhooks/{id}',
    'DELETE /webhooks/{id}',
    'GET /webhooks/{id}/deliveries',
    'POST /webhooks/{id}/ping',
    'POST /webhooks/{id}/deliveries/{deliveryId}/redeliver',
  ].map((route): Expectation => ({ route, target: 'ticket', by: ADMINS_ONLY })),
  // Only a chat widget's guest merges; Carla is none, so staff find no such guest either.
  { route: 'POST /customers/{id}/merge', target: 'ticket', by: { dan: 403, otto: 404, admin: 404 } },
  { route: 'PUT /tickets/{id}/labels', target: 'ticket', by: { dan: 403, otto: 404 } },
  { route: 'PUT /conversations/{id}/labels', target: 'ticket', by: { dan: 403, otto: 404 } },
  { route: 'PUT /conversations/{id}/labels', target: 'direct', by: { dan: 403, otto: 404, admin: 404 } },
  // Sam's personal canned response: customers may not use the routes; other staff, admins too, never see it.
  ...['PATCH /canned-responses/{id}', 'DELETE /canned-responses/{id}', 'POST /canned-responses/{id}/render'].map(
    (route): Expectation => ({ route, target: 'ticket', by: { dan: 403, otto: 404, admin: 404 } }),
  ),
  { route: 'PATCH /custom-fields/{id}', target: 'ticket', by: ADMINS_ONLY },
  // Any staff member may read and set a customer's fields (as they read the customer); customers may not.
  { route: 'GET /users/{id}/fields', target: 'ticket', by: { dan: 403, otto: 'allowed' } },
  { route: 'PUT /users/{id}/fields', target: 'ticket', by: { dan: 403 } },
  { route: 'GET /tickets/{id}', target: 'ticket', by: HIDDEN },
  // Merging needs both tickets workable (Otto's team has neither) and staff.
  { route: 'POST /tickets/{id}/merge', target: 'ticket', by: { dan: 403, otto: 404 } },
  // Customer context is staff's: other staff read it (without her email), customers are refused;
  // notes are changed by their author only.
  { route: 'GET /customers/{id}/context', target: 'ticket', by: { dan: 403, otto: 'allowed' } },
  { route: 'GET /customers/{id}/notes', target: 'ticket', by: { dan: 403, otto: 'allowed' } },
  { route: 'POST /customers/{id}/notes', target: 'ticket', by: { dan: 403 } },
  { route: 'PATCH /customers/{id}/notes/{noteId}', target: 'ticket', by: { dan: 403, otto: 403, admin: 403 } },
  { route: 'DELETE /customers/{id}/notes/{noteId}', target: 'ticket', by: { dan: 403, otto: 403, admin: 403 } },
  { route: 'PATCH /tickets/{id}', target: 'ticket', by: HIDDEN },
  // A ticket's satisfaction surveys are its requester's and its staff's; reports need reports.view.
  { route: 'GET /tickets/{id}/csat', target: 'ticket', by: HIDDEN },
  { route: 'POST /tickets/{id}/csat', target: 'ticket', by: HIDDEN },
  { route: 'GET /reports/{report}', target: 'ticket', by: ADMINS_ONLY },
  // Avatars are public images behind unguessable keys.
  { route: 'GET /avatars/{key}', target: 'ticket', by: { dan: 'allowed', otto: 'allowed' } },
  // So are workspace logos: the join page shows them before anyone signs up.
  { route: 'GET /workspace-logos/{key}', target: 'ticket', by: { dan: 'allowed', otto: 'allowed' } },
  // Invites are people.manage's; the preview is public by design (its token is the secret).
  { route: 'DELETE /invites/{id}', target: 'ticket', by: ADMINS_ONLY },
  { route: 'GET /invites/preview/{token}', target: 'ticket', by: { dan: 'allowed', otto: 'allowed' } },
  // Operators only: a workspace's own admin is none.
  { route: 'PATCH /operator/workspaces/{id}', target: 'ticket', by: { dan: 403, otto: 403, admin: 403 } },
  { route: 'DELETE /operator/workspaces/{id}', target: 'ticket', by: { dan: 403, otto: 403, admin: 403 } },
  { route: 'POST /notifications/{id}/read', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  // Where Carla's notifications are pushed is hers alone: nobody else may stop them.
  { route: 'DELETE /me/push-devices/{id}', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  { route: 'POST /friend-requests/{id}/accept', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  { route: 'POST /friend-requests/{id}/decline', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  { route: 'POST /friend-requests/{id}/cancel', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  // Dan and Otto have no contact or block with Carla to remove.
  { route: 'DELETE /contacts/{userId}', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  { route: 'DELETE /blocks/{userId}', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  { route: 'DELETE /me/sessions/{id}', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  // Her call with Sam is theirs: nobody else learns of it, joins it, or ends it.
  ...['GET /calls/{id}', 'POST /calls/{id}/join', 'POST /calls/{id}/decline', 'POST /calls/{id}/leave'].map(
    (route): Expectation => ({ route, target: 'direct', by: HIDDEN_EVEN_FROM_ADMINS }),
  ),
  // So are her API tokens: nobody else may revoke (or learn of) them.
  { route: 'DELETE /me/api-tokens/{id}', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  // And her copy of her data: nobody else downloads it, or learns that it exists.
  { route: 'GET /me/data-exports/{id}/download', target: 'ticket', by: HIDDEN_EVEN_FROM_ADMINS },
  // A bot and its tokens are for who manages people.
  ...['GET /bots/{id}/api-tokens', 'POST /bots/{id}/api-tokens', 'DELETE /bots/{id}/api-tokens/{tokenId}'].map(
    (route): Expectation => ({ route, target: 'ticket', by: ADMINS_ONLY }),
  ),
  // The group Sam started with her: its members' only, admins of the workspace included.
  ...[
    'PATCH /conversations/{id}',
    'POST /conversations/{id}/members',
    'PATCH /conversations/{id}/members/{userId}',
    'DELETE /conversations/{id}/members/{userId}',
  ].map((route): Expectation => ({ route, target: 'direct', by: HIDDEN_EVEN_FROM_ADMINS })),
  // Her ticket thread (admins see every ticket) and her private chat with Sam (no one else).
  ...[
    'GET /conversations/{id}',
    'GET /conversations/{id}/messages',
    'POST /conversations/{id}/messages',
    'PATCH /conversations/{id}/messages/{messageId}',
    'DELETE /conversations/{id}/messages/{messageId}',
    'GET /conversations/{id}/messages/{messageId}/edits',
    'POST /conversations/{id}/messages/{messageId}/reactions',
    'POST /conversations/{id}/read',
    'POST /conversations/{id}/unread',
    'PUT /conversations/{id}/mute',
    'PUT /conversations/{id}/notifications',
    'GET /conversations/{id}/pins',
    'PUT /conversations/{id}/pins/{messageId}',
    'DELETE /conversations/{id}/pins/{messageId}',
    'PUT /me/saved-messages/{messageId}',
    'DELETE /me/saved-messages/{messageId}',
    'POST /conversations/{id}/attachments',
    'GET /attachments/{id}',
    'GET /attachments/{id}/thumbnail',
    'POST /conversations/{id}/calls',
  ].flatMap((route): Expectation[] => [
    { route, target: 'ticket', by: HIDDEN },
    { route, target: 'direct', by: HIDDEN_EVEN_FROM_ADMINS },
  ]),
];

/**
 * Routes with an id that act on the caller's own relation to that user, not on the user:
 * anyone may block anyone. Proven below to leave the other user's things alone.
 */
const OWN_RELATION = ['PUT /blocks/{userId}'];

describe(`someone else's ids on ${TEST_DIALECT}`, () => {
  let stage: Stage;
  let victim: Victim;
  let routes: Route[];

  beforeAll(async () => {
    stage = await setStage();
    victim = await setUpVictim(stage);
    routes = await documentedRoutes(stage.t.app);
  });
  afterAll(() => stage.t.close());

  const attacker = (name: Attacker): Session => stage.desk[name];

  it('has a case for every route with an id in its path', () => {
    const withIds = routes.filter((r) => r.key.includes('{')).map((r) => r.key);
    const covered = new Set([...EXPECTATIONS.map((e) => e.route), ...OWN_RELATION]);
    expect(withIds.filter((key) => !covered.has(key))).toEqual([]);
    expect([...covered].filter((key) => !withIds.includes(key))).toEqual([]);
  });

  // Every case here must change nothing, so they run concurrently against one baseline.
  describe.concurrent('refused, changing nothing', () => {
    const unchangedAfter = guardUnchanged(() => stage.t);

    const cases = EXPECTATIONS.flatMap(({ route, target, by }) =>
      (Object.entries(by) as Array<[Attacker, 403 | 404 | 'allowed']>).map(([who, outcome]) => ({
        route,
        target,
        who,
        outcome,
      })),
    );

    it.each(cases)('$route on $target things, by $who: $outcome', async ({ route, target, who, outcome }) => {
      await unchangedAfter(async () => {
        const call = callsOnVictim(victim, target)[route]!;
        const response = await send(stage.t, call, bearer(attacker(who)));
        if (outcome === 'allowed') {
          expect(response.statusCode, response.body).toBe(200);
          const body = response.body;
          expect(body).not.toContain(victim.carla.user.email);
        } else {
          expectError(response, outcome, outcome === 404 ? 'not_found' : 'forbidden');
        }
      });
    });

    it.each(['dan', 'otto'] as const)('a list filtered by Carla as %s shows nothing of hers', async (who) => {
      await unchangedAfter(async () => {
        const lists = [
          `/tickets?requesterId=${victim.carla.user.id}`,
          `/tickets?teamId=${victim.teamId}`,
          `/tickets?assigneeId=${victim.memberId}`,
          '/conversations',
          '/notifications',
          '/friend-requests?direction=incoming',
          '/contacts',
        ];
        for (const url of lists) {
          const response = await as(stage.t, attacker(who)).get(url);
          expect(response.statusCode, url).toBe(200);
          expect(response.body, url).not.toMatch(
            new RegExp(`${victim.ticketId}|${victim.ticketConversationId}|${victim.directConversationId}`),
          );
        }
      });
    });

    it("no queue shows Otto, an agent of another team, Carla's ticket", async () => {
      await unchangedAfter(async () => {
        for (const view of ['unassigned', 'mine', 'my_teams']) {
          const url = `/tickets?view=${view}&requesterId=${victim.carla.user.id}`;
          const response = await as(stage.t, attacker('otto')).get(url);
          expect(response.statusCode, url).toBe(200);
          expect(response.body, url).not.toContain(victim.ticketId);
        }
        expectError(await as(stage.t, attacker('otto')).get('/tickets?view=all'), 403, 'forbidden');
      });
    });

    it('an audit trail filtered by Carla is for admins only', async () => {
      await unchangedAfter(async () => {
        for (const who of ['dan', 'otto'] as const) {
          const response = await as(stage.t, attacker(who)).get(`/audit?entityId=${victim.ticketId}`);
          expectError(response, 403, 'forbidden');
        }
      });
    });

    describe('over the socket', () => {
      const open = async (who: Attacker, { onTestFinished }: TestContext) => {
        const socket = await connectSocket(stage.base, attacker(who).accessToken);
        onTestFinished(() => socket.close());
        await socket.next('ready');
        return socket;
      };
      const frames = (target: 'ticket' | 'direct') => {
        const conversationId = target === 'ticket' ? victim.ticketConversationId : victim.directConversationId;
        const messageId = target === 'ticket' ? victim.ticketMessageId : victim.directMessageId;
        return [
          { type: 'subscribe', conversationId },
          { type: 'subscribe', conversationId, afterSeq: 0 },
          { type: 'message.send', conversationId, clientMsgId: 'ws-intruder', body: 'I was here' },
          { type: 'message.edit', conversationId, messageId, body: 'Edited by an intruder' },
          { type: 'message.delete', conversationId, messageId },
          { type: 'reaction', conversationId, messageId, emoji: '👎' },
          { type: 'typing', conversationId },
          { type: 'read', conversationId, seq: 1 },
        ];
      };
      const socketCases = [
        ...(['dan', 'otto'] as const).map((who) => ({ who, target: 'ticket' as const })),
        ...(['dan', 'otto', 'admin'] as const).map((who) => ({ who, target: 'direct' as const })),
      ];

      it.for(socketCases)('every frame on $target things, by $who: not_found', async ({ who, target }, context) => {
        const socket = await open(who, context);
        await unchangedAfter(async () => {
          for (const frame of frames(target)) {
            expect((await frameError(socket, frame)).code, frame.type).toBe('not_found');
          }
          // Nothing of the conversation reached the intruder meanwhile.
          await fence(socket);
          expect(framesOf(socket, 'message', 'message.updated', 'typing', 'read', 'subscribed')).toEqual([]);
        });
      });

      it.for(['dan', 'otto'] as const)(
        "a call signal from %s into Carla's call with Sam, which they are not in, is not_found",
        async (who, context) => {
          const socket = await open(who, context);
          await unchangedAfter(async () => {
            const error = await frameError(socket, {
              type: 'call.signal',
              callId: victim.callId,
              toUserId: victim.carla.user.id,
              payload: { sdp: 'offer' },
            });
            expect(error.code).toBe('not_found');
          });
        },
      );
    });
  });

  describe('routes on your own relation to someone', () => {
    it('blocking Carla changes nothing of hers: her contact with Sam, her request to Kim, her chats', async () => {
      const { db } = stage.t.database;
      const carlas = async () => ({
        contacts: await db.selectFrom('contacts').selectAll().where('userId', '=', victim.carla.user.id).execute(),
        requests: await db
          .selectFrom('friendRequests')
          .selectAll()
          .where('fromUserId', '=', victim.carla.user.id)
          .execute(),
        members: await db
          .selectFrom('conversationMembers')
          .selectAll()
          .where('userId', '=', victim.carla.user.id)
          .execute(),
        user: await db.selectFrom('users').selectAll().where('id', '=', victim.carla.user.id).execute(),
      });
      const before = await carlas();
      const everythingBefore = await fingerprint(stage.t.database);
      for (const who of ['dan', 'otto'] as const) {
        const call = callsOnVictim(victim)['PUT /blocks/{userId}']!;
        expect((await send(stage.t, call, bearer(attacker(who)))).statusCode).toBe(204);
      }
      expect(await carlas()).toEqual(before);
      const after = await fingerprint(stage.t.database);
      const changed = Object.keys(after).filter(
        (table) => JSON.stringify(after[table]) !== JSON.stringify(everythingBefore[table]),
      );
      expect(changed).toEqual(['blocks']);
    });
  });
});
