import {
  Box,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  type ButtonProps,
  type TextInputProps,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { PHONE } from '../common/media';
import { useState, type MouseEventHandler, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { LoadState, SectionHeader } from './common';
import type { Loaded } from '../common/useLoad';
import { FormError, useFormAction, type FormAction } from '../common/forms';
import { RowCards } from './RowCards';
import { ConfirmDialog } from '../common/ConfirmDialog';

/** Below this width a list shows as cards (the phone layout of the admin pages). */

// The one list-and-form pattern of the admin pages: a section that loads its list, a form that
// creates (the hub's refusal shown at its field and above the buttons), a table with a Remove
// button per row. Each page says only what is particular to it: its fields and columns.

/** A section's header, then its content once `state` has loaded (or why it has not). */
export function AdminSection<T>({
  title,
  help,
  state,
  children,
}: {
  title: string;
  help: string;
  state: Loaded<T>;
  children: ReactNode;
}) {
  return (
    <>
      <SectionHeader title={title} help={help} />
      <LoadState error={state.error} loading={state.data === null}>
        {children}
      </LoadState>
    </>
  );
}

/** A create form: its fields in one row, anything below them, the refusal, in a card. */
export function FormCard({
  form,
  submitLabel,
  below,
  testId,
  submitTestId,
  children,
}: {
  form: FormAction;
  submitLabel: string;
  below?: ReactNode;
  testId?: string;
  submitTestId?: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder component="form" onSubmit={form.submit} data-testid={testId}>
      <Stack gap="xs">
        <Group align="flex-end">
          {children}
          <Button type="submit" loading={form.busy} data-testid={submitTestId}>
            {submitLabel}
          </Button>
        </Group>
        {below}
        <FormError error={form.error} />
      </Stack>
    </Card>
  );
}

export interface Column<T> {
  label: ReactNode;
  cell: (row: T) => ReactNode;
  /** Codes, addresses and numbers that read left to right in any language. */
  ltr?: boolean;
}

/**
 * A list as a table; with `onRemove`, a Remove button per row that calls it and then
 * `onChanged` (a refused removal is shown above the table).
 */
export function AdminTable<T>({
  rows,
  columns,
  rowKey,
  testId,
  rowTestId,
  rowAttributes,
  actions,
  onRemove,
  canRemove,
  onChanged,
  empty,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  testId?: string;
  rowTestId?: string;
  /** `data-*` attributes of a row, for tests and styles. */
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
  /** More buttons for a row, before Remove. */
  actions?: (row: T) => ReactNode;
  onRemove?: (row: T) => Promise<unknown>;
  /** Rows that may not be removed here (a check the agent's own file defines). */
  canRemove?: (row: T) => boolean;
  onChanged?: () => void;
  /** What an empty list says instead of an empty table (how to add the first). */
  empty?: string;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const phone = useMediaQuery(PHONE);
  const remove = async (row: T) => {
    try {
      await onRemove?.(row);
      setError(null);
    } catch (cause) {
      setError(cause);
    }
    onChanged?.();
  };
  const withButtons = Boolean(actions || onRemove);
  if (empty !== undefined && rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="admin-empty">
        {empty}
      </Text>
    );
  }
  const buttons = (row: T) => (
    <>
      {actions?.(row)}
      {onRemove && (canRemove?.(row) ?? true) && (
        <RowButton color="red" testId="row-remove" onClick={() => void remove(row)}>
          {t('admin.remove')}
        </RowButton>
      )}
    </>
  );
  if (phone) {
    // A phone has no room for the columns side by side: each row a card, each column a line.
    return (
      <>
        <FormError error={error} />
        <RowCards
          testId={testId}
          rowTestId={rowTestId}
          rows={rows}
          rowKey={rowKey}
          rowAttributes={rowAttributes}
          content={(row) =>
            columns.map((c, i) => (
              <Group key={i} gap={8} wrap="nowrap" align="baseline">
                {c.label && (
                  <Text size="xs" c="dimmed" style={{ flex: 'none', maxWidth: '40%' }}>
                    {c.label}
                  </Text>
                )}
                <Box
                  dir={c.ltr ? 'ltr' : undefined}
                  style={{ minWidth: 0, overflowWrap: 'anywhere' }}
                >
                  {c.cell(row)}
                </Box>
              </Group>
            ))
          }
          actions={buttons}
        />
      </>
    );
  }
  return (
    <>
      <FormError error={error} />
      <Table verticalSpacing="xs" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i}>{c.label}</Table.Th>
            ))}
            {withButtons && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr
              key={rowKey(row)}
              data-testid={rowTestId}
              data-key={rowKey(row)}
              {...rowAttributes?.(row)}
            >
              {columns.map((c, i) => (
                <Table.Td key={i} dir={c.ltr ? 'ltr' : undefined}>
                  {c.cell(row)}
                </Table.Td>
              ))}
              {withButtons && (
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    {buttons(row)}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** A branch, calendar, tenant: what a select offers by name. */
export interface Named {
  id: string;
  name: string;
}

/** The branch a new row is for; the first one until the user picks. */
export function BranchSelect(props: {
  branches: Named[];
  value: string;
  onChange: (id: string) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <NativeSelect
      label={t('admin.agents.branch')}
      value={props.value || props.branches[0]?.id || ''}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      data={props.branches.map((b) => ({ value: b.id, label: b.name }))}
      data-testid={props.testId}
    />
  );
}

/** One of a fixed list of values (a channel, a format), each shown by `labelOf`. */
export function EnumSelect<V extends string>(props: {
  label: string;
  value: V;
  values: readonly V[];
  labelOf: (value: V) => string;
  onChange: (value: V) => void;
  testId?: string;
}) {
  return (
    <NativeSelect
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as V)}
      data={props.values.map((v) => ({ value: v, label: props.labelOf(v) }))}
      data-testid={props.testId}
    />
  );
}

/** A text field of a form: its value as a string, and the refusal's message when it names it. */
export function Field({
  form,
  name,
  value,
  onChange,
  ltr,
  ...input
}: Omit<TextInputProps, 'onChange' | 'error' | 'dir' | 'value' | 'form'> & {
  form: FormAction;
  /** The hub's name of the field (`details.field`). */
  name: string;
  value: string;
  onChange: (value: string) => void;
  ltr?: boolean;
}) {
  return (
    <TextInput
      {...input}
      dir={ltr ? 'ltr' : undefined}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={form.messageFor(name)}
    />
  );
}

/** A small button in a table row (edit, resend, remove). */
export function RowButton({
  onClick,
  children,
  testId,
  ...button
}: ButtonProps & { onClick: MouseEventHandler<HTMLButtonElement>; testId?: string }) {
  return (
    <Button size="compact-xs" variant="subtle" onClick={onClick} data-testid={testId} {...button}>
      {children}
    </Button>
  );
}

type FieldOptions = Omit<
  TextInputProps,
  'onChange' | 'error' | 'dir' | 'value' | 'form' | 'label'
> & {
  ltr?: boolean;
  testId?: string;
  /** The hub's name of the field, when it is not the draft's. */
  hubName?: string;
};

/**
 * The text fields of a create form as one object: `field(...)` renders one, `reset(...)`
 * empties the named ones after a save.
 */
export function useDraft<K extends string>(initial: Record<K, string>) {
  const [values, setValues] = useState(initial);
  const set = (name: K, value: string) => setValues((v) => ({ ...v, [name]: value }));
  return {
    values,
    set,
    reset: (...names: K[]) =>
      setValues((v) => ({ ...v, ...Object.fromEntries(names.map((n) => [n, initial[n]])) })),
    field: (form: FormAction, name: K, label: string, options: FieldOptions = {}) => {
      const { hubName, testId, ...input } = options;
      return (
        <Field
          {...input}
          data-testid={testId}
          form={form}
          name={hubName ?? name}
          label={label}
          value={values[name]}
          onChange={(value) => set(name, value)}
        />
      );
    },
  };
}

/** What an edit dialog of a row is told: close it, and that it saved. */
export interface EditDialogProps {
  onClose: () => void;
  onSaved: () => void;
}

/** A dialog's save: runs `action`, then tells the page it saved and closes. */
export function useSaveAndClose(action: () => Promise<unknown>, dialog: EditDialogProps) {
  return useFormAction(action, () => {
    dialog.onSaved();
    dialog.onClose();
  });
}

/**
 * A table's rows that a person edits and deletes: the row's two buttons, the row being edited
 * (the page renders its own dialog for it) and the confirmation before a delete, which stays
 * open with the hub's refusal in it (`describe` words it when the page knows better).
 */
export function useEditAndDelete<T extends { id: string; name: string }>(options: {
  /** `${testId}-edit`, `${testId}-delete` and `${testId}-delete-dialog` for tests. */
  testId: string;
  deleteTitle: (name: string) => string;
  deleteHelp: string;
  remove: (row: T) => Promise<unknown>;
  onChanged: () => void;
  describe?: (error: unknown) => string | null;
  /** The edit button's words and test id, when it is not "Edit" (a tenant is renamed). */
  editLabel?: string;
  editTestId?: string;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<T | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const { testId } = options;
  return {
    editing,
    stopEditing: () => setEditing(null),
    buttons: (row: T) => (
      <>
        <RowButton onClick={() => setEditing(row)} testId={options.editTestId ?? `${testId}-edit`}>
          {options.editLabel ?? t('admin.edit')}
        </RowButton>
        <RowButton color="red" onClick={() => setDeleting(row)} testId={`${testId}-delete`}>
          {t('admin.delete')}
        </RowButton>
      </>
    ),
    deleteDialog: (
      <ConfirmDialog
        opened={deleting !== null}
        title={options.deleteTitle(deleting?.name ?? '')}
        confirmLabel={t('admin.delete')}
        onConfirm={async () => {
          await options.remove(deleting!);
          options.onChanged();
        }}
        onClose={() => setDeleting(null)}
        describe={options.describe}
        testId={`${testId}-delete-dialog`}
      >
        {options.deleteHelp}
      </ConfirmDialog>
    ),
  };
}
