import { useTranslation } from 'react-i18next';
import type { NativeSyntheticEvent, TextInputKeyPressEventData } from 'react-native';
import type { FormError } from '../api/errors';
import { fieldErrorText } from '../i18n/error-text';
import { TextField } from './TextField';

/** The server's fields (`title`, `topic`) in the words of a group's form ("Enter a name for the group"). */
const WORDS = { title: 'groupTitle', topic: 'groupTopic' } as const;

/** The group form's fields, for `useFormErrors`: a problem with another belongs to the summary. */
export const GROUP_FIELDS = ['title', 'topic'] as const;

/** A group's name and topic, each with its problem under it; Enter in either submits, Esc cancels. */
export function GroupFields({
  title,
  topic,
  onTitle,
  onTopic,
  error,
  onSubmit,
  onCancel,
  autoFocus = false,
}: {
  title: string;
  topic: string;
  onTitle: (title: string) => void;
  onTopic: (topic: string) => void;
  error: FormError | null;
  onSubmit: () => void;
  /** Esc (a keyboard's): leave the form as it was. */
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const problem = (field: keyof typeof WORDS) => {
    const found = error?.fields[field];
    return found && fieldErrorText(t, WORDS[field], found);
  };
  const onKeyPress = (event: NativeSyntheticEvent<TextInputKeyPressEventData>) => {
    if (event.nativeEvent.key !== 'Escape' || !onCancel) return;
    event.preventDefault();
    onCancel();
  };
  return (
    <>
      <TextField
        label={t('groups.name')}
        value={title}
        onChangeText={onTitle}
        onSubmitEditing={onSubmit}
        onKeyPress={onKeyPress}
        maxLength={100}
        autoFocus={autoFocus}
        error={problem('title')}
        testID="group-title"
      />
      <TextField
        label={t('groups.topic')}
        value={topic}
        onChangeText={onTopic}
        onSubmitEditing={onSubmit}
        onKeyPress={onKeyPress}
        maxLength={250}
        error={problem('topic')}
        testID="group-topic"
      />
    </>
  );
}
