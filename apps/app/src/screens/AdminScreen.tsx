import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, View } from 'react-native';
import { adminSectionsOf, type AdminSection } from '../api/permissions';
import { Chip } from '../components/Chip';
import { Screen } from '../components/Screen';
import { useAppSelector } from '../store';
import { SharedCannedResponsesPanel } from './admin/CannedResponsesPanel';
import { EmailPanel } from './admin/EmailPanel';
import { InvitesPanel } from './admin/InvitesPanel';
import { LabelsPanel } from './admin/LabelsPanel';
import { PeoplePanel } from './admin/PeoplePanel';
import { RolesPanel } from './admin/RolesPanel';
import { RulesPanel } from './admin/RulesPanel';
import { SettingsPanel } from './admin/SettingsPanel';
import { SlaPanel } from './admin/SlaPanel';
import { TeamsPanel } from './admin/TeamsPanel';
import { WebhooksPanel } from './admin/WebhooksPanel';
import { WidgetsPanel } from './admin/WidgetsPanel';
import { WorkspacePanel } from './admin/WorkspacePanel';
import { FieldsPanel } from './admin/FieldsPanel';

const PANELS: Record<AdminSection, () => React.JSX.Element> = {
  people: PeoplePanel,
  invites: InvitesPanel,
  teams: TeamsPanel,
  roles: RolesPanel,
  rules: RulesPanel,
  workspace: WorkspacePanel,
  settings: SettingsPanel,
  sla: SlaPanel,
  labels: LabelsPanel,
  canned: SharedCannedResponsesPanel,
  fields: FieldsPanel,
  email: EmailPanel,
  widgets: WidgetsPanel,
  webhooks: WebhooksPanel,
};

const LABELS = {
  people: 'admin.people',
  invites: 'admin.invitesSection',
  teams: 'admin.teams',
  roles: 'admin.rolesSection',
  rules: 'rules.section',
  workspace: 'admin.workspaceSection',
  settings: 'admin.settings',
  sla: 'admin.slaSection',
  labels: 'labels.section',
  canned: 'canned.section',
  fields: 'customFields.section',
  email: 'emailChannels.section',
  widgets: 'widgets.section',
  webhooks: 'webhooks.section',
} as const satisfies Record<AdminSection, string>;

/** What people, invites, teams, roles, the workspace and the desk's settings are managed in: each section by its permission. */
export function AdminScreen() {
  const { t } = useTranslation();
  const user = useAppSelector((s) => s.session.user);
  const sections = adminSectionsOf(user);
  const [chosen, setChosen] = useState<AdminSection | null>(null);
  const section = chosen && sections.includes(chosen) ? chosen : sections[0];
  const Panel = section && PANELS[section];
  return (
    <Screen title={t('admin.title')}>
      {Panel ? (
        <>
          <View style={styles.tabs} accessibilityRole="radiogroup" accessibilityLabel={t('admin.title')}>
            {sections.map((s) => (
              <Chip key={s} label={t(LABELS[s])} selected={s === section} onPress={() => setChosen(s)} />
            ))}
          </View>
          <Panel />
        </>
      ) : null}
    </Screen>
  );
}

const styles = StyleSheet.create({ tabs: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, marginBottom: 12 } });
