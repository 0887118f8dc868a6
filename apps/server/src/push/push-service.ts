import crypto from 'node:crypto';
import net from 'node:net';
import {
  MAX_PUSH_DEVICES_PER_USER,
  type PushConfig,
  type PushDevice,
  type PushDeviceList,
  type RegisterPushDeviceBody,
} from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { toIso, type Clock } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { PushDeviceRow } from '../db/schema';
import { AppError } from '../http/app-error';
import { newId } from '../ids';
import {
  deleteDevice,
  deleteDevicesOfEndedSessions,
  findDevice,
  findDeviceByAddress,
  insertDevice,
  listDevicesOfUser,
  reassignDevice,
} from './push-repository';
import { describeUserAgent } from './user-agent-label';

export interface PushDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'env' | 'push'>;
}

export function pushConfig(config: Pick<Config, 'push'>): PushConfig {
  return { webPublicKey: config.push.vapid.publicKey };
}

export const addressHash = (address: string) => crypto.createHash('sha256').update(address).digest('hex');

/**
 * Registers where the actor's pushes go on this device. The same endpoint or token again is the
 * same device, now the caller's (a shared computer: pushes follow whoever signed in last). A
 * person keeps at most MAX_PUSH_DEVICES_PER_USER: the least recently used goes.
 */
export async function registerDevice(
  deps: PushDeps,
  actor: Actor,
  body: RegisterPushDeviceBody,
  userAgent: string | undefined,
): Promise<PushDevice> {
  const web = body.kind === 'web';
  if (web) checkSubscription(body, deps.config.env);
  const address = web ? body.endpoint : body.token;
  const hash = addressHash(address);
  const fields = {
    userId: actor.id,
    sessionId: actor.sessionId ?? null,
    p256dh: web ? body.keys.p256dh : null,
    auth: web ? body.keys.auth : null,
    vapidKey: web ? deps.config.push.vapid.publicKey : null,
    label: describeUserAgent(userAgent, body.kind),
  };
  let id = (await findDeviceByAddress(deps.db, actor, hash))?.id;
  if (id === undefined) {
    id = newId();
    try {
      await insertDevice(deps.db, {
        ...fields,
        workspaceId: actor.workspaceId,
        id,
        kind: body.kind,
        address,
        addressHash: hash,
        createdAt: deps.clock.now(),
        lastUsedAt: null,
      });
    } catch (error) {
      // Registered at the same moment by another request (two tabs of one browser).
      if (!isUniqueViolation(error)) throw error;
      id = (await findDeviceByAddress(deps.db, actor, hash))!.id;
    }
  }
  await reassignDevice(deps.db, actor, id, fields);
  await deleteDevicesOfEndedSessions(deps.db, actor, actor.id);
  await evictBeyondLimit(deps.db, actor, id);
  return toPushDevice((await findDevice(deps.db, actor, id))!);
}

export async function listDevices(deps: PushDeps, actor: Actor): Promise<PushDeviceList> {
  await deleteDevicesOfEndedSessions(deps.db, actor, actor.id);
  return { items: (await listDevicesOfUser(deps.db, actor, actor.id)).map(toPushDevice) };
}

/** Another person's device is as missing as one that never existed. */
export async function unregisterDevice(deps: PushDeps, actor: Actor, id: string): Promise<void> {
  if (!(await deleteDevice(deps.db, actor, id, actor.id))) throw new AppError('not_found', 'Device not found');
}

async function evictBeyondLimit(db: Db, actor: Actor, keep: string): Promise<void> {
  const devices = await listDevicesOfUser(db, actor, actor.id);
  if (devices.length <= MAX_PUSH_DEVICES_PER_USER) return;
  const byLastUse = devices
    .filter((d) => d.id !== keep)
    .sort((a, b) => (a.lastUsedAt ?? a.createdAt) - (b.lastUsedAt ?? b.createdAt));
  for (const old of byLastUse.slice(0, devices.length - MAX_PUSH_DEVICES_PER_USER)) {
    await deleteDevice(db, actor, old.id);
  }
}

function toPushDevice(row: PushDeviceRow): PushDevice {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: toIso(row.createdAt),
    lastUsedAt: row.lastUsedAt === null ? null : toIso(row.lastUsedAt),
    label: row.label,
  };
}

/**
 * A browser's subscription: a P-256 public key, a 16-byte secret, and (in production) a push
 * service on the internet: the server POSTs to whatever endpoint is registered, so one inside
 * our own network (loopback, private addresses) is refused there.
 */
function checkSubscription(body: Extract<RegisterPushDeviceBody, { kind: 'web' }>, env: Config['env']): void {
  const fields = [];
  if (!isP256Point(Buffer.from(body.keys.p256dh, 'base64url'))) {
    fields.push({ path: 'keys.p256dh', message: 'Expected a P-256 public key (65 bytes, base64url)' });
  }
  if (Buffer.from(body.keys.auth, 'base64url').length !== 16) {
    fields.push({ path: 'keys.auth', message: 'Expected a 16-byte auth secret (base64url)' });
  }
  if (env === 'production' && isPrivateHost(new URL(body.endpoint).hostname)) {
    fields.push({ path: 'endpoint', message: 'Expected a push service on the internet' });
  }
  if (fields.length > 0) {
    throw new AppError('validation_failed', 'That is not a push subscription this server can use', {
      fields: fields.map((f) => ({ in: 'body' as const, reason: 'invalid' as const, ...f })),
    });
  }
}

function isP256Point(key: Buffer): boolean {
  if (key.length !== 65 || key[0] !== 4) return false;
  try {
    crypto.createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: key.subarray(1, 33).toString('base64url'),
        y: key.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    return true;
  } catch {
    return false; // not on the curve
  }
}

const PRIVATE_RANGES = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE_RANGES.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE_RANGES.addSubnet(address, prefix, 'ipv6');
}

/** By name or address literal; a name that resolves inside is the push service's DNS, not ours to check. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) {
    return true;
  }
  const family = net.isIP(host);
  if (family === 0) return false;
  if (family === 6 && host.startsWith('::ffff:')) return isPrivateHost(host.slice(7));
  return PRIVATE_RANGES.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
