import { describe, expect, it } from 'vitest';
import { addressPolicy, urlProblem } from './webhook-target';

describe('where webhooks may connect', () => {
  const publicOnly = addressPolicy([]);

  it('allows public addresses and refuses everything inside a network', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) {
      expect(publicOnly(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1', // loopback
      '10.1.2.3', // private
      '172.16.0.1',
      '192.168.1.10',
      '169.254.169.254', // link-local: cloud metadata
      '100.64.0.1', // carrier-grade NAT
      '0.0.0.0',
      '224.0.0.1', // multicast
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1', // link-local
      'fd12:3456::1', // unique local
      '::ffff:10.0.0.1', // an IPv4 private address in IPv6 clothing
      '::ffff:127.0.0.1',
      'not an address',
    ]) {
      expect(publicOnly(address), address).toBe(false);
    }
  });

  it('lets the operator allow networks of their own, and only those', () => {
    const allowing = addressPolicy(['10.1.0.0/16', '127.0.0.1', 'fd00::/8']);
    expect(allowing('10.1.200.7')).toBe(true);
    expect(allowing('::ffff:10.1.0.9')).toBe(true);
    expect(allowing('127.0.0.1')).toBe(true);
    expect(allowing('fd12::1')).toBe(true);
    expect(allowing('10.2.0.1')).toBe(false);
    expect(allowing('127.0.0.2')).toBe(false);
    expect(allowing('192.168.0.1')).toBe(false);
  });

  it('explains a refused URL by the address its name resolves to', async () => {
    expect(await urlProblem('http://localhost:8080/hook', publicOnly)).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), which is a private, loopback or link-local address/,
    );
    expect(await urlProblem('http://[fe80::1]/', publicOnly)).toMatch(/^fe80::1 is a private/);
    expect(await urlProblem('http://no-such-host.invalid/', publicOnly)).toBe(
      'no-such-host.invalid does not resolve to an address',
    );
    expect(await urlProblem('http://127.0.0.1:9/', addressPolicy(['127.0.0.1']))).toBeNull();
  });
});
