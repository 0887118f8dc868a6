/** The archive or backup cannot go into this installation; nothing was changed. */
export class ArchiveRefused extends Error {}
