import { describe, expect, it } from 'vitest';
import { isAllowedHref, LINK_SCHEMES } from './link-policy';

describe('the link allow-list', () => {
  it('[MD4] allows http and https URLs with a host, and mailto addresses', () => {
    expect(LINK_SCHEMES).toEqual(['http', 'https', 'mailto']);
    for (const href of [
      'https://example.com',
      'HTTP://EXAMPLE.COM/a?b#c',
      'https://user@host:8443/p',
      'mailto:a@b.example',
    ]) {
      expect(isAllowedHref(href), href).toBe(true);
    }
  });

  it('[MD4] refuses every other scheme, relative targets, and targets with spaces or controls', () => {
    const refused = [
      '',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' https://example.com',
      'https://exa mple.com',
      'https://example.com\n',
      'java\u0000script:x',
      'https://example.com\u202e',
      'data:text/html,x',
      'vbscript:x',
      'file:///etc/passwd',
      'ftp://example.com',
      'intent://x#Intent;end',
      '/relative',
      '//host.example',
      'https:host.example',
      'https:///path',
      'https:\\\\host.example',
      'mailto:',
      'https://' + 'a'.repeat(2_100),
    ];
    for (const href of refused) expect(isAllowedHref(href), JSON.stringify(href)).toBe(false);
  });
});
