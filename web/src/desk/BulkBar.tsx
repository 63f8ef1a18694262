import { Alert, Button, Group, List, Paper, Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { BulkAction, TicketState } from '../api/types';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';
import { summarizeBulk, type BulkSummary } from './bulkSummary';
import { TICKET_STATES } from './queueQuery';
import type { Directory } from './useDirectory';
import { formatTicketNumber } from '../format/numbers';

interface BulkBarProps {
  selected: string[];
  numbers: ReadonlyMap<string, number>;
  directory: Directory;
  onDone: () => void;
  onClear: () => void;
}

/** Assign, change state or tag the selected tickets; shows what happened to each. */
export function BulkBar({ selected, numbers, directory, onDone, onClear }: BulkBarProps) {
  const api = useApi();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [assignee, setAssignee] = useState<string | null>(null);
  const [state, setState] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<{ result: BulkSummary; total: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const run = async (action: BulkAction) => {
    setBusy(true);
    setProblem(null);
    try {
      const results = await api.bulkTickets(selected, action);
      setSummary({ result: summarizeBulk(results, numbers), total: results.length });
      onDone();
    } catch (error) {
      setProblem(describeError(error, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="sm" data-testid="bulk-bar">
      <Group gap="sm" align="end">
        <Text fw={600} data-testid="bulk-count">
          {t('desk.bulk.selected', { n: selected.length })}
        </Text>
        <Select
          label={t('desk.bulk.assignTo')}
          data={directory.people.map((p) => ({ value: p.id, label: p.username }))}
          value={assignee}
          onChange={setAssignee}
          w={170}
          data-testid="bulk-assignee"
        />
        <Button
          disabled={assignee === null || busy || selected.length === 0}
          onClick={() => void run({ action: 'assign', assigneeId: assignee })}
          data-testid="bulk-assign"
        >
          {t('desk.bulk.assign')}
        </Button>
        <Select
          label={t('desk.bulk.state')}
          data={TICKET_STATES.map((s) => ({ value: s, label: t(`ticketState.${s}`) }))}
          value={state}
          onChange={setState}
          w={150}
          data-testid="bulk-state"
        />
        <Button
          disabled={state === null || busy || selected.length === 0}
          onClick={() => void run({ action: 'state', state: state as TicketState })}
          data-testid="bulk-state-apply"
        >
          {t('desk.bulk.apply')}
        </Button>
        <TextInput
          label={t('desk.bulk.tag')}
          value={tag}
          onChange={(e) => setTag(e.currentTarget.value)}
          w={130}
          data-testid="bulk-tag"
        />
        <Button
          disabled={tag.trim() === '' || busy || selected.length === 0}
          onClick={() => void run({ action: 'tag', tag: tag.trim() })}
          data-testid="bulk-tag-apply"
        >
          {t('desk.bulk.apply')}
        </Button>
        <Button variant="subtle" color="gray" onClick={onClear}>
          {t('desk.bulk.clear')}
        </Button>
      </Group>
      {problem !== null && (
        <Alert color="red" mt="sm" title={t('desk.bulk.failed')}>
          {problem}
        </Alert>
      )}
      {summary !== null && (
        <Alert
          mt="sm"
          color={summary.result.failed.length === 0 ? 'green' : 'yellow'}
          data-testid="bulk-result"
          data-ok={summary.result.ok}
          data-failed={summary.result.failed.length}
          withCloseButton
          onClose={() => setSummary(null)}
        >
          <Text size="sm">
            {t('desk.bulk.done', { ok: summary.result.ok, total: summary.total })}
          </Text>
          {summary.result.failed.length > 0 && (
            <List size="sm" mt={4}>
              {summary.result.failed.map((f) => (
                <List.Item key={f.id}>
                  {t('desk.bulk.failedOne', {
                    number:
                      f.number === null ? f.id.slice(0, 8) : formatTicketNumber(f.number, locale),
                    message: f.message,
                  })}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </Paper>
  );
}
