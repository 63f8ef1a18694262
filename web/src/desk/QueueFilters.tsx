import { Button, Collapse, Group, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
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
  /** A phone: only the search shows; the rest opens under one "Filters" button. */
  folded?: boolean;
}

const stateValue = (state: QueueQuery['state']) =>
  state === 'active' || state === 'all' ? state : state.join(',');

/**
 * The queue's filters and sort; every change goes to the address (and so to the hub). They do
 * not depend on the page, so moving to the next page does not render them again: for a user
 * who sees every tenant the branch picker holds thousands of branches (docs/benchmarks.md
 * "Web"). `onChange` is left out of the comparison: it differs between pages only in the
 * offset, which a filter change resets anyway (`withFilter`).
 */
export const QueueFilters = memo(
  QueueFiltersView,
  (a, b) =>
    a.directory === b.directory &&
    a.searchRef === b.searchRef &&
    a.folded === b.folded &&
    sameFilters(a.query, b.query),
);

interface BranchFilterProps {
  label: string;
  options: { value: string; label: string }[];
  value: string;
  onChange: (branch: string) => void;
  w: number | string;
}

/**
 * The branch picker, rendered again only when its own value or options change: with thousands
 * of branches it is the costly part of the filter bar (a sort change need not redraw it). Its
 * `onChange` is stable (see `onBranch`).
 */
const BranchFilter = memo(function BranchFilter({
  label,
  options,
  value,
  onChange,
  w,
}: BranchFilterProps) {
  return (
    <Select
      label={label}
      data={options}
      value={value}
      onChange={(v) => onChange(v ?? '')}
      searchable
      w={w}
      data-testid="filter-branch"
    />
  );
});

function sameFilters(a: QueueQuery, b: QueueQuery): boolean {
  return JSON.stringify({ ...a, offset: 0 }) === JSON.stringify({ ...b, offset: 0 });
}

