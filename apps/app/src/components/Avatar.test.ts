import { describe, expect, it } from 'vitest';
import { initialsPicture } from './Avatar';

describe('initials drawn as a picture (web)', () => {
  it('is an SVG of the initials in the colour given, with markup in a name escaped', () => {
    const svg = decodeURIComponent(initialsPicture('A<', '#ffffff', 40).replace(/^data:image\/svg\+xml,/, ''));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="40" height="40">/);
    expect(svg).toContain('fill="#ffffff"');
    expect(svg).toContain('>A&lt;</text>');
    expect(svg).not.toContain('A<');
  });
});
