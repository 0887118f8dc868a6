import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, type AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { EmailChannelRow } from '../db/schema';
import { findChannelByAddress } from './email-repository';
import { receiveMail, rawHashOf, type Delivery, type InboundDeps } from './inbound-mail';
import { baseAddress } from './mail-ids';

/**
 * Parley's own SMTP listener for support addresses (`INBOUND_SMTP_PORT`). It is meant to sit
 * behind the MX that faces the internet (Postfix, a provider's inbound relay), which does TLS,
 * spam filtering and SPF/DKIM checks; so it speaks plain SMTP and admits only that relay: by IP
 * (`INBOUND_SMTP_ALLOW`) and/or by a shared secret as the AUTH PLAIN password.
 */
export interface InboundSmtpOptions {
  host: string;
  port: number;
  /** The largest mail taken, announced as SIZE; a bigger one is refused with 552. */
  maxBytes: number;
  /** IPs and CIDR ranges that may connect; empty: any. */
  allow: string[];
  /** When set, a client must AUTH with it as the password before MAIL FROM. */
  secret: string | undefined;
}

interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface InboundSmtp {
  /** The port it listens on (the one chosen, when asked for port 0). */
  port: number;
  close(): Promise<void>;
}

/** Parts (every multipart and leaf) one mail may have: past it, it is a MIME bomb, not a mail. */
const MAX_MIME_PARTS = 200;
/** HTML longer than this is not turned into text (a mail's words are never that long). */
const MAX_HTML_TO_TEXT = 2 * 1024 * 1024;

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startInboundSmtp(deps: InboundDeps, options: InboundSmtpOptions, log: Log): Promise<InboundSmtp> {
  const allowed = allowList(options.allow);
  const secret = options.secret === undefined ? null : Buffer.from(options.secret);
  const server = new SMTPServer({
    name: 'parley',
    banner: 'Parley inbound mail',
    size: options.maxBytes,
    rejectOversized: true,
    disabledCommands: secret ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    authOptional: !secret,
    // Plain SMTP on a private network to the relay: TLS is the MX's business.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    maxRecipients: 20,
    socketTimeout: 60_000,
    logger: false,
    onConnect(session, callback) {
      if (allowed && !allowed.check(session.remoteAddress, isIPv4(session.remoteAddress) ? 'ipv4' : 'ipv6')) {
        log.warn({ smtp: { remote: session.remoteAddress } }, 'inbound mail: connection from an address not allowed');
        return callback(smtpError(554, '5.7.1 Not allowed to relay mail here'));
      }
      callback();
    },
    onAuth(auth, _session, callback) {
      const given = Buffer.from(auth.password ?? '');
      if (secret && given.length === secret.length && timingSafeEqual(given, secret)) {
        return callback(null, { user: auth.username || 'relay' });
      }
      callback(smtpError(535, '5.7.8 Authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      findChannelByAddress(deps.db, baseAddress(address.address)).then(
        (channel) => callback(channel ? undefined : smtpError(550, '5.1.1 No such support address here')),
        (error: Error) => {
          log.error({ err: error }, 'inbound mail: looking up a recipient failed');
          callback(smtpError(451, '4.3.0 Temporary failure; try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then((raw) => (raw ? deliver(deps, session, raw, log) : undefined))
        .then(
          () => callback(),
          (error: Error & { responseCode?: number }) => {
            if (!error.responseCode) {
              log.error({ err: error }, 'inbound mail: delivery failed; the sender will retry');
              return callback(smtpError(451, '4.3.0 Temporary failure; try again later'));
            }
            callback(error);
          },
        );
    },
  });
  server.on('error', (error) => log.error({ err: error }, 'inbound mail: SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  log.info({ smtp: { host: options.host, port } }, 'inbound mail: SMTP listener up');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The mail's bytes, or null when it went over the size limit: the rest is drained, not kept, and
 * smtp-server answers 552 itself (`rejectOversized`).
 */
function readAll(stream: SMTPServerDataStream): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(stream.sizeExceeded ? null : Buffer.concat(chunks)));
  });
}

/** Parses the mail and hands it to each support address it came to; refusals become SMTP errors. */
async function deliver(deps: InboundDeps, session: SMTPServerSession, raw: Buffer, log: Log): Promise<void> {
  let parsed;
  try {
    parsed = await simpleParser(raw, {
      maxChildNodes: MAX_MIME_PARTS,
      maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
      skipTextLinks: true,
    } as Parameters<typeof simpleParser>[1]);
  } catch (error) {
    log.warn({ err: error }, 'inbound mail: refused a mail that does not parse');
    throw smtpError(554, `5.6.0 The mail cannot be read: ${(error as Error).message}`);
  }
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const rawHash = rawHashOf(raw);
  // One delivery per workspace address: two addresses of one channel (plus parts) are one mail.
  const seen = new Set<string>();
  for (const rcpt of session.envelope.rcptTo) {
    const channel: EmailChannelRow | undefined = await findChannelByAddress(deps.db, baseAddress(rcpt.address));
    if (!channel || seen.has(channel.id)) continue;
    seen.add(channel.id);
    const delivery = await receiveMail(deps, channel, { recipient: rcpt.address, envelopeFrom, parsed, rawHash });
    logDelivery(log, channel, delivery);
    if (delivery.outcome === 'refused') throw smtpError(delivery.code, delivery.message);
  }
}

function logDelivery(log: Log, channel: EmailChannelRow, delivery: Delivery): void {
  const about = { mail: { workspaceId: channel.workspaceId, to: channel.address, ...delivery } };
  if (delivery.outcome === 'refused') log.warn(about, 'inbound mail refused');
  else log.info(about, `inbound mail ${delivery.outcome}`);
}

/** Addresses and CIDR ranges (`10.0.0.0/8`, `::1`), or null: every address may connect. */
function allowList(entries: string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}
