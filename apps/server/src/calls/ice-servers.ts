import crypto from 'node:crypto';
import type { IceServer, IceServers } from '@parley/protocol';
import { toIso } from '../clock';
import type { IceServerConfig } from '../config';

/**
 * The servers a member's browser may use to reach the other side of a call. TURN credentials
 * follow the REST API for TURN services (draft-uberti-behave-turn-rest) that coturn implements
 * as `use-auth-secret`: nothing is stored or sent to coturn, which recomputes the HMAC from the
 * username with the secret it shares with us, and refuses a username whose expiry has passed.
 * The user id in the username puts a name to each relay in coturn's logs.
 */
export function iceServersFor(config: IceServerConfig, userId: string, nowMs: number): IceServers {
  const iceServers: IceServer[] = [];
  if (config.stunUrls.length > 0) iceServers.push({ urls: config.stunUrls });
  if (!config.turn) return { iceServers, expiresAt: null };
  const { urls, secret, credentialTtlSeconds } = config.turn;
  const expiresAtSeconds = Math.floor(nowMs / 1000) + credentialTtlSeconds;
  const username = `${expiresAtSeconds}:${userId}`;
  iceServers.push({ urls, username, credential: turnCredential(secret, username) });
  return { iceServers, expiresAt: toIso(expiresAtSeconds * 1000) };
}

/** What coturn expects as the password of `username`: base64(HMAC-SHA1(secret, username)). */
function turnCredential(secret: string, username: string): string {
  return crypto.createHmac('sha1', secret).update(username).digest('base64');
}
