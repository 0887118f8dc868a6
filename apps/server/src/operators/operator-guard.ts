import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { actorOf, type AuthGuards } from '../http/auth-guard';
import { isOperator } from './operator-repository';

/**
 * A signed-in operator, in whichever workspace their session is: the flag belongs to the account
 * (docs/decisions/0007-operators.md). Everyone else gets 403, whatever their role there.
 */
export function requireOperator(deps: { db: Db; guards: AuthGuards }): preHandlerAsyncHookHandler {
  return async function requireOperator(request, reply) {
    await deps.guards.requireUser.call(this, request, reply);
    if (!(await isOperator(deps.db, actorOf(request).id))) {
      throw new AppError('forbidden', 'Only installation operators may do this');
    }
  };
}
