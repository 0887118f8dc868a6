import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { Text } from 'react-native';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';

// Placeholder until the screen is built.
export function TicketScreen(_: NativeStackScreenProps<RootStackParamList, 'Ticket'>) {
  return (
    <Screen title="Ticket">
      <Text>Ticket</Text>
    </Screen>
  );
}
