import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, View } from 'react-native';
import { Chip } from '../components/Chip';
import { Screen } from '../components/Screen';
import { useAppSelector } from '../store';
import { PeoplePanel } from './admin/PeoplePanel';
import { SettingsPanel } from './admin/SettingsPanel';
import { TeamsPanel } from './admin/TeamsPanel';

type Section = 'people' | 'teams' | 'settings';

/** What an admin manages without curl: people, teams and the desk's settings. */
export function AdminScreen() {
  const { t } = useTranslation();
  const admin = useAppSelector((s) => s.session.user?.role === 'admin');
  const [section, setSection] = useState<Section>('people');
  return (
    <Screen title={t('admin.title')}>
      {admin ? (
        <>
          <View style={styles.tabs} accessibilityRole="radiogroup" accessibilityLabel={t('admin.title')}>
            <Chip label={t('admin.people')} selected={section === 'people'} onPress={() => setSection('people')} />
            <Chip label={t('admin.teams')} selected={section === 'teams'} onPress={() => setSection('teams')} />
            <Chip
              label={t('admin.settings')}
              selected={section === 'settings'}
              onPress={() => setSection('settings')}
            />
          </View>
          {section === 'people' ? <PeoplePanel /> : section === 'teams' ? <TeamsPanel /> : <SettingsPanel />}
        </>
      ) : null}
    </Screen>
  );
}

const styles = StyleSheet.create({ tabs: { flexDirection: 'row', gap: 6, marginBottom: 12 } });
