import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from './database-url';

describe('DATABASE_URL', () => {
  it.each([
    ['sqlite:./data/parley.db', path.resolve('/srv/app', 'data/parley.db')],
    ['sqlite:/var/lib/parley.db', '/var/lib/parley.db'],
    ['sqlite:///var/lib/parley.db', '/var/lib/parley.db'],
    ['sqlite::memory:', ':memory:'],
  ])('reads %s as a SQLite file', (url, file) => {
    expect(parseDatabaseUrl(url, '/srv/app')).toEqual({ dialect: 'sqlite', file });
  });

  it.each([
    ['mysql://root@127.0.0.1:3306/parley', 'mysql'],
    ['mariadb://u:p@db:3306/parley', 'mysql'],
    ['postgres://postgres@127.0.0.1:5432/parley', 'postgres'],
    ['postgresql://u@db/parley_2', 'postgres'],
  ])('reads %s as %s', (url, dialect) => {
    expect(parseDatabaseUrl(url)).toMatchObject({ dialect });
  });

  it.each([
    ['ftp://host/db', /scheme "ftp:"/],
    ['mysql://root@127.0.0.1:3306/', /must name a database/],
    ['postgres://h/parley;drop%20table', /must name a database/],
    ['sqlite:', /needs a file path/],
    ['not a url', /not a URL/],
  ])('refuses %s with a clear reason', (url, reason) => {
    expect(() => parseDatabaseUrl(url)).toThrow(reason);
  });
});
