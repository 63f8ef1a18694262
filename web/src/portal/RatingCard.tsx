import { Button, Card, Group, Rating, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { PortalRating } from '../api/portalApi';
import { fieldRefusal, FormError, useFormAction } from '../common/forms';
import { useI18n } from '../i18n';
import { usePortalApi } from './usePortal';

/**
 * "How well was it solved?": 1–5 stars and a comment, once the ticket is resolved. The rating
 * feeds the desk's satisfaction figures; rating again replaces it.
 */
export function RatingCard({
  ticketId,
  rating,
  onRated,
}: {
  ticketId: string;
  rating: PortalRating | null;
  onRated: () => void;
}) {
  const { t } = useI18n();
  const portal = usePortalApi();
  const [editing, setEditing] = useState(rating === null);
  const [score, setScore] = useState(rating?.score ?? 0);
  const [comment, setComment] = useState(rating?.comment ?? '');
  const form = useFormAction(
    async () => {
      if (score < 1) throw fieldRefusal('score', t('portal.ticket.rateRequired'));
      await portal.rate(ticketId, score, comment.trim() || null);
    },
    () => {
      setEditing(false);
      onRated();
    },
  );
  if (rating && !editing)
    return (
      <Card withBorder padding="sm" data-testid="portal-rated">
        <Stack gap={4}>
          <Group gap="xs" wrap="wrap">
            <Rating
              value={rating.score}
              readOnly
              aria-label={t('portal.ticket.stars', { n: rating.score })}
            />
            <Text size="sm">{t('portal.ticket.rated', { n: rating.score })}</Text>
          </Group>
          {rating.comment && (
            <Text size="sm" c="dimmed" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
              {rating.comment}
            </Text>
          )}
          <Group>
            <Button variant="subtle" size="compact-sm" onClick={() => setEditing(true)}>
              {t('portal.ticket.rateChange')}
            </Button>
          </Group>
        </Stack>
      </Card>
    );
  return (
    <Card
      withBorder
      padding="sm"
      component="form"
      onSubmit={form.submit}
      data-testid="portal-rating"
    >
      <Stack gap="xs">
        <Text fw={600}>{t('portal.ticket.rate')}</Text>
        <Rating
          value={score}
          onChange={setScore}
          size="xl"
          data-testid="portal-stars"
          getSymbolLabel={(n) => t('portal.ticket.stars', { n })}
        />
        {form.messageFor('score') && (
          <Text size="sm" c="red">
            {form.messageFor('score')}
          </Text>
        )}
        <Textarea
          label={t('portal.ticket.rateComment')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={5000}
          dir="auto"
          data-testid="portal-rating-comment"
        />
        {form.field === null && <FormError error={form.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={form.busy} data-testid="portal-rating-send">
            {t('portal.ticket.rateSend')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
