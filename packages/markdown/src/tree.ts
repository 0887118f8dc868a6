/**
 * A message body as a small tree of plain objects: serialisable, renderer-agnostic, and holding
 * nothing that could be markup (no HTML, no attributes, links only from the allow-list).
 */
export type MdInline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: MdInline[] }
  | { type: 'em'; children: MdInline[] }
  | { type: 'strike'; children: MdInline[] }
  | { type: 'spoiler'; children: MdInline[] }
  | { type: 'code'; text: string }
  /** `@username` in the text (not in code or a link): drawn as a mention, notifies that person. */
  | { type: 'mention'; username: string }
  /** `href` passed `isAllowedHref`. */
  | { type: 'link'; href: string; children: MdInline[] }
  /** A line break typed in the message (Shift+Enter): shown as one, as chats do. */
  | { type: 'softbreak' }
  /** A line ended with two spaces or a backslash. */
  | { type: 'hardbreak' };

export type MdListBlock = {
  type: 'list';
  ordered: boolean;
  /** The first item's number (1 for bullets). */
  start: number;
  items: MdBlock[][];
};

export type MdBlock =
  | { type: 'paragraph'; children: MdInline[] }
  /** `lang` is the fence's first word, lower-cased, or null. */
  | { type: 'code_block'; lang: string | null; text: string }
  | { type: 'blockquote'; children: MdBlock[] }
  | MdListBlock;

export type MdContainerInline = Extract<MdInline, { children: MdInline[] }>;
