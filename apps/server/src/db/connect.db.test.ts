import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { openDatabase, type DatabaseHandle } from './connect';

describe.runIf(TEST_DIALECT !== 'sqlite')(`the connection pool on ${TEST_DIALECT}`, () => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    testDb = createTestDatabase();
    handle = await openDatabase(testDb.url, { poolSize: 4 });
  });
  afterAll(async () => {
    await handle.close();
    await testDb.drop();
  });

  it('opens every connection on warm, so the first burst after start waits for none', async () => {
    expect(handle.poolStats().total).toBe(1); // the ping's
    await handle.warm();
    expect(handle.poolStats()).toMatchObject({ total: 4, idle: 4 });
  });
});
