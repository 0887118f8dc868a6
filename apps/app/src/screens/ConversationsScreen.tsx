import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { Text } from 'react-native';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';

// Placeholder until the screen is built.
export function ConversationsScreen(_: NativeStackScreenProps<RootStackParamList, 'Conversations'>) {
  return (
    <Screen title="Conversations">
      <Text>Conversations</Text>
    </Screen>
  );
}