function QueueFiltersView({
  query,
  directory,
  onChange,
  searchRef,
  folded = false,
}: QueueFiltersProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  // On a phone every folded field takes the whole width; on a desktop each its own.
  const w = (desktop: number) => (folded ? '100%' : desktop);

  const any = { value: '', label: t('desk.filter.any') };
  const anyLabel = any.label;
  const branchOptions = useMemo(
    () => [
      { value: '', label: anyLabel },
      ...directory.branches.map((b) => ({ value: b.id, label: b.name })),
    ],
    [directory.branches, anyLabel],
  );
  // One handler for the branch picker's whole life, calling the latest `onChange` (which
  // carries the rest of the query), so the picker need not render again when that changes.
  const latestChange = useRef(onChange);
  useEffect(() => {
    latestChange.current = onChange;
  });
  const onBranch = useCallback((branch: string) => latestChange.current({ branch }), []);
  const stateOptions = [
    { value: 'active', label: t('desk.filter.stateActive') },
    { value: 'all', label: t('desk.filter.stateAll') },
    ...TICKET_STATES.map((s) => ({ value: s, label: t(`ticketState.${s}`) })),
  ];
  const current = stateValue(query.state);
  if (!stateOptions.some((o) => o.value === current)) {
    stateOptions.push({ value: current, label: current.split(',').join(', ') });
  }

  const hidden = folded
    ? activeFilterCount(query) - (query.q === '' ? 0 : 1)
    : secondaryCount(query);
  const moreButton = (
    <Button
      variant={open ? 'light' : 'default'}
      onClick={() => setOpen((o) => !o)}
      aria-expanded={open}
      data-testid="filter-more"
    >
      {hidden > 0 ? t('desk.filter.moreCount', { n: hidden }) : t('desk.filter.more')}
    </Button>
  );
  const search = (
    <DraftField
      key={`q:${query.q}`}
      inputRef={searchRef}
      type="search"
      label={t('desk.filter.search')}
      placeholder={t('desk.filter.searchHint')}
      value={query.q}
      onCommit={(q) => onChange({ q })}
      w={folded ? undefined : 230}
      testId="filter-q"
      grow={folded}
    />
  );
  const primary = (
    <>
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
        w={w(210)}
        data-testid="filter-state"
      />
      <MultiSelect
        label={t('desk.filter.priority')}
        data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
        value={query.priority}
        onChange={(v) => onChange({ priority: v as TicketPriority[] })}
        w={w(180)}
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
        w={w(150)}
        data-testid="filter-assignee"
      />
      <Select
        label={t('desk.filter.group')}
        data={[any, ...directory.groups.map((g) => ({ value: g.id, label: g.name }))]}
        value={query.group}
        onChange={(v) => onChange({ group: v ?? '' })}
        w={w(140)}
        data-testid="filter-group"
      />
      <BranchFilter
        label={t('desk.filter.branch')}
        options={branchOptions}
        value={query.branch}
        onChange={onBranch}
        w={w(150)}
      />
    </>
  );
  const secondary = (
    <>
      <DraftField
        key={`tag:${query.tag}`}
        label={t('desk.filter.tag')}
        value={query.tag}
        onCommit={(tag) => onChange({ tag })}
        w={w(120)}
        testId="filter-tag"
      />
      <Select
        label={t('desk.filter.source')}
        data={[any, ...TICKET_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))]}
        value={query.source}
        onChange={(v) => onChange({ source: (v ?? '') as TicketSource | '' })}
        w={w(130)}
        data-testid="filter-source"
      />
      <Select
        label={t('desk.filter.sort')}
        data={TICKET_SORTS.map((s) => ({ value: s, label: t(`desk.sort.${s}`) }))}
        value={query.sort}
        allowDeselect={false}
        onChange={(v) => onChange({ sort: (v ?? DEFAULT_QUERY.sort) as TicketSort })}
        w={w(140)}
        data-testid="filter-sort"
      />
      <Select
        label={t('desk.filter.order')}
        data={(['desc', 'asc'] as const).map((o) => ({ value: o, label: t(`desk.order.${o}`) }))}
        value={query.order}
        allowDeselect={false}
        onChange={(v) => onChange({ order: v === 'asc' ? 'asc' : 'desc' })}
        w={w(200)}
        data-testid="filter-order"
      />
    </>
  );
  const clear = (
    <>
      {activeFilterCount(query) > 0 && (
        <Button
          variant="subtle"
          onClick={() => onChange({ ...DEFAULT_QUERY, sort: query.sort, order: query.order })}
          data-testid="filter-clear"
        >
          {t('desk.filter.clear')}
        </Button>
      )}
    </>
  );
  if (folded) {
    return (
      <Stack gap="xs" data-testid="queue-filters">
        <Group align="end" gap="sm" wrap="nowrap">
          {search}
          {moreButton}
        </Group>
        <Collapse expanded={open}>
          <Stack gap="xs">
            {primary}
            {secondary}
            {clear}
          </Stack>
        </Collapse>
      </Stack>
    );
  }
  return (
    <Stack gap="xs" data-testid="queue-filters">
      <Group align="end" gap="sm">
        {search}
        {primary}
        {moreButton}
        {clear}
      </Group>
      <Collapse expanded={open}>
        <Group align="end" gap="sm">
          {secondary}
        </Group>
      </Collapse>
    </Stack>
  );
}

/** Filters that sit under "Filters" on a desktop and are set: the tag and the source. */
function secondaryCount(query: QueueQuery): number {
  return (query.tag === '' ? 0 : 1) + (query.source === '' ? 0 : 1);
}

interface DraftFieldProps {
  label: string;
  /** The value in the address; the parent keys the field by it, so a new value starts over. */
  value: string;
  onCommit: (value: string) => void;
  w: number | string | undefined;
  testId: string;
  grow?: boolean;
  type?: 'search';
  placeholder?: string;
  inputRef?: RefObject<HTMLInputElement | null>;
}

/** A text filter typed freely and applied on Enter or when focus leaves it. */
function DraftField({
  label,
  value,
  onCommit,
  w,
  testId,
  type,
  inputRef,
  grow,
  placeholder,
}: DraftFieldProps) {
  const [draft, setDraft] = useState(value);
  const commit = () => draft.trim() !== value && onCommit(draft.trim());
  return (
    <TextInput
      ref={inputRef}
      type={type}
      label={label}
      placeholder={placeholder}
      value={draft}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      onBlur={commit}
      w={w}
      style={grow ? { flex: 1, minWidth: 0 } : undefined}
      data-testid={testId}
    />
  );
}
