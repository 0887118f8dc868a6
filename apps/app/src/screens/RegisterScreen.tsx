import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useTranslation } from 'react-i18next';
import { Button } from '../components/Button';
import { Logo } from '../components/Logo';
import { RegisterForm } from '../components/RegisterForm';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';

export function RegisterScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Register'>) {
  const { t } = useTranslation();
  return (
    <Screen title={t('auth.register')} narrow>
      <Logo />
      <RegisterForm />
      <Button
        variant="link"
        label={t('auth.haveAccount')}
        onPress={() => navigation.replace('SignIn')}
        style={{ marginTop: 12 }}
      />
    </Screen>
  );
}
