import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { Text } from 'react-native';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';

// Placeholder until the screen is built.
export function ChatScreen(_: NativeStackScreenProps<RootStackParamList, 'Chat'>) {
  return (
    <Screen title="Chat">
      <Text>Chat</Text>
    </Screen>
  );
}
