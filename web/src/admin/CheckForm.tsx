import {
  Alert,
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
import { useI18n, type I18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import type { CheckSpec, ManagedCheck } from '../api/adminApi';
import type { CheckOptionField, CheckTypes } from '../api/types';
import { checkTypeLabel } from '../format/checkType';
import { errorField } from '../common/useLoad';
import { FormError } from '../common/forms';

interface CheckFormProps {
  /** The check being edited; null adds a new one. */
  editing: ManagedCheck | null;
  /** Each type's options, bounds, defaults and units, as the hub describes them. */
  types: CheckTypes;
  /** Names of the checks in the agent's own file: a hub check of one of them replaces it. */
  fileKeys: readonly string[];
  /** The agent's schedule for checks that set none. */
  defaults: { intervalSeconds: number; timeoutSeconds: number };
  onSave: (spec: CheckSpec) => Promise<void>;
  onCancel: () => void;
}

const numberOrUndefined = (value: string | number) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** An option's label in the reader's words, with its unit. */
function optionLabel(type: string, field: CheckOptionField, { t }: I18n): string {
  const key = `option.${type}.${field.name}` as MessageKey;
  const label = t(key);
  const words = label === key ? field.name : label;
  return field.unit ? `${words} (${t(`unit.${field.unit}`)})` : words;
}

function defaultText(field: CheckOptionField, { t }: I18n): string | undefined {
  if (field.default === undefined || field.default === '') return undefined;
  const value =
    typeof field.default === 'boolean'
      ? t(field.default ? 'option.yes' : 'option.no')
      : String(field.default);
  return t('admin.checks.defaultValue', { value });
}

/**
 * Adds or edits a hub check: name, type, target and schedule, then the type's options as the
 * hub describes them (GET /check-types, read from the same schemas the agent uses). The hub
 * refuses what the agent would refuse, naming the field, which then shows the message.
 */
export function CheckForm({
  editing,
  types,
  fileKeys,
  defaults,
  onSave,
  onCancel,
}: CheckFormProps) {
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
  const fields = types.items.find((x) => x.type === type)?.options ?? [];
  const field = errorField(error);
  // The hub names the field; that field shows the message, the form shows it only otherwise.
  const fieldError = (name: string) => (field === name ? describeError(error, i18n) : undefined);
  const shownAtField =
    field !== null &&
    (['key', 'type', 'target', 'intervalSeconds', 'timeoutSeconds'].includes(field) ||
      fields.some((o) => `options.${o.name}` === field));
  const replacesFile = editing === null && fileKeys.includes(key);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      // Options this form does not show (set through the API) are kept as they are.
      const shown = new Set(fields.map((f) => f.name));
      const kept = Object.fromEntries(
        Object.entries(options).filter(
          ([name, value]) => !shown.has(name) || (value !== undefined && value !== ''),
        ),
      );
      await onSave({
        key,
        type,
        target,
        ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        options: kept,
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
        {editing?.refusal && (
          <Alert color="red" role="alert" data-testid="form-refusal">
            {t('admin.checks.refusedBy', { message: editing.refusal })}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('admin.checks.name')}
            description={t('admin.checks.nameHelp')}
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
            onChange={(e) => {
              setType(e.currentTarget.value);
              setOptions({});
            }}
            data={types.items.map((x) => ({ value: x.type, label: checkTypeLabel(x.type, i18n) }))}
            error={fieldError('type')}
            data-testid="check-type"
          />
          <TextInput
            label={t('check.target')}
            description={t(`checkTarget.${type}` as MessageKey)}
            dir="ltr"
            required
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            error={fieldError('target')}
            data-testid="check-target"
          />
          <NumberInput
            label={`${t('admin.checks.intervalLabel')} (${t('unit.s')})`}
            placeholder={t('admin.checks.defaultValue', {
              value: String(defaults.intervalSeconds),
            })}
            allowNegative={false}
            value={intervalSeconds ?? ''}
            onChange={(v) => setIntervalSeconds(numberOrUndefined(v))}
            error={fieldError('intervalSeconds')}
            data-testid="check-interval"
          />
          <NumberInput
            label={`${t('admin.checks.timeoutLabel')} (${t('unit.s')})`}
            placeholder={t('admin.checks.defaultValue', { value: String(defaults.timeoutSeconds) })}
            allowNegative={false}
            value={timeoutSeconds ?? ''}
            onChange={(v) => setTimeoutSeconds(numberOrUndefined(v))}
            error={fieldError('timeoutSeconds')}
            data-testid="check-timeout"
          />
        </SimpleGrid>
        <Text size="sm" fw={500}>
          {t('admin.checks.options', { type: checkTypeLabel(type, i18n) })}
        </Text>
        {fields.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('admin.checks.noOptions')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {fields.map((o) => (
              <OptionInput
                key={`${type}.${o.name}`}
                type={type}
                field={o}
                value={options[o.name]}
                error={fieldError(`options.${o.name}`)}
                onChange={(value) => setOptions((prev) => ({ ...prev, [o.name]: value }))}
              />
            ))}
          </SimpleGrid>
        )}
        {!shownAtField && <FormError error={error} />}
        <Alert
          color={replacesFile ? 'yellow' : 'blue'}
          variant="light"
          data-testid="check-form-effect"
        >
          {replacesFile
            ? t('admin.checks.replacesWarning', { key })
            : t('admin.checks.keepsOthers')}
        </Alert>
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
  type: string;
  field: CheckOptionField;
  value: unknown;
  error: string | undefined;
  onChange: (value: unknown) => void;
}

/** One option, labelled in the reader's words with its unit; empty means the probe's default. */
function OptionInput({ type, field, value, error, onChange }: OptionInputProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const label = optionLabel(type, field, i18n);
  const placeholder = defaultText(field, i18n);
  const testId = `option-${field.name}`;
  switch (field.kind) {
    case 'number':
      return (
        <NumberInput
          label={label}
          min={field.min}
          max={field.max}
          allowDecimal={!field.integer}
          placeholder={placeholder}
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
          description={placeholder}
          checked={typeof value === 'boolean' ? value : field.default === true}
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
          onChange={(e) => onChange(e.currentTarget.value || undefined)}
          data={[
            { value: '', label: placeholder ?? t('admin.checks.default') },
            ...(field.choices ?? []),
          ]}
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
          placeholder={placeholder}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
          data-testid={testId}
        />
      );
    }
  }
}
