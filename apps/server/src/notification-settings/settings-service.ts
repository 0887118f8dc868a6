import type { NotificationSettings, Unsubscribed, UpdateNotificationSettingsBody } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { presentSettings, readSettings, toMinutes, writeSettings } from './settings-repository';
import type { UnsubscribeTokens } from './unsubscribe-token';

export async function getNotificationSettings(deps: ServiceDeps, actor: Actor): Promise<NotificationSettings> {
  return presentSettings((await readSettings(deps.db, actor, [actor.id])).get(actor.id)!);
}

/** Changes what is given, keeps the rest. */
export async function updateNotificationSettings(
  deps: ServiceDeps,
  actor: Actor,
  change: UpdateNotificationSettingsBody,
): Promise<NotificationSettings> {
  const current = (await readSettings(deps.db, actor, [actor.id])).get(actor.id)!;
  const next = {
    push: change.push ?? current.push,
    email: change.email ?? current.email,
    emailOff: change.emailOff ? [...new Set(change.emailOff)] : current.emailOff,
    quiet:
      change.quietHours === undefined
        ? current.quiet
        : change.quietHours && {
            from: toMinutes(change.quietHours.from),
            to: toMinutes(change.quietHours.to),
            timeZone: change.quietHours.timeZone,
          },
  };
  await writeSettings(deps.db, actor, actor.id, next, deps.clock.now());
  return presentSettings({ ...next, emailedUpTo: current.emailedUpTo });
}

/**
 * An unsubscribe link followed (or posted to by the mail client, RFC 8058): that category's
 * mail stops. No sign-in: the signed token is the proof. Answers the same for a repeat.
 */
export async function unsubscribe(deps: ServiceDeps, tokens: UnsubscribeTokens, token: string): Promise<Unsubscribed> {
  const claim = tokens.verify(token);
  const workspace =
    claim &&
    (await deps.db.selectFrom('workspaces').select('name').where('id', '=', claim.workspaceId).executeTakeFirst());
  if (!claim || !workspace) {
    throw new AppError('validation_failed', 'This unsubscribe link is not valid', {
      fields: [{ in: 'body', path: 'token', message: 'Not a link this server made' }],
    });
  }
  const ws = { workspaceId: claim.workspaceId };
  const current = (await readSettings(deps.db, ws, [claim.userId])).get(claim.userId)!;
  if (!current.emailOff.includes(claim.category)) {
    await writeSettings(
      deps.db,
      ws,
      claim.userId,
      { ...current, emailOff: [...current.emailOff, claim.category] },
      deps.clock.now(),
    );
  }
  return { category: claim.category, workspaceName: workspace.name };
}
