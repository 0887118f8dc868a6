import { CLOSE_CODES, type MyWorkspaces, type Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { bearer, createWorkspace, joinWorkspace, signUp } from '../../apps/server/src/testing/test-app';
import { newId } from '../../apps/server/src/ids';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as, openTicket, setUpDesk } from '../../apps/server/src/testing/test-desk';
import { connectSocket } from '../../apps/server/src/testing/ws-client';
import { expectError, fence, frameError, framesOf, guardUnchanged } from './bad-input-kit';
import { callsOnVictim, documentedRoutes, send, setUpVictim, type Route, type Victim } from './every-route';
import { setStage, type Stage } from './text-fields';

/**
 * Workspace A is the stage of the other security suites (Carla's ticket, her chat with Sam, her
 * files, requests and notifications). Workspace B has a desk of its own. Its people, its admin
 * included, try every route with an id of A's in the path and every frame on A's conversations:
 * each answers exactly as for an id that does not exist, and A stays as it was. Lists and counts
 * in B show nothing of A. And Bea, a customer in A and the admin of B, finds with her B session
 * nothing of A, not even her own ticket there: a token acts in its workspace only.
 */

type Attacker = 'admin' | 'sam' | 'carla' | 'bea';

const ULID = /[0-9A-HJKMNP-TV-Z]{26}/g;

/**
 * Avatars belong to the account, not to a workspace: public images behind unguessable keys. So
 * are logos (the join page shows them), and an invite's preview is public by design.
 */
const PUBLIC = new Set(['GET /avatars/{key}', 'GET /workspace-logos/{key}', 'GET /invites/preview/{token}']);
/** Routes whose path parameter is no id (a report's name): they answer about the caller's own workspace. */
const WORKSPACE_WIDE = new Set(['GET /reports/{report}']);

