import { Alert, Checkbox, Group } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { describeError, LocalRefusal } from './describeError';
import { errorField } from './useLoad';

// Form pieces every page shares: a submit that keeps the hub's refusal for the form to show at
// its field and above the buttons, and inputs for a fixed list of values.

export interface FormAction {
  /** The hub's (or the client-side check's) refusal, or null. */
  error: unknown;
  /** The field the refusal names (`details.field`), for `error={form.field === 'x'}`. */
  field: string | null;
  submit: (event?: FormEvent) => void;
  setError: (error: unknown) => void;
  busy: boolean;
  /** The refusal's message when it names `field` (or a part of it), for that input. */
  messageFor: (field: string) => string | undefined;
}

/** A refusal made in the browser, shaped as the hub's, so forms show both the same way. */
export const fieldRefusal = (field: string, message: string) =>
  new LocalRefusal(400, 'BW_ERR_VALIDATION', message, { field });

/**
 * Runs `action` on submit; on success clears the error and calls `after` (reload the list,
 * empty the form), on failure keeps the error for the form to show.
 */
export function useFormAction(action: () => Promise<unknown>, after?: () => void): FormAction {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const i18n = useI18n();
  const run = async () => {
    setBusy(true);
    try {
      await action();
      setError(null);
      after?.();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const field = errorField(error);
  return {
    error,
    field,
    busy,
    setError,
    messageFor: (name) =>
      field === name || field?.startsWith(`${name}.`) ? describeError(error, i18n) : undefined,
    submit: (event) => {
      event?.preventDefault();
      void run();
    },
  };
}

/** The hub's refusal of a form, shown once, above the buttons. */
export function FormError({ error }: { error: unknown }) {
  const i18n = useI18n();
  if (!error) return null;
  return (
    <Alert color="red" data-testid="form-error">
      {describeError(error, i18n)}
    </Alert>
  );
}

/** Several of a fixed list of values (events, weekdays, clocks), as checkboxes in a row. */
export function Choices<V extends string>(props: {
  label: string;
  description?: string;
  value: string[];
  values: readonly V[];
  labelOf: (value: V) => string;
  onChange: (value: V[]) => void;
  error?: string;
  testId?: string;
}) {
  return (
    <Checkbox.Group
      label={props.label}
      description={props.description}
      value={props.value}
      onChange={(value) => props.onChange(value as V[])}
      error={props.error}
      data-testid={props.testId}
    >
      <Group gap="sm" mt={4}>
        {props.values.map((v) => (
          <Checkbox key={v} value={v} label={props.labelOf(v)} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}
