import { Text, type TextProps } from '@mantine/core';
import { formatAbsolute, formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';

interface RelativeTimeProps extends TextProps {
  at: string | null;
  now: number;
}

/** "12 s ago", with the exact local time on hover; the size around it unless given one. */
export function RelativeTime({ at, now, ...textProps }: RelativeTimeProps) {
  const i18n = useI18n();
  return (
    <Text
      span
      // Mantine's inherit wins over a size: "41 min ago" stood larger than its row's xs text.
      inherit={textProps.size === undefined}
      title={formatAbsolute(at, i18n.locale)}
      style={{ whiteSpace: 'nowrap' }}
      {...textProps}
    >
      <time dateTime={at ?? undefined}>{formatRelative(at, now, i18n)}</time>
    </Text>
  );
}
