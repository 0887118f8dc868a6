import { systemClock } from '../clock';
import { loadConfig } from '../config';
import { openDatabase } from './connect';
import { migrateToLatest } from './migrate';
import { DEMO_PASSWORD, DEMO_SECOND_WORKSPACE, seedDemoOrg } from './seed';

// `npm run seed`: the demo organisation, then the logins to try it with.
const config = loadConfig();
const database = await openDatabase(config.databaseUrl);
try {
  await migrateToLatest(database.db);
  const { created, logins } = await seedDemoOrg(database.db, systemClock, config.dataDir);
  console.log(
    created ? `Seeded the demo organisation (${database.dialect}).` : 'The demo organisation is already there.',
  );
  console.log(`Sign in with any of these; the password is "${DEMO_PASSWORD}":`);
  console.table(logins);
  const { name, slug } = DEMO_SECOND_WORKSPACE;
  console.log(`ada is also the admin of a second workspace, ${name} (${slug}), to try the workspace switcher.`);
} finally {
  await database.close();
}
