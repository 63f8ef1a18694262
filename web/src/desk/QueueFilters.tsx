import { Button, Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { useState, type RefObject } from 'react';
import type { TicketPriority, TicketSort, TicketSource, TicketState } from '../api/types';
import { useI18n } from '../i18n';
import {
  DEFAULT_QUERY,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_SOURCES,
  TICKET_STATES,
  activeFilterCount,
  type QueueQuery,
} from './queueQuery';
import type { Directory } from './useDirectory';

interface QueueFiltersProps {
  query: QueueQuery;
  directory: Directory;
  onChange: (change: Partial<QueueQuery>) => void;
  searchRef: RefObject<HTMLInputElement | null>;
}

const stateValue = (state: QueueQuery['state']) =>
  state === 'active' || state === 'all' ? state : state.join(',');

/** The queue's filters and sort; every change goes to the address (and so to the hub). */
export function QueueFilters({ query, directory, onChange, searchRef }: QueueFiltersProps) {
  const { t } = useI18n();

  const any = { value: '', label: t('desk.filter.any') };
  const stateOptions = [
    { value: 'active', label: t('desk.filter.stateActive') },
    { value: 'all', label: t('desk.filter.stateAll') },
    ...TICKET_STATES.map((s) => ({ value: s, label: t(`ticketState.${s}`) })),
  ];
  const current = stateValue(query.state);
  if (!stateOptions.some((o) => o.value === current)) {
    stateOptions.push({ value: current, label: current.split(',').join(', ') });
  }

  return (
    <Group align="end" gap="sm" data-testid="queue-filters">
      <DraftField
        key={`q:${query.q}`}
        inputRef={searchRef}
        type="search"
        label={t('desk.filter.search')}
        value={query.q}
        onCommit={(q) => onChange({ q })}
        w={240}
        testId="filter-q"
      />
      <Select
        label={t('desk.filter.state')}
        data={stateOptions}
        value={current}
        allowDeselect={false}
        onChange={(v) =>
          onChange({
            state:
              v === 'active' || v === 'all' || v === null
                ? (v ?? 'active')
                : (v.split(',') as TicketState[]),
          })
        }
        w={240}
        data-testid="filter-state"
      />
      <MultiSelect
        label={t('desk.filter.priority')}
        data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
        value={query.priority}
        onChange={(v) => onChange({ priority: v as TicketPriority[] })}
        w={200}
        data-testid="filter-priority"
      />
      <Select
        label={t('desk.filter.assignee')}
        data={[
          any,
          ...directory.people.map((p) => ({
            value: p.id,
            label:
              p.id === directory.me?.id ? `${p.username} (${t('desk.filter.me')})` : p.username,
          })),
        ]}
        value={query.assignee}
        onChange={(v) => onChange({ assignee: v ?? '' })}
        searchable
        w={170}
        data-testid="filter-assignee"
      />
      <Select
        label={t('desk.filter.group')}
        data={[any, ...directory.groups.map((g) => ({ value: g.id, label: g.name }))]}
        value={query.group}
        onChange={(v) => onChange({ group: v ?? '' })}
        w={150}
        data-testid="filter-group"
      />
      <Select
        label={t('desk.filter.branch')}
        data={[any, ...directory.branches.map((b) => ({ value: b.id, label: b.name }))]}
        value={query.branch}
        onChange={(v) => onChange({ branch: v ?? '' })}
        searchable
        w={160}
        data-testid="filter-branch"
      />
      <DraftField
        key={`tag:${query.tag}`}
        label={t('desk.filter.tag')}
        value={query.tag}
        onCommit={(tag) => onChange({ tag })}
        w={120}
        testId="filter-tag"
      />
      <Select
        label={t('desk.filter.source')}
        data={[any, ...TICKET_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))]}
        value={query.source}
        onChange={(v) => onChange({ source: (v ?? '') as TicketSource | '' })}
        w={110}
        data-testid="filter-source"
      />
      <Select
        label={t('desk.filter.sort')}
        data={TICKET_SORTS.map((s) => ({ value: s, label: t(`desk.sort.${s}`) }))}
        value={query.sort}
        allowDeselect={false}
        onChange={(v) => onChange({ sort: (v ?? DEFAULT_QUERY.sort) as TicketSort })}
        w={120}
        data-testid="filter-sort"
      />
      <Select
        label={t('desk.filter.order')}
        data={(['desc', 'asc'] as const).map((o) => ({ value: o, label: t(`desk.order.${o}`) }))}
        value={query.order}
        allowDeselect={false}
        onChange={(v) => onChange({ order: v === 'asc' ? 'asc' : 'desc' })}
        w={190}
        data-testid="filter-order"
      />
      {activeFilterCount(query) > 0 && (
        <Button
          variant="subtle"
          onClick={() => onChange({ ...DEFAULT_QUERY, sort: query.sort, order: query.order })}
          data-testid="filter-clear"
        >
          {t('desk.filter.clear')}
        </Button>
      )}
    </Group>
  );
}

interface DraftFieldProps {
  label: string;
  /** The value in the address; the parent keys the field by it, so a new value starts over. */
  value: string;
  onCommit: (value: string) => void;
  w: number;
  testId: string;
  type?: 'search';
  inputRef?: RefObject<HTMLInputElement | null>;
}

/** A text filter typed freely and applied on Enter or when focus leaves it. */
function DraftField({ label, value, onCommit, w, testId, type, inputRef }: DraftFieldProps) {
  const [draft, setDraft] = useState(value);
  const commit = () => draft.trim() !== value && onCommit(draft.trim());
  return (
    <TextInput
      ref={inputRef}
      type={type}
      label={label}
      value={draft}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      onBlur={commit}
      w={w}
      data-testid={testId}
    />
  );
}
