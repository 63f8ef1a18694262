import { ActionIcon, Group, Paper, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n';

/** Moves the item at `from` to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list];
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

/**
 * Rows a person adds, removes and puts in order: by dragging the handle, or from the keyboard
 * (the handle takes the arrow keys; the buttons beside it say the same in words).
 */
export function RuleRows<T>({
  items,
  onChange,
  render,
  testId,
}: {
  items: T[];
  onChange: (items: T[]) => void;
  render: (item: T, change: (item: T) => void, index: number) => ReactNode;
  testId: string;
}) {
  const { t } = useI18n();
  const [dragging, setDragging] = useState<number | null>(null);
  const move = (from: number, to: number) => onChange(moved(items, from, to));
  return (
    <Stack gap="xs">
      {items.map((item, i) => (
        <Paper
          key={i}
          withBorder
          p="xs"
          data-testid={`${testId}-row`}
          onDragOver={(e) => {
            if (dragging !== null) e.preventDefault();
          }}
          onDrop={(e) => {
            e.preventDefault();
            if (dragging !== null) move(dragging, i);
            setDragging(null);
          }}
          style={{ opacity: dragging === i ? 0.5 : 1 }}
        >
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <Stack gap={0}>
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={t('auto.drag')}
                title={t('auto.drag')}
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.effectAllowed = 'move';
                  setDragging(i);
                }}
                onDragEnd={() => setDragging(null)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowUp') {
                    e.preventDefault();
                    move(i, i - 1);
                  } else if (e.key === 'ArrowDown') {
                    e.preventDefault();
                    move(i, i + 1);
                  }
                }}
                data-testid={`${testId}-handle`}
                style={{ cursor: 'grab' }}
              >
                <Text size="lg" aria-hidden>
                  ⠿
                </Text>
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                size="xs"
                aria-label={t('auto.moveUp')}
                title={t('auto.moveUp')}
                disabled={i === 0}
                onClick={() => move(i, i - 1)}
                data-testid={`${testId}-up`}
              >
                ▲
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                size="xs"
                aria-label={t('auto.moveDown')}
                title={t('auto.moveDown')}
                disabled={i === items.length - 1}
                onClick={() => move(i, i + 1)}
                data-testid={`${testId}-down`}
              >
                ▼
              </ActionIcon>
            </Stack>
            <Group gap="xs" align="flex-end" style={{ flex: 1 }}>
              {render(item, (next) => onChange(items.map((x, j) => (j === i ? next : x))), i)}
            </Group>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('auto.remove')}
              title={t('auto.remove')}
              onClick={() => onChange(items.filter((_, j) => j !== i))}
              data-testid={`${testId}-remove`}
            >
              ✕
            </ActionIcon>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
