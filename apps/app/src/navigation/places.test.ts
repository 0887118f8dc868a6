import { describe, expect, it } from 'vitest';
import { layoutFor } from './layout';
import { placeOf } from './places';

describe('where the navigation says you are', () => {
  it('counts a ticket and a new ticket as Tickets, a chat as Messages, saved messages as Profile', () => {
    expect(placeOf('Ticket')).toBe('Home');
    expect(placeOf('NewTicket')).toBe('Home');
    expect(placeOf('Chat')).toBe('Conversations');
    expect(placeOf('NewGroup')).toBe('Conversations');
    expect(placeOf('Saved')).toBe('Profile');
    expect(placeOf('SignIn')).toBeUndefined();
  });

  it('gives phones a tab bar, and splits list and detail from 1100 px', () => {
    expect(layoutFor(390)).toEqual({ nav: 'tabs', split: false });
    expect(layoutFor(900)).toEqual({ nav: 'rail', split: false });
    expect(layoutFor(1100)).toEqual({ nav: 'rail', split: true });
    expect(layoutFor(1440)).toEqual({ nav: 'sidebar', split: true });
  });
});
