import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/connect';
import { migrateToLatest } from './db/migrate';

const config = loadConfigOrExit();
const database = await openDatabase(config.databaseUrl, {
  onIdleError: (error) => console.error(`database connection dropped while idle: ${error.message}`),
}).catch((error: Error) =>
  exit(`Cannot open the database (${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}): ${error.message}`),
);
const applied = await migrateToLatest(database.db);
await database.warm();
const app = await buildApp({
  config,
  database,
  prettyLogs: config.env === 'development' && process.stdout.isTTY,
});
if (applied.length > 0) app.log.info({ applied }, 'database migrated');

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close the database.
closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after a fatal error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await database.close();
});

const address = await app.listen({ host: config.host, port: config.port });
app.log.info(`Parley is up: ${address} (API docs at ${address}/docs)`);

function loadConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) exit(error.message);
    throw error;
  }
}

function exit(message: string): never {
  console.error(message);
  process.exit(1);
}
