import { parseArgs } from 'node:util';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { findUserByEmail, findUserByUsernameKey } from '../users/user-repository';
import { grantOperator, listOperators, revokeOperator } from './operator-repository';
import { createOperatorAccount } from './operator-service';

/**
 * `npm run operator -- <command>`: the only way to make an installation operator (nothing over
 * HTTP can). Exit codes: 0 done, 1 refused (taken, unknown, invalid), 2 usage error.
 */
export const USAGE = `usage: npm run operator -- <command>
  create --email <email> --username <name> --password <password>   a new account, made an operator
  grant  --login <email or username>                                an existing account becomes an operator
  revoke --login <email or username>                                it stops being one
  list                                                              the operators`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export async function runOperatorCommand(argv: string[], deps: { db: Db; clock: Clock }, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        login: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (extra.length > 0) return usage(io);
  try {
    switch (command) {
      case 'create': {
        const password = values.password ?? process.env.PARLEY_OPERATOR_PASSWORD;
        if (!values.email || !values.username || !password) return usage(io);
        const user = await createOperatorAccount(deps, { email: values.email, username: values.username, password });
        io.out(`created operator ${user.username} (${user.id})`);
        return 0;
      }
      case 'grant':
      case 'revoke': {
        if (!values.login) return usage(io);
        const user = values.login.includes('@')
          ? await findUserByEmail(deps.db, values.login.trim().toLowerCase())
          : await findUserByUsernameKey(deps.db, values.login.toLowerCase());
        if (!user) {
          io.err(`no account ${values.login}`);
          return 1;
        }
        if (command === 'grant') {
          await grantOperator(deps.db, user.id, deps.clock.now());
          io.out(`${user.username} is an operator`);
        } else {
          const was = await revokeOperator(deps.db, user.id);
          io.out(was ? `${user.username} is no longer an operator` : `${user.username} was not an operator`);
        }
        return 0;
      }
      case 'list': {
        for (const op of await listOperators(deps.db)) io.out(`${op.username}\t${op.email}\t${op.id}`);
        return 0;
      }
      default:
        return usage(io);
    }
  } catch (error) {
    if (error instanceof AppError) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof Error && error.name === 'ZodError') {
      io.err(`invalid input: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function usage(io: CliIo): number {
  io.err(USAGE);
  return 2;
}
