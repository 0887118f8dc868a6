import net from 'node:net';

/**
 * The outside services the suites can use, where tests find them (override per env var), and
 * whether they answer. SQLite needs nothing and always runs.
 */
export const TEST_SERVICES = {
  mysql: { label: 'MariaDB/MySQL', url: process.env.PARLEY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306' },
  postgres: { label: 'PostgreSQL', url: process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432' },
  redis: { label: 'Redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
} as const;

export type TestService = keyof typeof TEST_SERVICES;

/** True when something accepts a TCP connection at the service's host and port. */
export function isAnswering(service: TestService, timeoutMs = 1000): Promise<boolean> {
  const url = new URL(TEST_SERVICES[service].url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
