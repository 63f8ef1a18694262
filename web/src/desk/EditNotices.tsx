import { Alert, Button, Group, List, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { DeskEvent } from '../api/types';
import { formatAbsolute } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { changedBy, describeChange, differences } from './conflict';
import { Sentence } from './Sentence';
import type { TicketEditor } from './useTicketEditor';

/**
 * The second person's view of a conflict: who changed the ticket, what they changed, that
 * this change was not saved, and a choice to apply it to the new version or leave it.
 */
export function ConflictNotice({
  editor,
  events,
  names,
}: {
  editor: TicketEditor;
  events: DeskEvent[];
  names: ReadonlyMap<string, string>;
}) {
  const { t, dir, locale } = useI18n();
  const conflict = editor.conflict;
  if (conflict === null) return null;
  const words = { t, names, locale };
  const who = changedBy(events, conflict.shown.updatedAt);
  const changes = differences(conflict.shown, conflict.current, words);
  const arrow = dir === 'rtl' ? '←' : '→';
  return (
    <Alert color="orange" title={t('desk.conflict.title')} data-testid="conflict">
      <Stack gap="xs">
        <Text size="sm">
          <Sentence
            template={t('desk.conflict.who')}
            vars={{ who: who.length > 0 ? who.join(', ') : t('desk.conflict.someone') }}
          />
        </Text>
        <List size="sm" data-testid="conflict-changes">
          {changes.map((c) => (
            <List.Item key={c.label}>
              <Sentence
                template={t('desk.conflict.line')}
                vars={{ field: c.label, old: c.old, new: c.new, arrow }}
              />
            </List.Item>
          ))}
        </List>
        <Text size="sm" data-testid="conflict-yours">
          <Sentence
            template={t('desk.conflict.yours')}
            vars={{ change: describeChange(conflict.change, words) }}
          />
        </Text>
        <Group gap="xs">
          <Button
            size="compact-sm"
            loading={editor.busy}
            onClick={() => void editor.retry()}
            data-testid="conflict-retry"
          >
            {t('desk.conflict.retry')}
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            onClick={editor.dismissConflict}
            data-testid="conflict-dismiss"
          >
            {t('desk.conflict.dismiss')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/**
 * Ending an alert ticket whose check still fails: the hub refused without a reason; this asks
 * for one, says what ending it means, and sends the change again with it.
 */
export function StillFailingModal({ editor }: { editor: TicketEditor }) {
  const { t, locale } = useI18n();
  const [reason, setReason] = useState('');
  const refusal = editor.stillFailing;
  const close = () => {
    setReason('');
    editor.keepOpen();
  };
  const agent = refusal?.alert === 'agent';
  const since = refusal?.since ? (formatAbsolute(refusal.since, locale) ?? '') : '';
  const closing = refusal?.change.state === 'closed';
  return (
    <Modal
      opened={refusal !== null}
      onClose={close}
      title={
        refusal && (
          <Sentence
            template={t(agent ? 'desk.stillFailing.titleAgent' : 'desk.stillFailing.title')}
            vars={{ name: refusal.name }}
          />
        )
      }
      data-testid="still-failing"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim() === '') return;
          void editor.endAnyway(reason.trim()).then(() => setReason(''));
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            <Sentence
              template={t(agent ? 'desk.stillFailing.bodyAgent' : 'desk.stillFailing.body')}
              vars={{ since }}
            />
          </Text>
          <Textarea
            label={t('desk.stillFailing.reason')}
            description={t('desk.stillFailing.reasonHelp')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={2}
            required
            data-autofocus
            data-testid="still-failing-reason"
          />
          {editor.problem !== null && <Alert color="red">{editor.problem}</Alert>}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('desk.stillFailing.cancel')}
            </Button>
            <Button
              type="submit"
              color="orange"
              disabled={reason.trim() === ''}
              loading={editor.busy}
              data-testid="still-failing-confirm"
            >
              {t(closing ? 'desk.stillFailing.close' : 'desk.stillFailing.resolve')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
