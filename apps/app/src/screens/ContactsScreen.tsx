import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { Text } from 'react-native';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';

// Placeholder until the screen is built.
export function ContactsScreen(_: NativeStackScreenProps<RootStackParamList, 'Contacts'>) {
  return (
    <Screen title="Contacts">
      <Text>Contacts</Text>
    </Screen>
  );
}
