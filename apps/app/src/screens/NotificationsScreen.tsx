import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { Text } from 'react-native';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';

// Placeholder until the screen is built.
export function NotificationsScreen(_: NativeStackScreenProps<RootStackParamList, 'Notifications'>) {
  return (
    <Screen title="Notifications">
      <Text>Notifications</Text>
    </Screen>
  );
}
