import type { Db } from '../db/connect';
import type { NewUser, UserRow } from '../db/schema';

export const findUserById = (db: Db, id: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByEmail = (db: Db, email: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

export const findUserByUsernameKey = (db: Db, usernameKey: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('usernameKey', '=', usernameKey).executeTakeFirst();

export async function hasAnyUser(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Fails with a unique violation if another account claimed it first (even uncommitted). */
export async function claimFirstAdmin(db: Db, userId: string, at: number): Promise<void> {
  await db.insertInto('installationClaims').values({ name: 'first_admin', userId, createdAt: at }).execute();
}

export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  await db.insertInto('users').values(user).execute();
  return {
    avatarKey: null,
    statusText: null,
    deactivatedAt: null,
    locale: 'en',
    emailVerifiedAt: null,
    bot: 0,
    ...user,
  };
}
