import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A small label over its value, as in a ticket's details; long values wrap anywhere. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}
