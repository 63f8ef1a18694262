import { Group, Text } from '@mantine/core';
import type { Heartbeat } from '../api/types';
import { formatPercent } from '../format/numbers';
import { useI18n } from '../i18n';

const SLOTS = 30;

/**
 * A check's last rounds as a row of small bars, oldest first (Uptime Kuma's heartbeat bar),
 * with the share of good ones. Empty slots stand for rounds the last day did not have.
 */
export function HeartbeatBar({ beat }: { beat: Heartbeat | undefined }) {
  const { t, locale, dir } = useI18n();
  const rounds = beat?.rounds ?? [];
  if (rounds.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {t('heartbeat.none')}
      </Text>
    );
  }
  const failed = rounds.filter((r) => !r.ok).length;
  const label = t('heartbeat.label', { n: rounds.length, ok: rounds.length - failed, failed });
  const empty = SLOTS - rounds.length;
  return (
    <Group gap={6} wrap="nowrap" data-testid="heartbeat">
      <svg
        role="img"
        aria-label={label}
        width={SLOTS * 4}
        height={16}
        viewBox={`0 0 ${SLOTS * 4} 16`}
        // Oldest first in the reading direction: right to left in Persian.
        style={{ flexShrink: 0, transform: dir === 'rtl' ? 'scaleX(-1)' : undefined }}
      >
        <title>{label}</title>
        {rounds.map((r, i) => (
          <rect
            key={r.at}
            x={(empty + i) * 4}
            y={0}
            width={3}
            height={16}
            rx={1}
            fill={r.ok ? 'var(--mantine-color-green-6)' : 'var(--mantine-color-red-6)'}
          />
        ))}
        {Array.from({ length: empty }, (_, i) => (
          <rect
            key={`e${i}`}
            x={i * 4}
            y={6}
            width={3}
            height={4}
            rx={1}
            fill="var(--mantine-color-gray-4)"
          />
        ))}
      </svg>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {t('heartbeat.uptime', { percent: formatPercent(beat!.uptimePercent, locale) })}
      </Text>
    </Group>
  );
}
