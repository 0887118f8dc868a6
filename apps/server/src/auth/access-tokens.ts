import type { ApiTokenScope } from '@parley/protocol';
import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';

export interface AccessClaims {
  userId: string;
  /** The workspace the token acts in; another workspace's resources do not exist for it. */
  workspaceId: string;
  /** The session (refresh-token family) it was issued to; absent in tokens from before sessions were listed. */
  sessionId?: string;
  /** A visitor of this chat widget (widget/): the token reaches only the guest routes and frames. */
  guestOf?: string;
}

export interface VerifiedAccess extends AccessClaims {
  /** Epoch ms when the token stops being valid. */
  expiresAt: number;
  /** An API token (api-tokens/), not a session's: it reaches only what its scopes say. */
  apiToken?: ApiTokenGrant;
}

export interface ApiTokenGrant {
  id: string;
  scopes: ReadonlySet<ApiTokenScope>;
}

export interface AccessTokens {
  sign(claims: AccessClaims): Promise<string>;
  /** Throws `unauthorized` for anything but a valid, unexpired HS256 token of ours. */
  verify(token: string): Promise<VerifiedAccess>;
}

const ISSUER = 'parley';
const AUDIENCE = 'parley';

/**
 * Tokens verified lately, by their text. A client sends the same token with every request and
 * sign-in for its whole life (15 minutes), and checking its HMAC through WebCrypto cost more
 * than a query. What is cached is only what the signature proved; expiry is checked on each use,
 * and who the token's person is now (role, active, session) is still read on each request.
 */
const VERIFIED_CACHE_SIZE = 10_000;

export function createAccessTokens(opts: { secret: string; ttlSeconds: number; clock: Clock }): AccessTokens {
  const key = new TextEncoder().encode(opts.secret);
  const nowSeconds = () => Math.floor(opts.clock.now() / 1000);
  const verified = new Map<string, VerifiedAccess>();
  const remember = (token: string, access: VerifiedAccess) => {
    // Oldest first out: a Map iterates in insertion order.
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, access);
  };
  return {
    sign: ({ userId, workspaceId, sessionId, guestOf }) =>
      new SignJWT({ wid: workspaceId, ...(sessionId && { sid: sessionId }), ...(guestOf && { gst: guestOf }) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(nowSeconds())
        .setExpirationTime(nowSeconds() + opts.ttlSeconds)
        .sign(key),
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (opts.clock.now() < known.expiresAt) return known;
        verified.delete(token);
        throw new AppError('unauthorized', 'Access token expired');
      }
      try {
        const { payload } = await jwtVerify(token, key, {
          // Pinning the algorithm is what turns away `alg: none` and algorithm-confusion tokens.
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: new Date(opts.clock.now()),
        });
        if (!payload.sub || typeof payload.wid !== 'string' || typeof payload.exp !== 'number') {
          throw new Error('missing claims');
        }
        const access: VerifiedAccess = Object.freeze({
          userId: payload.sub,
          workspaceId: payload.wid,
          ...(typeof payload.sid === 'string' && { sessionId: payload.sid }),
          ...(typeof payload.gst === 'string' && { guestOf: payload.gst }),
          expiresAt: payload.exp * 1000,
        });
        remember(token, access);
        return access;
      } catch (error) {
        const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
        throw new AppError('unauthorized', expired ? 'Access token expired' : 'Invalid access token');
      }
    },
  };
}
