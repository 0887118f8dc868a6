import type { Db } from '../db/connect';

/** The `operators` table is installation-level: who may run the installation's workspaces. */
export async function isOperator(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('operators').select('userId').where('userId', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Marks the account an operator; marking it again changes nothing. */
export async function grantOperator(db: Db, userId: string, at: number): Promise<void> {
  if (await isOperator(db, userId)) return;
  await db.insertInto('operators').values({ userId, createdAt: at }).execute();
}

export async function revokeOperator(db: Db, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('operators').where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export const listOperators = (db: Db) =>
  db
    .selectFrom('operators')
    .innerJoin('users', 'users.id', 'operators.userId')
    .select(['users.id', 'users.username', 'users.email', 'operators.createdAt'])
    .orderBy('operators.createdAt')
    .execute();
