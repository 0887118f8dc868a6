import { EmailCategorySchema, type EmailCategory } from '@parley/protocol';
import crypto from 'node:crypto';

export interface UnsubscribeClaim {
  workspaceId: string;
  userId: string;
  category: EmailCategory;
}

/**
 * The token in a mail's unsubscribe link: who and which category, signed (HMAC-SHA256 with a key
 * of its own derived from the JWT secret). It does not expire: a link in an old mail must still
 * work (RFC 8058), and all it can do is turn that one category off.
 */
export function createUnsubscribeTokens(jwtSecret: string) {
  const key = crypto.createHmac('sha256', jwtSecret).update('parley unsubscribe').digest();
  const sign = (body: string) => crypto.createHmac('sha256', key).update(body).digest('base64url');
  return {
    sign(claim: UnsubscribeClaim): string {
      const body = Buffer.from(`${claim.workspaceId}.${claim.userId}.${claim.category}`).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    /** The claim of a token this installation made, or null (tampered, truncated, made elsewhere). */
    verify(token: string): UnsubscribeClaim | null {
      const [body, mac, ...rest] = token.split('.');
      if (!body || !mac || rest.length > 0) return null;
      const expected = Buffer.from(sign(body));
      const given = Buffer.from(mac);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
      const [workspaceId, userId, category, ...extra] = Buffer.from(body, 'base64url').toString().split('.');
      const parsed = EmailCategorySchema.safeParse(category);
      if (!workspaceId || !userId || !parsed.success || extra.length > 0) return null;
      return { workspaceId, userId, category: parsed.data };
    },
  };
}
export type UnsubscribeTokens = ReturnType<typeof createUnsubscribeTokens>;
