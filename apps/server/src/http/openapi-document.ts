import { fileURLToPath } from 'node:url';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connect';

/** Where the committed copy lives; a test fails when it drifts from the code. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url));

/** The OpenAPI document exactly as `/openapi.json` serves it, built without a port or files. */
export async function generateOpenApiDocument(): Promise<string> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'sqlite::memory:',
    JWT_SECRET: 'only-used-to-build-the-document-0123456789',
    // Whether a web build exists must not change the document (it changes the routes' order).
    WEB_DIR: fileURLToPath(new URL('./no-web-build', import.meta.url)),
  });
  const database = await openDatabase(config.databaseUrl);
  const app = await buildApp({ config, database });
  try {
    await app.ready();
    return JSON.stringify(app.swagger(), null, 2) + '\n';
  } finally {
    await app.close();
    await database.close();
  }
}
