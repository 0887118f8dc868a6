import { systemClock } from '../clock';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { runOperatorCommand } from './operator-commands';

// `npm run operator -- create|grant|revoke|list ...`: see operator-commands.ts.
const config = loadConfig();
const database = await openDatabase(config.databaseUrl);
let code = 1;
try {
  await migrateToLatest(database.db);
  code = await runOperatorCommand(
    process.argv.slice(2),
    { db: database.db, clock: systemClock },
    {
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    },
  );
} finally {
  await database.close();
}
process.exit(code);
