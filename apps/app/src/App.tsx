import { Text, View } from 'react-native';

export function App() {
  return (
    <View style={{ flex: 1, alignItems: 'center', justifyContent: 'center' }}>
      <Text accessibilityRole="header">Parley</Text>
    </View>
  );
}
