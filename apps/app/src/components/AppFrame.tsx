import { adminSectionsOf, can } from '../api/permissions';
import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, Pressable, StyleSheet, Text, View } from 'react-native';
import { useSafeAreaInsets } from 'react-native-safe-area-context';
import { useLayout } from '../navigation/layout';
import { anchorProps, hrefOf } from '../navigation/web-anchor';
import { PLACES, placeOf, type Place } from '../navigation/places';
import { useAppSelector } from '../store';
import { selectMessagesBadge } from '../store/unread';
import { useTheme } from '../theme/theme';
import { AvailabilitySwitch } from './AvailabilitySwitch';
import { Badge } from './Badge';
import { CallBar } from './CallBar';
import { WorkspaceHeader, WorkspaceSwitcher } from './WorkspaceSwitcher';

/** Something the skip links can move focus to (a DOM element on the web). */
type Focusable = { focus?: () => void } | null;

/** The unread counts the places carry as badges. */
function useBadges(): Partial<Record<Place, { count: number; label: string }>> {
  const { t } = useTranslation();
  const notifications = useAppSelector((s) => s.notifications.unreadCount);
  const messages = useAppSelector(selectMessagesBadge);
  return {
    Conversations: { count: messages, label: t('conversations.unread', { count: messages }) },
    Notifications: { count: notifications, label: `${notifications} ${t('nav.notifications')}` },
  };
}

/**
 * The places, one link each, the current one marked (`aria-current="page"`): a side column on
 * wide screens (a slim rail when there is no room for labels beside the glyphs), a tab bar at the
 * bottom of phones.
 */
