import { Anchor, Stack, Text } from '@mantine/core';
import { chartPath, ticketTextLines, type TicketText } from '@branchwatch/api';
import { linkTo } from '../app/router';
import { formatAbsolute } from '../format/relativeTime';
import { useI18n } from '../i18n';

/**
 * Text the hub wrote on a ticket (an alert's opening, a recovery, …), rendered from its facts
 * in the reader's language, time zone and calendar; the chart is a link into the app, machine
 * text (check keys, targets, probe reasons) is isolated from the prose around it.
 */
export function HubText({ text, testId = 'message-body' }: { text: TicketText; testId?: string }) {
  const { language, locale } = useI18n();
  const lines = ticketTextLines(text, { language });
  return (
    <Stack gap={2} data-testid={testId}>
      {lines.map((line, i) => (
        <Text key={i} size="sm">
          {line.map((part, j) =>
            typeof part === 'string' ? (
              part
            ) : 'time' in part ? (
              <time key={j} dateTime={part.time} title={formatAbsolute(part.time, locale)}>
                {part.text}
              </time>
            ) : 'value' in part ? (
              <bdi key={j}>{part.value}</bdi>
            ) : (
              <Anchor
                key={j}
                inherit
                {...linkTo(chartPath(part.chart))}
                data-testid="hub-chart-link"
              >
                {part.text}
              </Anchor>
            ),
          )}
        </Text>
      ))}
    </Stack>
  );
}