describe(`another workspace's ids on ${TEST_DIALECT}`, () => {
  let stage: Stage;
  let victim: Victim;
  let routes: Route[];
  let b: Awaited<ReturnType<typeof setUpDesk>>;
  let bea: { inA: Session; inB: Session; ticketInA: string };

  beforeAll(async () => {
    stage = await setStage();
    victim = await setUpVictim(stage);
    routes = await documentedRoutes(stage.t.app);
    await createWorkspace(stage.t, 'beta', 'Beta');
    b = await setUpDesk(stage.t, { workspace: 'beta' });
    // Someone at home in both: a customer in A with a ticket there, the admin of B.
    const inA = await signUp(stage.t, 'customer', { username: 'bea' });
    const ticketInA = (await openTicket(stage.t, inA)).id;
    const joined = await stage.t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { login: 'bea', password: 'correct horse battery', workspace: 'beta' },
    });
    // Not a member of B yet: the same answer as a wrong password.
    expect(joined.statusCode).toBe(401);
    await joinWorkspace(stage.t, inA, 'beta', 'admin');
    const switched = await as(stage.t, inA).post('/auth/switch', { workspaceId: b.admin.user.workspace.id });
    expect(switched.statusCode, switched.body).toBe(200);
    bea = { inA, inB: switched.json<Session>(), ticketInA };
  });
  afterAll(() => stage.t.close());

  const attacker = (name: Attacker): Session => (name === 'bea' ? bea.inB : b[name]);
  const open = async (session: Session, { onTestFinished }: TestContext) => {
    const socket = await connectSocket(stage.base, session.accessToken);
    onTestFinished(() => socket.close());
    await socket.next('ready');
    return socket;
  };
  const ATTACKERS: Attacker[] = ['admin', 'sam', 'carla', 'bea'];

  it('B is a workspace of its own: its sessions say so', () => {
    expect(bea.inB.user).toMatchObject({ role: 'admin', workspace: { slug: 'beta', name: 'Beta' } });
    expect(b.carla.user.workspace.id).not.toBe(victim.carla.user.workspace.id);
  });

  describe.concurrent('refused, changing nothing', () => {
    const unchangedAfter = guardUnchanged(() => stage.t);

    it('covers every route with an id in its path', () => {
      const withIds = routes.filter((r) => r.key.includes('{')).map((r) => r.key);
      expect(withIds.filter((key) => !callsOnVictim(victim)[key])).toEqual([]);
    });

    const cases = ATTACKERS.flatMap((who) => (['ticket', 'direct'] as const).map((target) => ({ who, target })));

    it.each(cases)(
      "every route on A's $target things, by $who of B: as if they did not exist",
      async ({ who, target }) => {
        await unchangedAfter(async () => {
          for (const [route, call] of Object.entries(callsOnVictim(victim, target))) {
            const response = await send(stage.t, call, bearer(attacker(who)));
            if (PUBLIC.has(route)) {
              expect(response.statusCode, route).toBe(200);
              continue;
            }
            if (WORKSPACE_WIDE.has(route)) {
              // Names nothing of A's (a report of the caller's own workspace): must tell nothing of A.
              expect(response.body, route).not.toContain(victim.carla.user.workspace.id);
              expect(response.body, route).not.toContain(victim.ticketId);
              continue;
            }
            // The same call with ids that exist nowhere: 404, or 403 where the role may not use the route at all.
            const ghost = await send(
              stage.t,
              { ...call, url: call.url.replace(ULID, () => newId()) },
              bearer(attacker(who)),
            );
            expect(ghost.statusCode, route).toBeGreaterThanOrEqual(400);
            expect({ route, status: response.statusCode, body: response.json() }).toEqual({
              route,
              status: ghost.statusCode,
              body: ghost.json(),
            });
          }
        });
      },
    );

    it.each(ATTACKERS)('the lists and counts of %s in B show nothing of A', async (who) => {
      await unchangedAfter(async () => {
        const a = new RegExp(
          [
            victim.ticketId,
            victim.ticketConversationId,
            victim.directConversationId,
            victim.teamId,
            victim.roleId,
            victim.viewId,
            victim.carla.user.id,
            stage.desk.sam.user.id,
            stage.desk.admin.user.id,
            bea.ticketInA,
          ].join('|'),
        );
        const lists = [
          '/tickets',
          '/tickets?sort=priority',
          '/views',
          `/tickets?requesterId=${victim.carla.user.id}`,
          '/conversations',
          '/notifications',
          '/friend-requests?direction=incoming',
          '/friend-requests?direction=outgoing',
          '/contacts',
          '/blocks',
          '/teams',
          '/ticket-categories',
          `/users?q=${victim.carla.user.username}`,
          '/users?q=a',
          '/audit',
          '/roles',
          '/canned-responses',
          '/canned-responses?purpose=manage',
          '/me/workspaces',
        ];
        for (const url of lists) {
          const response = await as(stage.t, attacker(who)).get(url);
          if (response.statusCode === 403) continue; // a list this role may not read at all
          expect(response.statusCode, url).toBe(200);
          expect(response.body, url).not.toMatch(a);
        }
        // B has no tickets: nothing of A's is counted either.
        const counts = (await as(stage.t, attacker(who)).get('/tickets/counts')).json();
        expect(counts.status.all).toBe(0);
      });
    });

    it('a token of B finds nothing of A, even what its holder may see with their A token', async () => {
      await unchangedAfter(async () => {
        expect((await as(stage.t, bea.inA).get(`/tickets/${bea.ticketInA}`)).statusCode).toBe(200);
        expectError(await as(stage.t, bea.inB).get(`/tickets/${bea.ticketInA}`), 404, 'not_found');
        // ... nor may it act on A's people, though it is an admin's.
        expectError(
          await as(stage.t, bea.inB).patch(`/users/${victim.carla.user.id}`, { role: 'agent' }),
          404,
          'not_found',
        );
        expectError(
          await as(stage.t, bea.inB).post('/conversations/direct', { userId: victim.carla.user.id }),
          404,
          'not_found',
        );
        expectError(
          await as(stage.t, bea.inB).post('/friend-requests', { userId: victim.carla.user.id }),
          404,
          'not_found',
        );
      });
    });

    it("the switcher lists her two workspaces, each with its own role, and nobody else's", async () => {
      const mine = (await as(stage.t, bea.inB).get('/me/workspaces')).json<MyWorkspaces>();
      expect(mine.items.map((w) => [w.workspace.slug, w.role, w.current])).toEqual([
        ['beta', 'admin', true],
        ['default', 'customer', false],
      ]);
      const carlas = (await as(stage.t, victim.carla).get('/me/workspaces')).json<MyWorkspaces>();
      expect(carlas.items.map((w) => w.workspace.slug)).toEqual(['default']);
      // Switching into a workspace one is not a member of is as if it did not exist.
      expectError(
        await as(stage.t, victim.carla).post('/auth/switch', { workspaceId: b.admin.user.workspace.id }),
        404,
        'not_found',
      );
    });

    describe('over the socket', () => {
      it.for(ATTACKERS)("every frame on A's conversations by %s of B: not_found", async (who, context) => {
        const socket = await open(attacker(who), context);
        await unchangedAfter(async () => {
          for (const [conversationId, messageId] of [
            [victim.ticketConversationId, victim.ticketMessageId],
            [victim.directConversationId, victim.directMessageId],
          ] as const) {
            for (const frame of [
              { type: 'subscribe', conversationId },
              { type: 'message.send', conversationId, clientMsgId: 'ws-other-workspace', body: 'I was here' },
              { type: 'message.edit', conversationId, messageId, body: 'Edited from B' },
              { type: 'message.delete', conversationId, messageId },
              { type: 'reaction', conversationId, messageId, emoji: '👎' },
              { type: 'typing', conversationId },
              { type: 'read', conversationId, seq: 1 },
              { type: 'viewing', conversationId },
            ]) {
              expect((await frameError(socket, frame)).code, frame.type).toBe('not_found');
            }
          }
          // Into Carla's call with Sam, which is going on (both joined).
          const signal = {
            type: 'call.signal',
            callId: victim.callId,
            toUserId: victim.carla.user.id,
            payload: { sdp: 'offer' },
          };
          expect((await frameError(socket, signal)).code).toBe('not_found');
          await fence(socket);
          expect(framesOf(socket, 'message', 'message.updated', 'typing', 'read', 'subscribed')).toEqual([]);
        });
      });
    });
  });

  it('a socket of A cannot be renewed into B: it is closed, and must connect anew', async (context) => {
    const socket = await open(bea.inA, context);
    socket.send({ type: 'auth', token: bea.inB.accessToken });
    // Not merely because the role there differs: a socket belongs to one workspace, whatever the role.
    expect(await socket.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: expect.stringMatching(/workspace/) });
  });

  describe('live, while A is busy', () => {
    it('hears nothing of what happens in A: messages, ticket changes, typing, presence', async (context) => {
      const watcher = await open(bea.inB, context);
      const bAdmin = await open(b.admin, context);
      const aAdmin = await open(stage.desk.admin, context);
      const sam = await open(stage.desk.sam, context);
      sam.send({ type: 'subscribe', conversationId: victim.ticketConversationId });
      await sam.next('subscribed');
      sam.send({ type: 'typing', conversationId: victim.ticketConversationId });
      sam.send({ type: 'presence', status: 'away' });
      await as(stage.t, stage.desk.sam).post(`/conversations/${victim.ticketConversationId}/messages`, {
        clientMsgId: 'heard-in-a-only',
        body: 'Only A hears this',
      });
      await as(stage.t, stage.desk.sam).patch(`/tickets/${victim.ticketId}`, { priority: 'urgent' });
      // A's own admin hears it: the change went out, just not across.
      expect((await aAdmin.next('ticket.updated')).ticket.priority).toBe('urgent');
      await fence(watcher);
      await fence(bAdmin);
      for (const socket of [watcher, bAdmin]) {
        expect(framesOf(socket, 'message', 'ticket.updated', 'typing', 'presence', 'notification', 'read')).toEqual([]);
      }
    });
  });
});
