/**
 * Who is in which room in the `town` scenario, by person index, before any system sees it. Of
 * 10,000 people: 100 agents in teams of 10; 500 open tickets, each opened by a customer of its
 * own and followed by its team's agents (so each agent follows 50); 2,000 direct chats
 * between 4,000 customers who are each other's contacts; the other 5,400 customers in groups of
 * 10–50, which a quarter of the direct chatters join too. Everyone is in at least one room.
 */
export interface TownPlan {
  people: number;
  /** People 0 … agents − 1 are agents; the rest are customers. */
  agents: number;
  /** Agent indexes per team. */
  teams: number[][];
  tickets: Array<{ requester: number; team: number }>;
  directs: Array<[number, number]>;
  groups: number[][];
}

const AGENT_SHARE = 0.01;
const TEAM_SIZE = 10;
const TICKET_SHARE = 0.05;
/** Of everyone, this share are direct-chat pairs (two people each). */
const PAIR_SHARE = 0.2;
const GROUP_SIZE = { min: 10, max: 50 };
/** Of the people in direct chats, this share is in a group as well. */
const GROUP_OVERLAP = 0.25;

export function planTown(people: number, seed = 1): TownPlan {
  const random = seededRandom(seed);
  const agents = Math.max(1, Math.round(people * AGENT_SHARE));
  const ticketCount = Math.max(1, Math.round(people * TICKET_SHARE));
  const pairs = Math.floor(people * PAIR_SHARE);
  if (agents + ticketCount + pairs * 2 > people) throw new Error(`A town needs more than ${people} people`);
  let next = 0;
  const take = (n: number) => Array.from({ length: n }, () => next++);

  const agentIds = take(agents);
  const teams = chunks(agentIds, TEAM_SIZE);
  const tickets = take(ticketCount).map((requester, i) => ({ requester, team: i % teams.length }));
  const chatters = take(pairs * 2);
  const directs = chunks(chatters, 2) as Array<[number, number]>;
  const groups = partition(take(people - next), random);
  if (groups.length > 0)
    for (const person of chatters)
      if (random() < GROUP_OVERLAP) groups[Math.floor(random() * groups.length)]!.push(person);
  return { people, agents, teams, tickets, directs, groups };
}

/** Every person's rooms, as indexes into [...tickets, ...directs, ...groups]. */
export function roomsByPerson(plan: TownPlan): number[][] {
  const rooms = Array.from({ length: plan.people }, () => [] as number[]);
  let room = 0;
  for (const ticket of plan.tickets) {
    for (const person of [ticket.requester, ...plan.teams[ticket.team]!]) rooms[person]!.push(room);
    room++;
  }
  for (const members of [...plan.directs, ...plan.groups]) {
    for (const person of members) rooms[person]!.push(room);
    room++;
  }
  return rooms;
}

/** Groups of GROUP_SIZE; the last takes what is left when too little would remain for another. */
function partition(people: number[], random: () => number): number[][] {
  const groups: number[][] = [];
  for (let at = 0; at < people.length;) {
    let size = GROUP_SIZE.min + Math.floor(random() * (GROUP_SIZE.max - GROUP_SIZE.min + 1));
    if (people.length - at - size < GROUP_SIZE.min) size = people.length - at;
    groups.push(people.slice(at, at + size));
    at += size;
  }
  return groups;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Mulberry32: the same town for the same seed, run after run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
