import crypto, { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createMemoryCounters, createRedisCounters, withFallback } from './abuse/counters';
import { createLoginThrottle } from './abuse/login-throttle';
import { createUserSignalLimit, createUserWriteLimit, registerRateLimits } from './abuse/rate-limits';
import { createAccessTokens } from './auth/access-tokens';
import { registerAuthRoutes } from './auth/auth-routes';
import type { AuthDeps } from './auth/auth-service';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import type { DatabaseHandle } from './db/connect';
import { WorkspaceScopeCheck } from './db/workspace-scope-check';
import { registerWorkspaceRoutes } from './workspaces/workspace-routes';
import { registerWorkspaceSettingsRoutes } from './workspaces/workspace-settings-routes';
import { registerInviteRoutes } from './invites/invite-routes';
import { registerOperatorRoutes } from './operators/operator-routes';
import { registerWorkspaceDeletion } from './operators/workspace-deletion';
import { createAppMetrics } from './metrics/app-metrics';
import { registerMetrics } from './metrics/metrics-routes';
import { attachGateway, DEFAULT_GATEWAY_OPTIONS, type GatewayOptions } from './realtime/gateway';
import { createPresenceTracker } from './realtime/presence-tracker';
import { createRealtimeInfrastructure } from './realtime/realtime-infrastructure';
import { registerHealthRoutes } from './health/health-routes';
import { createAuthGuards } from './http/auth-guard';
import { registerSecurityHeaders } from './http/security-headers';
import { registerErrorHandling } from './http/error-handler';
import { registerOpenApi } from './http/openapi';
import type { ZodApp } from './http/zod-app';
import { registerAuditRoutes } from './audit/audit-routes';
import { registerContactRoutes } from './contacts/contact-routes';
import { registerConversationRoutes } from './conversations/conversation-routes';
import type { RouteDeps } from './deps';
import { registerNotificationRoutes } from './notifications/notification-routes';
import { registerDeskSettingsRoutes } from './settings/desk-settings-routes';
import { registerRoleRoutes } from './roles/role-routes';
import { registerTeamRoutes } from './teams/team-routes';
import { registerSnoozeWake } from './tickets/snooze-wake';
import { registerAutomationRuleRoutes } from './automation/rule-routes';
import { registerSavedViewRoutes } from './saved-views/saved-view-routes';
import { registerSearchIndexMerge } from './search/search-index-merge';
import { registerSearchRoutes } from './search/search-routes';
import { registerGroupRoutes } from './groups/group-routes';
import { registerLabelRoutes } from './labels/label-routes';
import { registerPinRoutes } from './pins/pin-routes';
import { registerCannedResponseRoutes } from './canned-responses/canned-routes';
import { registerCustomFieldRoutes } from './custom-fields/field-routes';
import { registerAutomationTimers } from './automation/rule-engine';
import { registerSlaChecks } from './sla/sla-clock';
import { registerSlaRoutes } from './sla/sla-routes';
import { registerCsatRoutes } from './csat/csat-routes';
import { registerReportRoutes } from './reports/report-routes';
import { registerTicketRoutes } from './tickets/ticket-routes';
import { registerTicketDeskRoutes } from './tickets/ticket-desk-routes';
import { registerCustomerContextRoutes } from './customer-context/customer-context-routes';
import { createJobRunner, type JobRunner } from './jobs/job-runner';
import { addEveryReaction } from './events/every-reaction';
import { createReactions, type Reactions } from './events/reactions';
import { createChannelDispatcher } from './notification-channels/channel-dispatcher';
import { registerEmailDigests } from './notification-channels/email-digest';
import { registerNotificationSettingsRoutes } from './notification-settings/settings-routes';
import { createUnsubscribeTokens } from './notification-settings/unsubscribe-token';
import { startNotifier, type Notifier } from './notifications/notification-subscriber';
import { createFileStore } from './uploads/file-store';
import { registerUploadCleanup } from './uploads/upload-cleanup';
import { registerUploadRoutes } from './uploads/upload-routes';
import { registerWebApp } from './web/web-app';
import { registerMeRoutes } from './users/me-routes';
import { registerUserRoutes } from './users/user-routes';
import { registerAvailabilityRoutes } from './assignment/availability-routes';
import { registerExpoReceipts } from './push/expo-receipts';
import { registerPushDelivery } from './push/push-delivery';
import { registerPushRoutes } from './push/push-routes';
import type { WebPushTransport } from './push/web-push-sender';
import { registerAccountRoutes } from './accounts/account-routes';
import { registerPasswordResets, type AccountDeps } from './accounts/password-service';
import { createMailer } from './mail/mailer';
import { registerMailSending } from './mail/mail-queue';
import { registerEmailChannelRoutes } from './email-inbox/channel-routes';
import { registerWebhookSending } from './webhooks/webhook-delivery';
import { registerWebhookRoutes } from './webhooks/webhook-routes';
import { registerApiTokenRoutes } from './api-tokens/api-token-routes';
import { registerBotRoutes } from './bots/bot-routes';
import { registerIceRoutes } from './calls/ice-routes';
import { registerCallRoutes } from './calls/call-routes';
import { leaveCallsWhenOffline } from './calls/call-presence';
import { registerCallJobs } from './calls/call-service';
import { registerDataExportJobs } from './data-exports/data-export-job';
import { registerDataExportRoutes } from './data-exports/data-export-routes';
import { createExportFiles } from './data-exports/export-files';
import { acceptingApiTokens } from './api-tokens/api-token-service';
import { registerEmailReplies } from './email-inbox/email-replies';
import { startInboundSmtp, type InboundSmtp } from './email-inbox/inbound-smtp';
import { createReplyTokens } from './email-inbox/mail-ids';
import { registerWidgetRoutes } from './widget/widget-routes';
import { registerWidgetAwayMail } from './widget/widget-away-mail';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** Realtime tuning, mostly for tests (shorter heartbeats, grace periods, limits). */
  realtime?: Partial<GatewayOptions> & { presenceGraceMs?: number };
  /** Human-readable logs for a developer's terminal; JSON lines otherwise. */
  prettyLogs?: boolean;
  /** Where JSON log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** How web pushes reach push services; tests trust their local push service this way. */
  push?: { web?: WebPushTransport };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This node's durable job runner; tests call `runDueJobs()` to step it with their clock. */
    jobs: JobRunner;
    /** This node's durable reactions; tests record domain events other features own (`ticket.sla`). */
    reactions: Reactions;
    /** The inbound SMTP listener's port once ready (`INBOUND_SMTP_PORT`), or null without one. */
    inboundSmtpPort(): number | null;
    /** Derives notifications from this node's events; tests await `settled()` before reading them. */
    notifications: Notifier;
  }
}

