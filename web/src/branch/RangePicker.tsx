import { Button, Group, NativeSelect, SegmentedControl, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { PHONE } from '../common/media';
import { useI18n } from '../i18n';
import { RANGE_PRESETS, type RangePreset, type TimeRange } from './timeRange';

interface RangePickerProps {
  range: TimeRange;
  onChange: (range: TimeRange) => void;
}

const PRESETS = Object.keys(RANGE_PRESETS) as RangePreset[];

/** `<input type=datetime-local>` wants local time without a zone. */
function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The custom inputs start on the range shown, or on the last day. */
function initialBounds(range: TimeRange) {
  const now = Date.now();
  return range.kind === 'custom' ? range : { from: now - 24 * 3600_000, to: now };
}

/** 1 h … 30 d ending now, or a fixed interval; the hub picks the resolution for the span. */
export function RangePicker({ range, onChange }: RangePickerProps) {
  const { t } = useI18n();
  const [custom, setCustom] = useState(range.kind === 'custom');
  const [from, setFrom] = useState(() => toLocalInput(initialBounds(range).from));
  const [to, setTo] = useState(() => toLocalInput(initialBounds(range).to));
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const valid = !Number.isNaN(fromMs) && !Number.isNaN(toMs) && toMs > fromMs;

  const phone = useMediaQuery(PHONE);
  const choice = {
    'aria-label': t('range.label'),
    value: custom ? 'custom' : range.kind === 'preset' ? range.preset : 'custom',
    onChange: (value: string) => {
      if (value === 'custom') {
        setCustom(true);
        return;
      }
      setCustom(false);
      onChange({ kind: 'preset', preset: value as RangePreset });
    },
    data: [
      ...PRESETS.map((p) => ({ value: p, label: t(`range.${p}`) })),
      { value: 'custom', label: t('range.custom') },
    ],
    'data-testid': 'range-picker',
  };

  return (
    <Group gap="xs" wrap="wrap" align="end">
      {/* Six segments do not fit a phone's card in every language: a select there. */}
      {phone ? (
        <NativeSelect
          size="xs"
          {...choice}
          onChange={(e) => choice.onChange(e.currentTarget.value)}
        />
      ) : (
        <SegmentedControl size="xs" {...choice} />
      )}
      {custom && (
        <>
          <TextInput
            size="xs"
            type="datetime-local"
            label={t('range.from')}
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
            data-testid="range-from"
          />
          <TextInput
            size="xs"
            type="datetime-local"
            label={t('range.to')}
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
            data-testid="range-to"
          />
          <Button
            size="xs"
            disabled={!valid}
            onClick={() => onChange({ kind: 'custom', from: fromMs, to: toMs })}
            data-testid="range-apply"
          >
            {t('range.apply')}
          </Button>
        </>
      )}
    </Group>
  );
}
