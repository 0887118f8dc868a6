import fs from 'node:fs';
import path from 'node:path';
import {
  ChatWidgetListSchema,
  ChatWidgetSchema,
  CreateChatWidgetBodySchema,
  GuestSessionSchema,
  IdSchema,
  MergeGuestBodySchema,
  MergedGuestSchema,
  StartChatBodySchema,
  StartGuestBodySchema,
  UpdateChatWidgetBodySchema,
  WidgetChallengeSchema,
  WidgetChatSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { Db } from '../db/connect';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { currentChat, newChallenge, startChat, startGuest, type GuestDeps } from './guest-service';
import { mergeGuest } from './guest-merge';
import { findWidgetByKey } from './widget-repository';
import { createWidget, deleteWidget, listWidgets, originsOf, updateWidget } from './widget-service';

const Params = z.object({ id: IdSchema });

export function registerWidgetRoutes(app: ZodApp, deps: RouteDeps & { guests: GuestDeps; widgetDir: string }): void {
  const common = { tags: ['chat widget'], security: bearerAuth };
  const admin = deps.guards.requirePermission('settings.manage');
  const guest = deps.guards.requireUser;

  app.get(
    '/widgets',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "The workspace's website chat widgets (`settings.manage`)",
        response: { 200: ChatWidgetListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listWidgets(deps, actorOf(request)),
  );

  app.post(
    '/widgets',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Add a chat widget for these sites (`settings.manage`)',
        description:
          'Put `<script src="PUBLIC_URL/widget.js" data-parley-key="KEY" async></script>` on a page of one of ' +
          '`allowedOrigins`. For a signed-in user of your site add `data-user-id` and `data-user-hash` ' +
          '(HMAC-SHA256 of the id with `identitySecret`, in hex, computed on your server).',
        body: CreateChatWidgetBodySchema,
        response: { 201: ChatWidgetSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createWidget(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/widgets/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "Change a chat widget's name, sites, team or greeting, or its identity secret (`settings.manage`)",
        params: Params,
        body: UpdateChatWidgetBodySchema,
        response: { 200: ChatWidgetSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateWidget(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/widgets/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Remove a chat widget from every site (`settings.manage`); its chats stay as tickets',
        params: Params,
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteWidget(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  const visitor = { tags: ['chat widget'] };

  app.get(
    '/widget/challenge',
    {
      schema: {
        ...visitor,
        summary: 'A proof-of-work puzzle for a new visitor (valid five minutes)',
        response: { 200: WidgetChallengeSchema },
      },
    },
    async () => newChallenge(deps.guests),
  );

  app.post(
    '/widget/sessions',
    {
      schema: {
        ...visitor,
        summary:
          "A visitor's session: a new guest (with a solved challenge), the same one again, or a verified identity",
        description:
          "Answers an access token that reaches only the visitor's own chat (`GET/POST /widget/conversation`, " +
          'its messages and read marks, and the socket), and the guest token to keep. Limited per address.',
        body: StartGuestBodySchema,
        response: { 200: GuestSessionSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => startGuest(deps.guests, request.body),
  );

  app.get(
    '/widget/conversation',
    {
      preHandler: guest,
      schema: {
        ...common,
        summary: "The visitor's newest chat (guest tokens only)",
        response: { 200: WidgetChatSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => currentChat(deps, actorOf(request)),
  );

  app.post(
    '/widget/conversation',
    {
      preHandler: guest,
      schema: {
        ...common,
        summary: "The visitor's first message: it opens their chat, a ticket in the widget's team (guest tokens only)",
        description: 'The same `clientMsgId` again answers `200` with the chat it opened.',
        body: StartChatBodySchema,
        response: {
          200: WidgetChatSchema,
          201: WidgetChatSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { ticket, created } = await startChat(deps, actorOf(request), request.body);
      return reply.code(created ? 201 : 200).send({ ticket });
    },
  );

  app.post(
    '/customers/:id/merge',
    {
      preHandler: deps.guards.requirePermission('tickets.work'),
      schema: {
        ...common,
        summary: "Merge a chat widget's guest into a registered customer (staff: `tickets.work`)",
        description:
          "The guest's chats, messages and files become the customer's; the guest is closed (their widget starts " +
          'a new guest on the next visit).',
        params: Params,
        body: MergeGuestBodySchema,
        response: { 200: MergedGuestSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => mergeGuest(deps, actorOf(request), request.params.id, request.body.intoId),
  );

  registerWidgetAssets(app, deps.db, deps.widgetDir);
}

/**
 * The loader (`/widget.js`, embedded by any site: cross-origin), the frame page each embedding
 * shows (`/widget-frame/:key`, framed only by the widget's sites: CSP `frame-ancestors`), and the
 * frame's script. Helmet's same-origin defaults are the opposite of what these need, so they
 * set their own headers.
 */
function registerWidgetAssets(app: ZodApp, db: Db, widgetDir: string): void {
  const file = (name: string) => {
    const at = path.join(widgetDir, name);
    return fs.existsSync(at) ? at : null;
  };
  const script = (url: string, name: string, cache: string) =>
    app.get(url, { config: { securityHeaders: false }, schema: { hide: true } }, async (_request, reply) => {
      const at = file(name);
      if (!at) return reply.code(404).type('text/plain').send('The widget is not built: npm run build:web');
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', cache)
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(fs.createReadStream(at));
    });
  script('/widget.js', 'widget.js', 'public, max-age=300');
  script('/widget-app.js', 'app.js', 'no-cache');

  app.get(
    '/widget-frame/:key',
    { config: { securityHeaders: false }, schema: { hide: true, params: z.object({ key: z.string().max(64) }) } },
    async (request, reply) => {
      const widget = await findWidgetByKey(db, request.params.key);
      reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
      if (!widget) return reply.code(404).type('text/plain').send('No such chat widget');
      const ancestors = originsOf(widget).join(' ');
      return reply
        .header(
          'content-security-policy',
          [
            "default-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "connect-src 'self' ws: wss:",
            `frame-ancestors ${ancestors}`,
            "base-uri 'none'",
            "form-action 'none'",
          ].join('; '),
        )
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(framePage(widget.key));
    },
  );
}

/** The key is `wk_` and base64url: nothing in it needs escaping, but it is escaped anyway. */
const framePage = (key: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat</title>
<script src="/widget-app.js" defer></script>
</head>
<body>
<main id="parley-widget" data-key="${key.replace(/[^A-Za-z0-9_-]/g, '')}"></main>
</body>
</html>
`;
