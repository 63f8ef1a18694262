import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import {
  ESCALATION_ACTIONS,
  SLA_CLOCKS,
  type SlaEscalation,
  type SlaPolicy,
} from '../api/adminApi';
import { fromDrafts, MAX_LEVELS, newDraft, toDraft, type EscalationDraft } from './slaEscalations';
import { useAdminApi } from '../common/useLoad';
import { useFormAction } from '../common/forms';
import { Choices } from '../common/forms';
import { FormError } from '../common/forms';

/** A policy's escalation levels in a dialog: edited as a whole, saved with one PATCH. */
export function SlaEscalations({
  policy,
  onClose,
  onSaved,
}: {
  policy: SlaPolicy;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [drafts, setDrafts] = useState<EscalationDraft[]>(() =>
    (policy.escalations ?? []).map(toDraft),
  );
  const checked = fromDrafts(drafts);
  const problem = 'problem' in checked ? checked.problem : null;
  const form = useFormAction(async () => {
    if ('problem' in checked) throw new Error(t(checked.problem.message));
    await api.changePolicy(policy.id, { escalations: checked.escalations });
  }, onSaved);
  // A change clears the last refusal; problems show at their field once Save was pressed.
  const change = (index: number, patch: Partial<EscalationDraft>) => {
    form.setError(null);
    setDrafts((all) => all.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  };
  const fieldError = (index: number, field: string) =>
    form.error && problem?.index === index && problem.field === field
      ? t(problem.message)
      : undefined;
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={t('admin.sla.escalationsOf', { policy: policy.name })}
    >
      <Stack gap="sm" component="form" onSubmit={form.submit} data-testid="sla-escalations">
        <Text size="sm" c="dimmed">
          {t('admin.sla.escalationsHelp')}
        </Text>
        {drafts.length === 0 && <Text c="dimmed">{t('admin.sla.noLevels')}</Text>}
        {drafts.map((d, index) => (
          <Group key={index} align="flex-start" data-testid="sla-level">
            <TextInput
              label={t('admin.name')}
              value={d.name}
              onChange={(e) => change(index, { name: e.currentTarget.value })}
              error={fieldError(index, 'name')}
            />
            <NumberInput
              label={t('admin.sla.levelOffset')}
              w={170}
              step={0.5}
              value={d.offsetHours}
              onChange={(offsetHours) => change(index, { offsetHours })}
              error={fieldError(index, 'offsetHours')}
            />
            <NativeSelect
              label={t('admin.sla.levelAction')}
              value={d.action}
              onChange={(e) =>
                change(index, { action: e.currentTarget.value as SlaEscalation['action'] })
              }
              data={ESCALATION_ACTIONS.map((a) => ({
                value: a,
                label: t(`admin.sla.action.${a}` as MessageKey),
              }))}
            />
            <Choices
              label={t('admin.sla.levelClocks')}
              value={d.clocks}
              values={SLA_CLOCKS}
              labelOf={(c) => t(`admin.sla.clock.${c}`)}
              onChange={(clocks) => change(index, { clocks })}
              error={fieldError(index, 'clocks')}
            />
            <Button
              mt={24}
              size="compact-sm"
              variant="subtle"
              color="red"
              onClick={() => setDrafts((all) => all.filter((_, i) => i !== index))}
            >
              {t('admin.remove')}
            </Button>
          </Group>
        ))}
        <FormError error={form.error} />
        <Group justify="space-between">
          <Button
            variant="light"
            disabled={drafts.length >= MAX_LEVELS}
            onClick={() => setDrafts((all) => [...all, newDraft()])}
            data-testid="sla-level-add"
          >
            {t('admin.sla.addLevel')}
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('admin.cancel')}
            </Button>
            <Button type="submit" loading={form.busy} data-testid="sla-levels-save">
              {t('admin.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
