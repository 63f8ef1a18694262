import {
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';
import type { CheckSpec, ManagedCheck } from '../api/adminApi';
import { CHECK_OPTIONS, CHECK_TYPES, cleanOptions, type OptionField } from './checkSchema';
import { errorField } from '../common/useLoad';
import { FormError } from '../common/forms';

interface CheckFormProps {
  /** The check being edited; null adds a new one. */
  editing: ManagedCheck | null;
  onSave: (spec: CheckSpec) => Promise<void>;
  onCancel: () => void;
}

const numberOrUndefined = (value: string | number) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Adds or edits a managed check: the common fields, then the type's options (checkSchema). */
export function CheckForm({ editing, onSave, onCancel }: CheckFormProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [key, setKey] = useState(editing?.key ?? '');
  const [type, setType] = useState<string>(editing?.type ?? 'icmp');
  const [target, setTarget] = useState(editing?.target ?? '');
  const [intervalSeconds, setIntervalSeconds] = useState<number | undefined>(
    editing?.intervalSeconds ?? undefined,
  );
  const [timeoutSeconds, setTimeoutSeconds] = useState<number | undefined>(
    editing?.timeoutSeconds ?? undefined,
  );
  const [options, setOptions] = useState<Record<string, unknown>>(editing?.options ?? {});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const field = errorField(error);
  // The hub names the field; that field shows the message, the form shows it only otherwise.
  const fieldError = (name: string) => (field === name ? describeError(error, i18n) : undefined);
  const shownAtField =
    field !== null &&
    (['key', 'type', 'target', 'intervalSeconds', 'timeoutSeconds'].includes(field) ||
      (CHECK_OPTIONS[type] ?? []).some((o) => `options.${o.name}` === field));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSave({
        key,
        type,
        target,
        ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        options: cleanOptions(type, options),
      });
      setError(null);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder component="form" onSubmit={(e) => void submit(e)} data-testid="check-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('admin.checks.key')}
            dir="ltr"
            required
            disabled={editing !== null}
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            error={fieldError('key')}
            data-testid="check-key"
          />
          <NativeSelect
            label={t('check.type')}
            value={type}
            onChange={(e) => setType(e.currentTarget.value)}
            data={[...CHECK_TYPES]}
            error={fieldError('type')}
            data-testid="check-type"
          />
          <TextInput
            label={t('check.target')}
            dir="ltr"
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            error={fieldError('target')}
            data-testid="check-target"
          />
          <NumberInput
            label={t('admin.checks.interval')}
            min={1}
            value={intervalSeconds ?? ''}
            onChange={(v) => setIntervalSeconds(numberOrUndefined(v))}
            error={fieldError('intervalSeconds')}
            data-testid="check-interval"
          />
          <NumberInput
            label={t('admin.checks.timeout')}
            min={1}
            value={timeoutSeconds ?? ''}
            onChange={(v) => setTimeoutSeconds(numberOrUndefined(v))}
            error={fieldError('timeoutSeconds')}
            data-testid="check-timeout"
          />
        </SimpleGrid>
        <Text size="sm" fw={500}>
          {t('admin.checks.options', { type })}
        </Text>
        {(CHECK_OPTIONS[type] ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('admin.checks.noOptions')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {(CHECK_OPTIONS[type] ?? []).map((o) => (
              <OptionInput
                key={`${type}.${o.name}`}
                field={o}
                value={options[o.name]}
                error={fieldError(`options.${o.name}`)}
                onChange={(value) => setOptions((prev) => ({ ...prev, [o.name]: value }))}
              />
            ))}
          </SimpleGrid>
        )}
        {!shownAtField && <FormError error={error} />}
        <Group>
          <Button type="submit" loading={busy} data-testid="check-save">
            {editing ? t('admin.save') : t('admin.checks.add')}
          </Button>
          {editing && (
            <Button variant="default" onClick={onCancel}>
              {t('admin.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

interface OptionInputProps {
  field: OptionField;
  value: unknown;
  error: string | undefined;
  onChange: (value: unknown) => void;
}

/** One option: its name is the agent config's own (technical, so left to right). */
function OptionInput({ field, value, error, onChange }: OptionInputProps) {
  const { t } = useI18n();
  const label = <span dir="ltr">{field.name}</span>;
  const testId = `option-${field.name}`;
  switch (field.kind) {
    case 'number':
      return (
        <NumberInput
          label={label}
          min={field.min}
          max={field.max}
          allowDecimal={!field.integer}
          placeholder={t('admin.checks.default')}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(numberOrUndefined(v))}
          error={error}
          data-testid={testId}
        />
      );
    case 'boolean':
      return (
        <Checkbox
          mt="lg"
          label={label}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
          error={error}
          data-testid={testId}
        />
      );
    case 'choice':
      return (
        <NativeSelect
          label={label}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          data={[{ value: '', label: t('admin.checks.default') }, ...field.choices]}
          error={error}
          data-testid={testId}
        />
      );
    case 'secret':
    case 'text': {
      const Input = field.kind === 'secret' ? PasswordInput : TextInput;
      return (
        <Input
          label={label}
          dir="ltr"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
          data-testid={testId}
        />
      );
    }
  }
}
