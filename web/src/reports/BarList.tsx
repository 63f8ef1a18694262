import { Box, Group, Stack, Text } from '@mantine/core';

export interface Bar {
  key: string;
  label: string;
  value: number;
  color?: string;
}

/**
 * Counts as horizontal bars, longest first: read at a glance, and laid out with flex boxes so a
 * right-to-left page grows its bars from the right without a mirrored drawing.
 */
export function BarList({
  bars,
  format,
  testId,
}: {
  bars: Bar[];
  format: (n: number) => string;
  testId: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <Stack gap={6} data-testid={testId}>
      {bars.map((bar) => (
        <Box key={bar.key} data-testid={`${testId}-row`}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm" truncate>
              {bar.label}
            </Text>
            <Text size="sm" fw={600}>
              {format(bar.value)}
            </Text>
          </Group>
          <Box
            h={8}
            bg="var(--mantine-color-default-border)"
            style={{ borderRadius: 4, overflow: 'hidden' }}
          >
            <Box
              h="100%"
              bg={bar.color ?? 'var(--mantine-primary-color-filled)'}
              style={{ width: `${(bar.value / max) * 100}%`, borderRadius: 4 }}
            />
          </Box>
        </Box>
      ))}
    </Stack>
  );
}