function PlacesNav({
  kind,
  current,
  onGo,
  onSwitched,
  navRef,
}: {
  kind: 'tabs' | 'rail' | 'sidebar';
  current: Place | undefined;
  onGo: (place: Place) => void;
  onSwitched: () => void;
  navRef: React.RefObject<View | null>;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const insets = useSafeAreaInsets();
  // The admin area shows to whoever may manage some part of it (people, teams, settings).
  const admin = useAppSelector((s) => adminSectionsOf(s.session.user).length > 0);
  const badges = useBadges();
  const user = useAppSelector((s) => s.session.user);
  const places = PLACES.filter(
    (place) => (!('administration' in place) || admin) && (!('permission' in place) || can(user, place.permission)),
  );
  const tabs = kind === 'tabs';
  return (
    <View
      ref={navRef}
      role="navigation"
      aria-label={t('nav.label')}
      testID={tabs ? 'tab-bar' : 'side-nav'}
      tabIndex={-1}
      style={[
        tabs ? styles.tabBar : kind === 'rail' ? styles.rail : styles.sidebar,
        { backgroundColor: colors.surface, borderColor: colors.border },
        tabs && { paddingBottom: insets.bottom },
      ]}
    >
      {tabs ? null : <WorkspaceHeader compact={kind === 'rail'} />}
      {places.map((place) => {
        const here = place.route === current;
        const label = t(place.label);
        const badge = badges[place.route];
        // The link is named by its place alone; the count is said after it, as its description.
        const badgeId = badge && badge.count > 0 ? `nav-badge-${place.route}` : undefined;
        return (
          <View key={place.route} style={tabs && styles.tab}>
            <Pressable
              role="link"
              aria-label={label}
              aria-current={here ? 'page' : undefined}
              aria-describedby={badgeId}
              {...anchorProps(hrefOf(place.route), () => onGo(place.route))}
              style={({ focused }: { pressed: boolean; focused?: boolean }) => [
                kind === 'sidebar' ? styles.sideItem : styles.stackedItem,
                here && { backgroundColor: kind === 'sidebar' ? colors.surfaceRaised : 'transparent' },
                focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
              ]}
            >
              {here ? (
                <View
                  style={[
                    styles.marker,
                    tabs ? styles.markerTop : styles.markerLeft,
                    { backgroundColor: colors.primary },
                  ]}
                />
              ) : null}
              <Text style={[styles.glyph, { color: here ? colors.primary : colors.textMuted }]} aria-hidden>
                {place.glyph}
              </Text>
              <Text
                numberOfLines={1}
                style={[
                  kind === 'sidebar' ? styles.sideLabel : styles.stackedLabel,
                  { color: here ? colors.text : colors.textMuted, fontWeight: here ? '700' : '500' },
                ]}
              >
                {label}
              </Text>
            </Pressable>
            {/* Over the link, not in it: a link's visible words must be its name (voice control). */}
            {badge ? (
              <View
                nativeID={badgeId}
                pointerEvents="none"
                style={kind === 'sidebar' ? styles.sideBadge : styles.stackedBadge}
              >
                <Badge count={badge.count} label={badge.label} />
              </View>
            ) : null}
          </View>
        );
      })}
      {/* Phones have it in Profile: the tab bar has no room. */}
      {tabs ? null : (
        <View style={styles.switcherSlot}>
          <AvailabilitySwitch compact={kind === 'rail'} />
          <WorkspaceSwitcher compact={kind === 'rail'} onSwitched={onSwitched} />
        </View>
      )}
    </View>
  );
}

/**
 * Links that only show while focused (the first Tab stops of the page) and let keyboard users
 * jump past the navigation to the content, or to the navigation where it comes last (phones).
 */
function SkipLinks({ targets }: { targets: { label: string; to: () => Focusable }[] }) {
  const { colors } = useTheme();
  if (Platform.OS !== 'web') return null;
  return (
    <View style={styles.skipLinks}>
      {targets.map(({ label, to }) => (
        <Pressable
          key={label}
          role="link"
          aria-label={label}
          {...anchorProps('#', () => to()?.focus?.())}
          style={({ focused }: { pressed: boolean; focused?: boolean }) => [
            focused ? [styles.skipLink, { backgroundColor: colors.primary }] : styles.visuallyHidden,
          ]}
        >
          <Text style={{ color: colors.onPrimary, fontWeight: '700' }}>{label}</Text>
        </Pressable>
      ))}
    </View>
  );
}

/**
 * The frame around every screen: skip links, the places (side navigation or bottom tabs, once
 * signed in) and the main region the screens render into.
 */
export function AppFrame({
  currentRoute,
  onGo,
  onSwitched,
  children,
}: {
  currentRoute: string | undefined;
  onGo: (place: Place) => void;
  /** After a switch to another workspace: where the app goes then (Home). */
  onSwitched: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const layout = useLayout();
  const signedIn = useAppSelector((s) => s.session.status === 'signedIn');
  const main = useRef<View>(null);
  const nav = useRef<View>(null);
  const current = placeOf(currentRoute);
  const places = signedIn ? (
    <PlacesNav kind={layout.nav} current={current} onGo={onGo} onSwitched={onSwitched} navRef={nav} />
  ) : null;
  const toMain = { label: t('nav.skipToMain'), to: () => main.current as Focusable };
  const toNav = { label: t('nav.skipToNav'), to: () => nav.current as Focusable };
  return (
    <View style={[styles.frame, { backgroundColor: colors.background }]}>
      <SkipLinks targets={signedIn && layout.nav === 'tabs' ? [toMain, toNav] : [toMain]} />
      <View style={[styles.body, layout.nav !== 'tabs' && styles.row]}>
        {layout.nav !== 'tabs' ? places : null}
        <View ref={main} role="main" tabIndex={-1} style={styles.main}>
          {signedIn ? <CallBar /> : null}
          {children}
        </View>
      </View>
      {layout.nav === 'tabs' ? places : null}
    </View>
  );
}

const styles = StyleSheet.create({
  frame: { flex: 1 },
  body: { flex: 1, minHeight: 0 },
  row: { flexDirection: 'row' },
  // Focused only by the skip link (never a Tab stop): no ring around the whole content.
  main: { flex: 1, minWidth: 0, minHeight: 0, ...Platform.select({ web: { outlineStyle: 'none' as never } }) },
  sidebar: { width: 208, borderRightWidth: 1, paddingVertical: 12, paddingHorizontal: 8 },
  rail: { width: 84, borderRightWidth: 1, paddingVertical: 8, alignItems: 'stretch' },
  tabBar: { flexDirection: 'row', borderTopWidth: 1, justifyContent: 'space-around' },
  switcherSlot: { marginTop: 'auto' },
  sideItem: {
    flexDirection: 'row',
    alignItems: 'center',
    minHeight: 40,
    paddingHorizontal: 12,
    borderRadius: 8,
    marginBottom: 2,
  },
  tab: { flex: 1 },
  stackedItem: { alignItems: 'center', justifyContent: 'center', paddingVertical: 6, minHeight: 52 },
  glyph: { fontSize: 18, width: 24, textAlign: 'center' },
  sideLabel: { fontSize: 15, marginLeft: 10, flex: 1 },
  stackedLabel: { fontSize: 11, marginTop: 2 },
  sideBadge: { position: 'absolute', right: 10, top: 0, bottom: 0, justifyContent: 'center' },
  stackedBadge: { position: 'absolute', top: 2, right: 6 },
  marker: { position: 'absolute' },
  markerLeft: { left: 0, top: 8, bottom: 8, width: 3, borderRadius: 2 },
  markerTop: { top: 0, left: 12, right: 12, height: 3, borderRadius: 2 },
  skipLinks: { position: 'absolute', top: 8, left: 8, zIndex: 10 },
  skipLink: { paddingHorizontal: 14, paddingVertical: 10, borderRadius: 8 },
  // Hidden to the eye but not to screen readers or the Tab key, until focused.
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    opacity: 0,
  },
});
