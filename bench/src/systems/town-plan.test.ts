import { describe, expect, it } from 'vitest';
import { planTown, roomsByPerson } from './town-plan';

describe('a town', () => {
  it('of 10,000 has the issue’s people and rooms, and everyone in one at least', () => {
    const plan = planTown(10_000);
    expect(plan.agents).toBe(100);
    expect(plan.teams.map((team) => team.length)).toEqual(Array(10).fill(10));
    expect(plan.tickets).toHaveLength(500);
    expect(new Set(plan.tickets.map((t) => t.requester)).size).toBe(500);
    expect(plan.directs).toHaveLength(2000);
    for (const group of plan.groups) expect(group.length).toBeGreaterThanOrEqual(10);
    const rooms = roomsByPerson(plan);
    expect(rooms.filter((r) => r.length === 0)).toEqual([]);
    // Each agent follows its team's tickets: 50 each.
    expect(rooms.slice(0, plan.agents).map((r) => r.length)).toEqual(Array(100).fill(50));
  });

  it('is the same for the same seed, and someone in a room is in it once', () => {
    expect(planTown(2000, 3)).toEqual(planTown(2000, 3));
    for (const rooms of roomsByPerson(planTown(2000, 3))) expect(new Set(rooms).size).toBe(rooms.length);
  });

  it('fits in 60 people (the smoke test’s)', () => {
    const rooms = roomsByPerson(planTown(60));
    expect(rooms.every((r) => r.length > 0)).toBe(true);
  });
});
