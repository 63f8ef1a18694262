import { ActionIcon, Stack, Tooltip } from '@mantine/core';
import { useI18n } from '../i18n';

/** +, − and fit, over the map's corner (the inline end: right in English, left in Persian). */
export function ZoomControls({
  onZoomIn,
  onZoomOut,
  onFit,
}: {
  onZoomIn: () => void;
  onZoomOut: () => void;
  onFit: () => void;
}) {
  const { t } = useI18n();
  const buttons = [
    { label: t('map.zoomIn'), glyph: '+', onClick: onZoomIn, testId: 'map-zoom-in' },
    { label: t('map.zoomOut'), glyph: '−', onClick: onZoomOut, testId: 'map-zoom-out' },
    { label: t('map.zoomFit'), glyph: '⤢', onClick: onFit, testId: 'map-zoom-fit' },
  ];
  return (
    <Stack
      gap={4}
      style={{ position: 'absolute', top: 8, insetInlineEnd: 8, zIndex: 2 }}
      data-testid="map-zoom"
    >
      {buttons.map((b) => (
        <Tooltip key={b.testId} label={b.label} position="left" withArrow>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={b.label}
            onClick={b.onClick}
            data-testid={b.testId}
          >
            <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>
              {b.glyph}
            </span>
          </ActionIcon>
        </Tooltip>
      ))}
    </Stack>
  );
}