/** Accept a caller's request id only if it is short and plain; it ends up in every log line. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the whole HTTP application without listening, so tests drive it with `app.inject()`.
 * The caller owns `database` and closes it after the app.
 */
export async function buildApp(deps: AppDeps): Promise<ZodApp> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;

  const app = Fastify({
    logger: loggerOptions(config, deps.prettyLogs ?? false, deps.logStream),
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.trustProxy,
    // Slowloris: a client must send its headers, and then its whole request, in good time.
    requestTimeout: config.http.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(config.http.headersTimeoutMs, config.http.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(1_000, config.http.headersTimeoutMs),
    },
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // A JSON API: text/plain bodies get 415 rather than reaching validation as strings.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        // The app previews picked images (blob:) before upload; TLS is the proxy's business.
        'img-src': ["'self'", 'data:', 'blob:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? true : config.corsOrigins.length > 0 ? config.corsOrigins : false,
  });
  await registerOpenApi(app);

  // In tests (and whenever NODE_ENV=test) every query must name its workspace: see the check.
  const db = config.env === 'test' ? database.db.withPlugin(new WorkspaceScopeCheck()) : database.db;
  const accessTokens = acceptingApiTokens(
    createAccessTokens({ secret: config.jwtSecret, ttlSeconds: config.tokens.accessTtlSeconds, clock }),
    { db, clock },
  );
  const guards = createAuthGuards({ db, accessTokens });
  const realtime = await createRealtimeInfrastructure(config.redisUrl, app.log, PRESENCE_TTL_MS);
  const metrics = createAppMetrics();
  const events = metrics.countMessagesPublished(realtime.events);
  const memoryCounters = createMemoryCounters(clock);
  const counters = realtime.redis
    ? withFallback(createRedisCounters(realtime.redis), memoryCounters, {
        failing: (error) =>
          app.log.warn({ err: error }, 'abuse counters: Redis failed, counting on this node meanwhile'),
        recovered: () => app.log.info('abuse counters: counting in Redis again'),
      })
    : memoryCounters;
  await registerRateLimits(app, config.rateLimits, counters);
  const authDeps: AuthDeps = {
    db,
    clock,
    accessTokens,
    refreshTokens: {
      ttlSeconds: config.tokens.refreshTtlSeconds,
      reuseGraceSeconds: config.tokens.refreshReuseGraceSeconds,
      // Its own key, derived, so the JWT signing key is never used for a second purpose.
      successorKey: crypto
        .createHmac('sha256', config.jwtSecret)
        .update('parley refresh-token successor')
        .digest('hex'),
    },
    loginThrottle: createLoginThrottle(counters, config.loginThrottle),
  };

  const jobs = createJobRunner({ db, clock, log: app.log, pollMs: config.jobs.pollIntervalMs });
  const reactions = createReactions(jobs, events);
  registerHealthRoutes(app, { database, realtime });
  registerAuthRoutes(app, authDeps);
  const mailer = createMailer({ ...config.mail, env: config.env, log: app.log });
  registerMailSending(jobs, { db, mailer, publicUrl: config.publicUrl });
  const accountDeps: AccountDeps = {
    db,
    clock,
    events,
    jobs,
    counters,
    loginThrottle: authDeps.loginThrottle,
    publicUrl: config.publicUrl,
    passwordResetThrottle: config.passwordResetThrottle,
  };
  registerAccountRoutes(app, { ...accountDeps, guards });
  registerPasswordResets(accountDeps);
  const services = { db, clock, events, reactions, tickets: config.tickets };
  addEveryReaction(reactions, services, { jobs, presence: realtime.presenceStore });
  const routeDeps: RouteDeps = { ...services, guards, config };
  for (const registerRoutes of [
    registerMeRoutes,
    registerUserRoutes,
    registerTeamRoutes,
    registerTicketRoutes,
    registerConversationRoutes,
    registerGroupRoutes,
    registerPinRoutes,
    registerUploadRoutes,
    registerContactRoutes,
    registerNotificationRoutes,
    registerAuditRoutes,
    registerDeskSettingsRoutes,
    registerSlaRoutes,
    registerRoleRoutes,
    registerAvailabilityRoutes,
    registerAutomationRuleRoutes,
    registerTicketDeskRoutes,
    registerCustomerContextRoutes,
    registerSavedViewRoutes,
    registerSearchRoutes,
    registerLabelRoutes,
    registerCannedResponseRoutes,
    registerCustomFieldRoutes,
    registerCsatRoutes,
    registerReportRoutes,
    registerPushRoutes,
    registerEmailChannelRoutes,
    registerWebhookRoutes,
    registerApiTokenRoutes,
    registerBotRoutes,
    registerIceRoutes,
    registerCallRoutes,
  ]) {
    registerRoutes(app, routeDeps);
  }
  registerWorkspaceRoutes(app, { ...routeDeps, auth: authDeps });
  registerWorkspaceSettingsRoutes(app, routeDeps);
  registerInviteRoutes(app, { ...routeDeps, auth: authDeps });
  registerOperatorRoutes(app, routeDeps);
  const exportFiles = createExportFiles(config.dataDir);
  registerDataExportRoutes(app, { ...routeDeps, files: exportFiles });
  const unsubscribeTokens = createUnsubscribeTokens(config.jwtSecret);
  registerNotificationSettingsRoutes(app, { ...routeDeps, unsubscribeTokens });
  registerWidgetRoutes(app, {
    ...routeDeps,
    widgetDir: config.widget.dir,
    guests: {
      ...services,
      accessTokens,
      accessTtlSeconds: config.tokens.accessTtlSeconds,
      secret: config.jwtSecret,
      powBits: config.widget.powBits,
    },
  });

  await registerWebApp(app, config.webDir);

  const presence = createPresenceTracker({
    events,
    store: realtime.presenceStore,
    graceMs: deps.realtime?.presenceGraceMs ?? 5_000,
    refreshMs: PRESENCE_TTL_MS / 3,
    onError: (error) => app.log.error({ err: error }, 'presence update failed'),
  });
  const gateway = attachGateway(app, {
    services,
    accessTokens,
    presence,
    viewing: realtime.viewingStore,
    spendWrite: createUserWriteLimit(counters, config.rateLimits),
    spendSignal: createUserSignalLimit(counters, config.rateLimits),
    options: {
      ...DEFAULT_GATEWAY_OPTIONS,
      maxFrameBytes: config.limits.wsFrameBytes,
      framesPerSecond: config.wsFrameRate.perSecond,
      burst: config.wsFrameRate.burst,
      maxConnectionsPerIp: config.wsMaxConnectionsPerIp,
      trustProxy: config.trustProxy,
      ...deps.realtime,
    },
  });
  registerMetrics(app, metrics, {
    config,
    sources: {
      openSockets: () => gateway.openSockets(),
      gatewayStats: () => gateway.stats(),
      poolStats: () => database.poolStats(),
      ...(config.redisUrl && { redisUp: () => realtime.isHealthy() }),
    },
  });
  registerUploadCleanup(jobs, {
    db,
    clock,
    files: createFileStore(config.dataDir),
    unattachedTtlMs: config.uploads.unattachedTtlSeconds * 1000,
  });
  registerWorkspaceDeletion(jobs, { db, clock, files: createFileStore(config.dataDir), exports: exportFiles });
  registerSnoozeWake(jobs, services);
  registerSearchIndexMerge(jobs, { db, clock });
  registerAutomationTimers(jobs, services);
  registerSlaChecks(jobs, services);
  registerPushDelivery(jobs, { db, clock, push: config.push, web: deps.push?.web ?? {}, log: app.log });
  registerExpoReceipts(jobs, { db, push: config.push, log: app.log });
  const emailDelayMs = config.notifications.emailDelayMinutes * 60_000;
  registerEmailDigests(jobs, { db, publicUrl: config.publicUrl, emailDelayMs, unsubscribeTokens });
  const files = createFileStore(config.dataDir);
  const replyTokens = createReplyTokens(config.jwtSecret);
  registerEmailReplies(jobs, { db, mailer, files, replyTokens, publicUrl: config.publicUrl });
  registerWidgetAwayMail(jobs, { db });
  registerWebhookSending(jobs, { db, clock, events, config: config.webhooks });
  registerDataExportJobs(jobs, { db, clock, events, files: exportFiles });
  registerCallJobs(jobs, services);
  const stopLeavingCalls = leaveCallsWhenOffline(
    services,
    { jobs, presence, dropGraceMs: config.callDropGraceMs },
    (error) => app.log.error({ err: error }, 'leaving the calls of someone gone offline failed'),
  );
  let inboundSmtp: InboundSmtp | null = null;
  const inbound = config.inboundMail.smtp;
  if (inbound) {
    const inboundDeps = {
      ...services,
      files,
      quotaBytes: config.uploads.quotaBytes,
      attachmentLimitBytes: config.limits.attachmentBytes,
      replyTokens,
      mailsPerSenderPerHour: config.inboundMail.mailsPerSenderPerHour,
    };
    app.addHook('onReady', async () => {
      inboundSmtp = await startInboundSmtp(inboundDeps, inbound, app.log);
    });
  }
  app.decorate('inboundSmtpPort', () => inboundSmtp?.port ?? null);
  app.decorate('jobs', jobs);
  app.decorate('reactions', reactions);
  const notifier = startNotifier({
    db,
    clock,
    events,
    viewing: realtime.viewingStore,
    channels: createChannelDispatcher({ db, presence, emailDelayMs, wake: () => jobs.wake() }),
    onError: (error) => app.log.error({ err: error }, 'notifying failed'),
  });
  app.decorate('notifications', notifier);
  app.addHook('onReady', async () => jobs.start());
  app.addHook('onClose', async () => {
    notifier.stop();
    await inboundSmtp?.close();
    await notifier.settled(); // before the caller closes the database under it
    await stopLeavingCalls();
    await jobs.stop();
    mailer.close();
    presence.close();
    await realtime.close();
  });
  return app;
}

/** A node's presence entries live this long unless refreshed (every third of it). */
const PRESENCE_TTL_MS = 60_000;

function loggerOptions(
  config: Config,
  pretty: boolean,
  stream: { write(line: string): void } | undefined,
): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    // Belt and braces: request logs carry no headers or bodies, but nothing that gets logged
    // by mistake may carry a credential either.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        // Node's HTTP parse errors carry the raw bytes received, headers and body included;
        // Fastify logs them (at trace) as "client error".
        'err.rawPacket',
        // mysql2's query errors carry the SQL with the values spliced in: password and token
        // hashes, message bodies. The message and code still say what went wrong.
        'err.sql',
      ],
      censor: '[redacted]',
    },
    ...(stream
      ? { stream }
      : pretty && {
          transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } },
        }),
  };
}
