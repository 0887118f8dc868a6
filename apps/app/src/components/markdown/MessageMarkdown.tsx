import { isAllowedHref, type MdBlock, type MdInline } from '@parley/markdown';
import { memo, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, StyleSheet, Text, View, type StyleProp, type TextStyle } from 'react-native';
import { darkCode, lightCode } from '../../theme/code-palette';
import { useTheme } from '../../theme/theme';
import { useHighlighter } from './highlighter';
import { openLink } from './links';

export const MONOSPACE = Platform.select({
  web: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  ios: 'Menlo',
  default: 'monospace',
});

/** Behind inline code and revealed spoilers: grey at low opacity reads on every bubble colour. */
const TINT = 'rgba(127, 127, 127, 0.22)';

interface Look {
  /** The bubble's foreground: every word but those of code blocks is drawn in it. */
  color: string;
  text: StyleProp<TextStyle>;
  selectable: boolean;
  revealSpoilers: boolean;
  /** The reader's username, lower-cased: a mention of them stands out. */
  self: string | null;
}

export interface MessageMarkdownProps {
  /** The body's tree (`parseMarkdown`), parsed once per body by the row. */
  blocks: readonly MdBlock[];
  color: string;
  /** The body's type size and line height. */
  style?: StyleProp<TextStyle>;
  selectable?: boolean;
  /** Shows every spoiler (the row's actions menu: the keyboard's way to them). */
  revealSpoilers?: boolean;
  /** The reader's username: mentions of them are marked more strongly than others'. */
  selfUsername?: string | null;
}

/**
 * A message body as React Native views: Text nested for inline markup, Views for blocks. Only
 * what the tree holds can be drawn: there is no way to HTML from here.
 */
export const MessageMarkdown = memo(function MessageMarkdown({
  blocks,
  color,
  style,
  selectable = false,
  revealSpoilers = false,
  selfUsername = null,
}: MessageMarkdownProps) {
  const look: Look = { color, text: style, selectable, revealSpoilers, self: selfUsername?.toLowerCase() ?? null };
  // One paragraph, the usual message: one Text, as a plain body was before markdown.
  if (blocks.length === 1 && blocks[0]!.type === 'paragraph')
    return <Paragraph nodes={blocks[0]!.children} look={look} />;
  return <Blocks blocks={blocks} look={look} />;
});

function Blocks({ blocks, look }: { blocks: readonly MdBlock[]; look: Look }) {
  return (
    <View style={styles.blocks}>
      {blocks.map((block, i) => (
        <Block key={i} block={block} look={look} />
      ))}
    </View>
  );
}

function Block({ block, look }: { block: MdBlock; look: Look }) {
  switch (block.type) {
    case 'paragraph':
      return <Paragraph nodes={block.children} look={look} />;
    case 'code_block':
      return <CodeBlock lang={block.lang} text={block.text} look={look} />;
    case 'blockquote':
      return (
        <View style={styles.quote}>
          <View style={[styles.quoteBar, { backgroundColor: look.color }]} />
          <View style={styles.shrink}>
            <Blocks blocks={block.children} look={look} />
          </View>
        </View>
      );
    case 'list':
      return (
        <View role="list" style={styles.blocks}>
          {block.items.map((item, i) => (
            <View key={i} role="listitem" style={styles.item}>
              <Text style={[look.text, styles.marker, { color: look.color }]} aria-hidden>
                {block.ordered ? `${block.start + i}.` : '•'}
              </Text>
              <View style={styles.shrink}>
                <Blocks blocks={item} look={look} />
              </View>
            </View>
          ))}
        </View>
      );
  }
}

function Paragraph({ nodes, look }: { nodes: readonly MdInline[]; look: Look }) {
  return (
    <Text selectable={look.selectable} style={[look.text, { color: look.color }]}>
      <Inlines nodes={nodes} look={look} />
    </Text>
  );
}

function Inlines({ nodes, look }: { nodes: readonly MdInline[]; look: Look }): ReactNode {
  return nodes.map((node, i) => <Inline key={i} node={node} look={look} />);
}

