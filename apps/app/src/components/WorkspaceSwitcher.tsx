import type { Workspace } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Image, Pressable, StyleSheet, Text, View } from 'react-native';
import { absoluteUrl } from '../api/parley';
import { useAppDispatch, useAppSelector } from '../store';
import { switchWorkspace } from '../store/workspaces';
import { accentPalette } from '../theme/accent';
import { dark, light } from '../theme/palette';
import { useTheme } from '../theme/theme';
import { Badge } from './Badge';

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

/** On the rail: the initials shown (when there is no logo), then the name. */
const railLabel = (workspace: Pick<Workspace, 'name' | 'logoUrl'>) => {
  const initials = initialsOf(workspace.name);
  return workspace.logoUrl || initials === workspace.name.toUpperCase()
    ? workspace.name
    : `${initials}, ${workspace.name}`;
};

/**
 * A workspace's mark: its logo, or its initials on its own accent colour (made readable in the
 * current theme, like the app's accent). Decorative: the workspace's name is always beside it
 * or names the control it sits in.
 */
export function WorkspaceMark({
  workspace,
  size = 28,
}: {
  workspace: Pick<Workspace, 'name' | 'logoUrl' | 'accentColor'>;
  size?: number;
}) {
  const theme = useTheme();
  const box = { width: size, height: size, borderRadius: size / 4 };
  if (workspace.logoUrl) {
    return (
      <Image
        source={{ uri: absoluteUrl(workspace.logoUrl) }}
        style={box}
        resizeMode="contain"
        aria-hidden
        testID="workspace-logo"
      />
    );
  }
  const own = accentPalette(theme.dark ? dark : light, workspace.accentColor);
  return (
    <View style={[box, styles.initials, { backgroundColor: own.primary }]} aria-hidden>
      <Text style={{ color: own.onPrimary, fontWeight: '800', fontSize: size * 0.4 }}>
        {initialsOf(workspace.name)}
      </Text>
    </View>
  );
}

/** The current workspace's name (and logo) heading the side navigation: whose desk this is. */
export function WorkspaceHeader({ compact }: { compact: boolean }) {
  const { colors } = useTheme();
  const workspace = useAppSelector((s) => s.session.user?.workspace);
  if (!workspace) return null;
  if (compact) {
    return workspace.logoUrl ? (
      <View style={styles.compactHeader} role="img" aria-label={workspace.name} testID="workspace-header">
        <WorkspaceMark workspace={workspace} size={36} />
      </View>
    ) : null;
  }
  return (
    <View style={styles.header} testID="workspace-header">
      {workspace.logoUrl ? <WorkspaceMark workspace={workspace} size={32} /> : null}
      {/* Not a heading: each screen's own title is the page's heading. Text, so the text colour
          (`link`, 4.5:1), not the fill colour (`primary`, 3:1 only). */}
      <Text numberOfLines={2} style={[styles.brand, { color: colors.link }]}>
        {workspace.name}
      </Text>
    </View>
  );
}

/**
 * The person's workspaces, to move between them: each with its mark, name and unread count;
 * the current one marked. Nothing for people in one workspace only (most installs). `compact`
 * (the slim rail): marks only, each named for screen readers. `onSwitched` runs once the new
 * workspace's session is in place (the frame lands on Home).
 */
export function WorkspaceSwitcher({
  compact = false,
  titled = true,
  onSwitched,
}: {
  compact?: boolean;
  /** False where a heading above says it already (Profile's section). */
  titled?: boolean;
  onSwitched?: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const items = useAppSelector((s) => s.workspaces.items);
  const switchingTo = useAppSelector((s) => s.workspaces.switchingTo);
  const liveUnread = useAppSelector((s) => s.notifications.unreadCount);
  const [failed, setFailed] = useState<string | null>(null);
  if (items.length < 2) return null;

  const choose = async (workspace: Workspace) => {
    setFailed(null);
    const result = await dispatch(switchWorkspace(workspace.id));
    if (switchWorkspace.rejected.match(result)) setFailed(workspace.name);
    else onSwitched?.();
  };

  return (
    <View
      role="group"
      aria-label={t('workspaces.label')}
      style={[styles.switcher, !titled && styles.untitled]}
      testID="workspace-switcher"
    >
      {compact || !titled ? null : (
        <Text aria-hidden style={[styles.title, { color: colors.textMuted }]}>
          {t('workspaces.label')}
        </Text>
      )}
      {items.map(({ workspace, current, unreadCount }) => {
        const count = current ? liveUnread : unreadCount;
        const badgeId = count > 0 ? `workspace-badge-${workspace.id}` : undefined;
        return (
          <View key={workspace.id}>
            <Pressable
              role="button"
              // Named by its visible name (voice control); on the rail, where only the mark shows, by a
              // label that starts with the initials the mark shows ("NH, Northwind Help"): a voice
              // user says what they see, and the name must contain it (WCAG 2.5.3).
              aria-label={compact ? railLabel(workspace) : undefined}
              aria-current={current ? 'true' : undefined}
              aria-describedby={badgeId}
              aria-busy={switchingTo === workspace.id}
              disabled={current || switchingTo !== null}
              onPress={() => void choose(workspace)}
              testID={`workspace-${workspace.slug}`}
              style={({ focused }: { pressed: boolean; focused?: boolean }) => [
                compact ? styles.compactItem : styles.item,
                current && { backgroundColor: colors.surfaceRaised, borderColor: colors.primary },
                focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
              ]}
            >
              <WorkspaceMark workspace={workspace} size={compact ? 36 : 28} />
              {compact ? null : (
                <Text
                  testID="workspace-name"
                  numberOfLines={1}
                  style={[styles.name, { color: colors.text, fontWeight: current ? '700' : '500' }]}
                >
                  {workspace.name}
                </Text>
              )}
            </Pressable>
            {badgeId ? (
              <View nativeID={badgeId} pointerEvents="none" style={compact ? styles.compactBadge : styles.badge}>
                <Badge count={count} label={t('workspaces.unread', { count })} />
              </View>
            ) : null}
          </View>
        );
      })}
      {failed ? (
        <Text role="alert" style={[styles.error, { color: colors.danger }]}>
          {t('workspaces.switchFailed', { name: failed })}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  header: { flexDirection: 'row', alignItems: 'center', paddingHorizontal: 12, paddingBottom: 16, gap: 10 },
  compactHeader: { alignItems: 'center', paddingBottom: 12 },
  brand: { fontSize: 22, fontWeight: '800', flexShrink: 1 },
  initials: { alignItems: 'center', justifyContent: 'center' },
  switcher: { paddingTop: 12, gap: 2 },
  untitled: { paddingTop: 0 },
  title: { fontSize: 13, fontWeight: '700', paddingHorizontal: 12, paddingBottom: 6 },
  item: {
    flexDirection: 'row',
    alignItems: 'center',
    gap: 10,
    minHeight: 44,
    paddingHorizontal: 10,
    paddingRight: 40,
    borderRadius: 8,
    borderWidth: 2,
    borderColor: 'transparent',
  },
  compactItem: {
    alignItems: 'center',
    justifyContent: 'center',
    minHeight: 52,
    borderRadius: 8,
    borderWidth: 2,
    borderColor: 'transparent',
    marginHorizontal: 8,
  },
  name: { fontSize: 15, flex: 1 },
  badge: { position: 'absolute', right: 10, top: 0, bottom: 0, justifyContent: 'center' },
  compactBadge: { position: 'absolute', top: 2, right: 10 },
  error: { fontSize: 13, paddingHorizontal: 12, paddingTop: 6 },
});
