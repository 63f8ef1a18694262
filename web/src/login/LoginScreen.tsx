import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import type { User } from '../api/types';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';

interface LoginScreenProps {
  onSignedIn: (user: User) => void;
  /** A problem found before the form was shown, e.g. the hub could not be reached. */
  initialProblem: unknown;
}

export function LoginScreen({ onSignedIn, initialProblem }: LoginScreenProps) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(() =>
    initialProblem === null ? null : describeError(initialProblem, i18n),
  );
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (username.trim() === '' || password === '') {
      setProblem(t('login.required'));
      return;
    }
    setSubmitting(true);
    setProblem(null);
    try {
      onSignedIn(await api.login(username.trim(), password));
    } catch (error) {
      // The hub's own message ("wrong username or password"), not a generic one.
      setProblem(describeError(error, i18n));
      setSubmitting(false);
    }
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={380}>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="md">
            <div>
              <Title order={2} size="h3">
                {t('login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('login.subtitle')}
              </Text>
            </div>
            {problem !== null && (
              <Alert color="red" variant="light" title={t('login.failed')} role="alert">
                {problem}
              </Alert>
            )}
            <TextInput
              label={t('login.username')}
              autoComplete="username"
              autoFocus
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
              data-testid="login-username"
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              data-testid="login-password"
            />
            <Button type="submit" loading={submitting} fullWidth data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