function Inline({ node, look }: { node: MdInline; look: Look }): ReactNode {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'softbreak':
    case 'hardbreak':
      return '\n';
    case 'strong':
      return (
        <Text style={styles.strong}>
          <Inlines nodes={node.children} look={look} />
        </Text>
      );
    case 'em':
      return (
        <Text style={styles.em}>
          <Inlines nodes={node.children} look={look} />
        </Text>
      );
    case 'strike':
      return (
        <Text style={styles.strike}>
          <Inlines nodes={node.children} look={look} />
        </Text>
      );
    case 'code':
      return <Text style={styles.inlineCode}>{node.text}</Text>;
    case 'mention':
      return (
        <Text
          testID={node.username.toLowerCase() === look.self ? 'mention-of-you' : 'mention'}
          style={[styles.mention, node.username.toLowerCase() === look.self && styles.mentionOfYou]}
        >
          @{node.username}
        </Text>
      );
    case 'link':
      return (
        <Link href={node.href}>
          <Inlines nodes={node.children} look={look} />
        </Link>
      );
    case 'spoiler':
      return <Spoiler node={node} look={look} />;
  }
}

function Link({ href, children }: { href: string; children: ReactNode }) {
  // The tree only holds allowed links; checked again, as this is where a link becomes live.
  if (!isAllowedHref(href)) return children;
  // react-native-web draws a Text with `href` as <a>: a new tab that cannot reach back to this
  // one. Out of the Tab order like attachments: the row's actions menu lists its links.
  const web = { href, hrefAttrs: { target: '_blank', rel: 'noopener noreferrer' }, tabIndex: -1 } as object;
  return Platform.OS === 'web' ? (
    <Text {...web} accessibilityRole="link" style={styles.link}>
      {children}
    </Text>
  ) : (
    <Text accessibilityRole="link" onPress={() => openLink(href)} style={styles.link}>
      {children}
    </Text>
  );
}

/** Covered by a bar of the text's own colour, and none of its words in the page, until tapped. */
function Spoiler({ node, look }: { node: Extract<MdInline, { type: 'spoiler' }>; look: Look }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  if (shown || look.revealSpoilers) {
    return (
      <Text style={styles.revealed}>
        <Inlines nodes={node.children} look={look} />
      </Text>
    );
  }
  return (
    <Text
      {...({ tabIndex: -1 } as object)}
      accessibilityRole="button"
      accessibilityLabel={t('chat.spoiler')}
      onPress={() => setShown(true)}
      style={[styles.covered, { backgroundColor: look.color, color: look.color }]}
    >
      {'▇'.repeat(6)}
    </Text>
  );
}

function CodeBlock({ lang, text, look }: { lang: string | null; text: string; look: Look }) {
  const { dark } = useTheme();
  const palette = dark ? darkCode : lightCode;
  const highlightCode = useHighlighter();
  const spans = useMemo(() => highlightCode?.(text, lang) ?? null, [highlightCode, text, lang]);
  return (
    <View style={[styles.codeBox, { backgroundColor: palette.background, borderColor: palette.border }]}>
      <Text selectable={look.selectable} style={[styles.code, { color: palette.plain }]}>
        {spans
          ? spans.map((span, i) =>
              span.kind ? (
                <Text key={i} style={{ color: palette[span.kind] }}>
                  {span.text}
                </Text>
              ) : (
                span.text
              ),
            )
          : text}
      </Text>
    </View>
  );
}

const styles = StyleSheet.create({
  blocks: { gap: 6 },
  strong: { fontWeight: '700' },
  em: { fontStyle: 'italic' },
  strike: { textDecorationLine: 'line-through' },
  link: { textDecorationLine: 'underline' },
  mention: { fontWeight: '700', backgroundColor: TINT, borderRadius: 4, paddingHorizontal: 2 },
  // Warm, and strong enough to find in a long thread; the text keeps the bubble's colour.
  mentionOfYou: { backgroundColor: 'rgba(255, 176, 0, 0.38)' },
  inlineCode: { fontFamily: MONOSPACE, fontSize: 14, backgroundColor: TINT, borderRadius: 4, paddingHorizontal: 3 },
  covered: { borderRadius: 3, userSelect: 'none' },
  revealed: { backgroundColor: TINT, borderRadius: 3 },
  quote: { flexDirection: 'row', gap: 8 },
  quoteBar: { width: 3, borderRadius: 2, opacity: 0.5 },
  shrink: { flexShrink: 1 },
  item: { flexDirection: 'row', gap: 6 },
  marker: { minWidth: 14, textAlign: 'right' },
  codeBox: { borderWidth: 1, borderRadius: 8, paddingHorizontal: 10, paddingVertical: 8 },
  code: { fontFamily: MONOSPACE, fontSize: 13, lineHeight: 19 },
});
