import { monotonicFactory } from 'ulidx';

/** ULIDs: sortable by creation time, unique across nodes, the same type in every database. */
export const newId: () => string = monotonicFactory();
