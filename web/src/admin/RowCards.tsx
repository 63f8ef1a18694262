import { Card, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A list as cards, one per row, for a phone's width where a table of four columns and its
 * buttons would run off the screen: the row's content, its buttons under it.
 */
export function RowCards<T>({
  rows,
  rowKey,
  content,
  actions,
  testId,
  rowTestId,
  rowAttributes,
}: {
  rows: T[];
  rowKey: (row: T) => string;
  content: (row: T) => ReactNode;
  actions: (row: T) => ReactNode;
  testId?: string;
  rowTestId?: string;
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
}) {
  return (
    <Stack gap="xs" data-testid={testId}>
      {rows.map((row) => (
        <Card
          key={rowKey(row)}
          withBorder
          padding="sm"
          data-testid={rowTestId}
          data-key={rowKey(row)}
          {...rowAttributes?.(row)}
        >
          <Stack gap={6}>
            {content(row)}
            <Group gap={4} justify="flex-end">
              {actions(row)}
            </Group>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
