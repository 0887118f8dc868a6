import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpush from 'web-push';
import { z } from 'zod';
import { iceUrlProblem, type IceUrlKind } from './calls/ice-urls';
import { parseDatabaseUrl } from './db/database-url';

/**
 * The only reader of the environment. Every setting is validated here, once, and a bad
 * environment is refused with *every* problem listed, not the first one found.
 */
const MIB = 1024 * 1024;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A comma-separated list, each entry trimmed, empty ones dropped. */
const commaList = () =>
  z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    );

/** Addresses and networks (10.0.0.0/8), IPv4 or IPv6. */
const networkList = () => commaList().pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()])));

/** Comma-separated STUN (or TURN) server URLs, each checked as a browser would. */
const iceUrls = (kind: IceUrlKind) =>
  commaList().superRefine((urls, ctx) => {
    for (const url of urls) {
      const problem = iceUrlProblem(url, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  WEB_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .optional(),
  REDIS_URL: z
    .url()
    .refine((u) => /^rediss?:$/.test(new URL(u).protocol), 'must be a redis:// or rediss:// URL')
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CORS_ORIGINS: commaList().pipe(z.array(z.union([z.literal('*'), z.url()]))),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: positiveInt(1 * MIB),
  UPLOAD_LIMIT_BYTES: positiveInt(5 * MIB),
  ATTACHMENT_LIMIT_BYTES: positiveInt(25 * MIB),
  UPLOAD_QUOTA_BYTES: positiveInt(1024 * MIB),
  UNATTACHED_UPLOAD_TTL_SECONDS: positiveInt(24 * 60 * 60),
  JOB_POLL_INTERVAL_MS: positiveInt(2_000),
  WS_MAX_FRAME_BYTES: positiveInt(64 * 1024),
  WS_FRAMES_PER_SECOND: positiveInt(20),
  WS_FRAME_BURST: positiveInt(40),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt(30 * 24 * 60 * 60),
  REFRESH_TOKEN_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : v)),
  RATE_LIMIT_AUTH_PER_MINUTE: positiveInt(20),
  RATE_LIMIT_WRITES_PER_MINUTE: positiveInt(120),
  RATE_LIMIT_READS_PER_MINUTE: positiveInt(1200),
  RATE_LIMIT_SIGNALS_PER_MINUTE: positiveInt(600),
  LOGIN_FAILURES_PER_ACCOUNT_AND_IP: positiveInt(5),
  LOGIN_FAILURES_PER_ACCOUNT: positiveInt(20),
  LOGIN_FAILURES_PER_IP: positiveInt(50),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt(15 * 60),
  WS_MAX_CONNECTIONS_PER_IP: positiveInt(100),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(120_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TICKET_REOPEN_WINDOW_DAYS: positiveInt(7),
  VAPID_PUBLIC_KEY: z.string().optional(),
  VAPID_PRIVATE_KEY: z.string().optional(),
  VAPID_SUBJECT: z
    .url()
    .refine((u) => /^(mailto|https):$/.test(new URL(u).protocol), 'must be a mailto: or https: URL')
    .optional(),
  EXPO_PUSH_URL: z.url().default('https://exp.host/--/api/v2/push/send'),
  EXPO_ACCESS_TOKEN: z.string().min(1).optional(),
  PUBLIC_URL: z
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http:// or https:// URL')
    .optional(),
  SMTP_URL: z
    .url()
    .refine((u) => /^smtps?:$/.test(new URL(u).protocol), 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Parley <no-reply@localhost>'),
  NOTIFY_EMAIL_DELAY_MINUTES: positiveInt(5),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  INBOUND_SMTP_MAX_BYTES: positiveInt(25 * MIB),
  INBOUND_SMTP_ALLOW: networkList(),
  INBOUND_SMTP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  INBOUND_MAILS_PER_SENDER_PER_HOUR: positiveInt(30),
  WIDGET_DIR: z.string().min(1).optional(),
  WIDGET_POW_BITS: z.coerce.number().int().min(0).max(24).default(14),
  PASSWORD_RESETS_PER_ACCOUNT: positiveInt(5),
  PASSWORD_RESETS_PER_IP: positiveInt(20),
  PASSWORD_RESET_WINDOW_SECONDS: positiveInt(60 * 60),
  WEBHOOK_ALLOW_NETWORKS: networkList(),
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  WEBHOOK_DISABLE_AFTER_HOURS: positiveInt(24),
  STUN_URLS: iceUrls('stun'),
  TURN_URLS: iceUrls('turn'),
  // Every member holds a username and its HMAC: a short secret could be guessed offline from
  // them, and would then mint relay credentials for anyone, for ever.
  TURN_SECRET: z.string().min(32, 'must be at least 32 characters (generate one: openssl rand -hex 32)').optional(),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(24 * 60 * 60)
    .default(60 * 60),
  // A joined person whose every socket stays gone this long has left their call: long enough for
  // a phone changing networks or a train tunnel (the media may well carry on meanwhile).
  CALL_DROP_GRACE_MS: positiveInt(20_000),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  /** The web build of apps/app, served at `/` when it exists. */
  webDir: string;
  /** The chat widget's build (apps/widget/dist) and the proof of work a new visitor does. */
  widget: { dir: string; powBits: number };
  databaseUrl: string;
  redisUrl: string | undefined;
  jwtSecret: string;
  corsOrigins: string[];
  logLevel: string;
  /** `uploadBytes`: an avatar image; `attachmentBytes`: a file attached to a conversation. */
  limits: { bodyBytes: number; uploadBytes: number; attachmentBytes: number; wsFrameBytes: number };
  /**
   * `quotaBytes`: what one user's attachments may take in all; `unattachedTtlSeconds`: how long
   * an upload may wait to be sent with a message before it is removed.
   */
  uploads: { quotaBytes: number; unattachedTtlSeconds: number };
  /** How often each node looks for due durable jobs. */
  jobs: { pollIntervalMs: number };
  /** Frames one socket may send: a token bucket of `burst`, refilled at `perSecond`. */
  wsFrameRate: { perSecond: number; burst: number };
  tokens: { accessTtlSeconds: number; refreshTtlSeconds: number; refreshReuseGraceSeconds: number };
  shutdownGraceMs: number;
  /**
   * Behind a proxy or load balancer: whose X-Forwarded-For to believe. `true` (everyone), or
   * addresses and CIDRs, e.g. `10.0.0.0/8,loopback`.
   */
  trustProxy: boolean | string;
  /**
   * Per minute: requests (`auth` per IP on /auth/*, `writes`/`reads` per signed-in user), and
   * `call.signal` frames per signed-in user (`signals`, apart from writes).
   */
  rateLimits: { authPerMinute: number; writesPerMinute: number; readsPerMinute: number; signalsPerMinute: number };
  /** Failed sign-ins allowed per window before further attempts are refused for a while. */
  loginThrottle: { perAccountAndIp: number; perAccount: number; perIp: number; windowSeconds: number };
  wsMaxConnectionsPerIp: number;
  /** Slow clients: the headers, and the whole request, must arrive within these. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** When set, `GET /metrics` wants `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /**
   * A customer's reply reopens their closed ticket within `reopenWindowMs` of its closing;
   * after that it opens a follow-up ticket instead.
   */
  tickets: TicketRules;
  /** Base of every link in a mail or a push (no trailing slash). */
  publicUrl: string;
  /** `smtpUrl` unset: mail goes nowhere, one log line per mail. */
  mail: { smtpUrl: string | undefined; from: string };
  /**
   * Parley's own SMTP listener for support addresses (email-inbox/); `port` unset: none. `allow`:
   * IPs and CIDR ranges of the relay in front (empty: any); `secret`: its AUTH password.
   */
  inboundMail: {
    smtp: { port: number; host: string; maxBytes: number; allow: string[]; secret: string | undefined } | undefined;
    mailsPerSenderPerHour: number;
  };
  /** What is still unread this long after it came is mailed (in one digest per category). */
  notifications: { emailDelayMinutes: number };
  /** Password-reset requests allowed per window, per account (login text) and per address. */
  passwordResetThrottle: { perAccount: number; perIp: number; windowSeconds: number };
  push: PushConfig;
  webhooks: WebhookConfig;
  /** The STUN and TURN servers calls may use (calls/ice-servers.ts); none: no server is contacted. */
  iceServers: IceServerConfig;
  /** How long a joined person may be gone (no socket anywhere) before they have left the call. */
  callDropGraceMs: number;
}

export interface IceServerConfig {
  stunUrls: string[];
  /**
   * coturn's REST API for TURN credentials: `secret` is its `static-auth-secret`; the credentials
   * handed out open new relays for `credentialTtlSeconds`. Unset: no TURN.
   */
  turn: { urls: string[]; secret: string; credentialTtlSeconds: number } | undefined;
}

export interface WebhookConfig {
  /**
   * Addresses and CIDR ranges webhooks may reach although they are private, loopback or
   * link-local (a self-hoster's own services); empty: public addresses only.
   */
  allowNetworks: string[];
  /** One attempt's limit: connecting, sending and the whole answer. */
  timeoutMs: number;
  /** An endpoint whose deliveries have all failed for this long is turned off (its admins are told). */
  disableAfterMs: number;
}

export interface PushConfig {
  /** The VAPID key pair (base64url) and contact every web push is signed with. */
  vapid: { publicKey: string; privateKey: string; subject: string };
  /** Expo's push API (`…/--/api/v2/push/send`), or a stand-in of it; `expoAccessToken` when push security is on. */
  expoPushUrl: string;
  expoAccessToken: string | undefined;
}

export interface TicketRules {
  reopenWindowMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Where `npm run build:web` puts the app's web build. */
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../app/dist', import.meta.url));
const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../widget/dist', import.meta.url));

/** File in DATA_DIR that keeps the development JWT secret across restarts. */
export const JWT_SECRET_FILE = 'jwt-secret';

/** File in DATA_DIR that keeps the generated VAPID key pair (when the env gives none). */
export const VAPID_KEYS_FILE = 'vapid.json';

/** Who push services may contact about our pushes when VAPID_SUBJECT is not set. */
const DEFAULT_VAPID_SUBJECT = 'mailto:push@parley.invalid';

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // `FOO=` in a compose file or shell means "not set", not "set to the empty string".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
  // Checked here, not in a zod refinement: zod skips object refinements once a field fails,
  // and this must be reported together with everything else.
  if (present.NODE_ENV === 'production' && !present.JWT_SECRET) {
    problems.push('JWT_SECRET: is required when NODE_ENV=production (generate one: openssl rand -base64 48)');
  }
  problems.push(...vapidEnvProblems(present));
  problems.push(...turnEnvProblems(present));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    // Loopback in development, every interface in production (where a proxy or LB fronts us).
    host: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: e.PORT,
    dataDir,
    webDir: path.resolve(e.WEB_DIR ?? DEFAULT_WEB_DIR),
    widget: { dir: path.resolve(e.WIDGET_DIR ?? DEFAULT_WIDGET_DIR), powBits: e.WIDGET_POW_BITS },
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'parley.db')}`,
    redisUrl: e.REDIS_URL,
    jwtSecret: e.JWT_SECRET ?? readOrCreateDevSecret(dataDir),
    corsOrigins: e.CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    limits: {
      bodyBytes: e.BODY_LIMIT_BYTES,
      uploadBytes: e.UPLOAD_LIMIT_BYTES,
      attachmentBytes: e.ATTACHMENT_LIMIT_BYTES,
      wsFrameBytes: e.WS_MAX_FRAME_BYTES,
    },
    uploads: { quotaBytes: e.UPLOAD_QUOTA_BYTES, unattachedTtlSeconds: e.UNATTACHED_UPLOAD_TTL_SECONDS },
    jobs: { pollIntervalMs: e.JOB_POLL_INTERVAL_MS },
    wsFrameRate: { perSecond: e.WS_FRAMES_PER_SECOND, burst: e.WS_FRAME_BURST },
    tokens: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      refreshReuseGraceSeconds: e.REFRESH_TOKEN_REUSE_GRACE_SECONDS,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    trustProxy: e.TRUST_PROXY,
    rateLimits: {
      authPerMinute: e.RATE_LIMIT_AUTH_PER_MINUTE,
      writesPerMinute: e.RATE_LIMIT_WRITES_PER_MINUTE,
      readsPerMinute: e.RATE_LIMIT_READS_PER_MINUTE,
      signalsPerMinute: e.RATE_LIMIT_SIGNALS_PER_MINUTE,
    },
    loginThrottle: {
      perAccountAndIp: e.LOGIN_FAILURES_PER_ACCOUNT_AND_IP,
      perAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
      perIp: e.LOGIN_FAILURES_PER_IP,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
    },
    wsMaxConnectionsPerIp: e.WS_MAX_CONNECTIONS_PER_IP,
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
    metricsToken: e.METRICS_TOKEN,
    tickets: { reopenWindowMs: e.TICKET_REOPEN_WINDOW_DAYS * 24 * 3600_000 },
    publicUrl: (e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    inboundMail: {
      smtp:
        e.INBOUND_SMTP_PORT === undefined
          ? undefined
          : {
              port: e.INBOUND_SMTP_PORT,
              host: e.INBOUND_SMTP_HOST,
              maxBytes: e.INBOUND_SMTP_MAX_BYTES,
              allow: e.INBOUND_SMTP_ALLOW,
              secret: e.INBOUND_SMTP_SECRET,
            },
      mailsPerSenderPerHour: e.INBOUND_MAILS_PER_SENDER_PER_HOUR,
    },
    notifications: { emailDelayMinutes: e.NOTIFY_EMAIL_DELAY_MINUTES },
    passwordResetThrottle: {
      perAccount: e.PASSWORD_RESETS_PER_ACCOUNT,
      perIp: e.PASSWORD_RESETS_PER_IP,
      windowSeconds: e.PASSWORD_RESET_WINDOW_SECONDS,
    },
    push: {
      vapid: {
        ...(e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
          : readOrCreateVapidKeys(dataDir)),
        subject: e.VAPID_SUBJECT ?? DEFAULT_VAPID_SUBJECT,
      },
      expoPushUrl: e.EXPO_PUSH_URL,
      expoAccessToken: e.EXPO_ACCESS_TOKEN,
    },
    webhooks: {
      allowNetworks: e.WEBHOOK_ALLOW_NETWORKS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      disableAfterMs: e.WEBHOOK_DISABLE_AFTER_HOURS * 3600_000,
    },
    iceServers: {
      stunUrls: e.STUN_URLS,
      turn:
        e.TURN_URLS.length > 0 && e.TURN_SECRET
          ? { urls: e.TURN_URLS, secret: e.TURN_SECRET, credentialTtlSeconds: e.TURN_CREDENTIAL_TTL_SECONDS }
          : undefined,
    },
    callDropGraceMs: e.CALL_DROP_GRACE_MS,
  };
}

/**
 * TURN URLs and coturn's shared secret come together: relays without credentials refuse every
 * allocation, and a secret without relays is a set-up left half done.
 */
function turnEnvProblems(env: Record<string, string | undefined>): string[] {
  const hasUrls = (env.TURN_URLS ?? '').split(',').some((url) => url.trim() !== '');
  if (hasUrls && !env.TURN_SECRET) {
    return ["TURN_SECRET: is required with TURN_URLS (the static-auth-secret of coturn's use-auth-secret)"];
  }
  if (!hasUrls && env.TURN_SECRET) return ['TURN_URLS: is required with TURN_SECRET (turn:host:3478,…)'];
  return [];
}

/**
 * The VAPID settings come as a set: both keys (a matching pair) and a subject, or none of them
 * (then a pair is generated once and kept in DATA_DIR). The subject alone may be set either way.
 */
function vapidEnvProblems(env: Record<string, string | undefined>): string[] {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = env;
  if (!publicKey && !privateKey) return [];
  const problems: string[] = [];
  if (!publicKey) problems.push('VAPID_PUBLIC_KEY: is required with VAPID_PRIVATE_KEY');
  if (!privateKey) problems.push('VAPID_PRIVATE_KEY: is required with VAPID_PUBLIC_KEY');
  if (!subject) problems.push('VAPID_SUBJECT: is required with VAPID keys (mailto:you@example.com or an https: URL)');
  if (publicKey && privateKey) problems.push(...vapidKeyProblems(publicKey, privateKey));
  return problems;
}

/** What is wrong with a VAPID key pair: shape (base64url P-256) and whether the two belong together. */
export function vapidKeyProblems(publicKey: string, privateKey: string): string[] {
  const pub = Buffer.from(publicKey, 'base64url');
  const priv = Buffer.from(privateKey, 'base64url');
  const problems: string[] = [];
  if (pub.length !== 65 || pub[0] !== 4) {
    problems.push('VAPID_PUBLIC_KEY: must be an uncompressed P-256 point, 65 bytes in base64url');
  }
  if (priv.length !== 32) problems.push('VAPID_PRIVATE_KEY: must be a P-256 private key, 32 bytes in base64url');
  if (problems.length > 0) return problems;
  try {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.setPrivateKey(priv);
    if (!ecdh.getPublicKey().equals(pub)) problems.push('VAPID_PUBLIC_KEY: is not the public key of VAPID_PRIVATE_KEY');
  } catch {
    problems.push('VAPID_PRIVATE_KEY: is not a valid P-256 private key');
  }
  return problems;
}

/**
 * A VAPID key pair made once and kept, so browsers' subscriptions (bound to the public key)
 * outlive restarts. Several nodes must share one pair: give them the VAPID_* env instead.
 */
function readOrCreateVapidKeys(dataDir: string): { publicKey: string; privateKey: string } {
  const file = path.join(dataDir, VAPID_KEYS_FILE);
  const read = () => {
    const text = fs.readFileSync(file, 'utf8');
    let keys: { publicKey?: unknown; privateKey?: unknown } | null = null;
    try {
      keys = JSON.parse(text) as typeof keys;
    } catch {
      // reported below, with the other ways the file can be wrong
    }
    const { publicKey, privateKey } = keys ?? { publicKey: undefined, privateKey: undefined };
    if (
      typeof publicKey !== 'string' ||
      typeof privateKey !== 'string' ||
      vapidKeyProblems(publicKey, privateKey).length > 0
    ) {
      throw new ConfigError([`${file}: is not a VAPID key pair (remove it to make a new one)`]);
    }
    return { publicKey, privateKey };
  };
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  try {
    // `wx`: if a sibling process won the race, keep its pair rather than overwrite it.
    fs.writeFileSync(file, JSON.stringify({ publicKey, privateKey }) + '\n', { mode: 0o600, flag: 'wx' });
    return { publicKey, privateKey };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return read();
  }
}

/** Development only: a secret made once and kept, so restarts do not sign everybody out. */
function readOrCreateDevSecret(dataDir: string): string {
  const file = path.join(dataDir, JWT_SECRET_FILE);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  try {
    // `wx`: if a sibling process won the race, keep its secret rather than overwrite it.
    fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fs.readFileSync(file, 'utf8').trim();
  }
}
