import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useNotifyApi } from '../common/useLoad';
import { useI18n, type MessageKey } from '../i18n';
import {
  currentSubscription,
  pushSupported,
  PushRefused,
  subscribeThisBrowser,
  type PushProblem,
} from '../pwa/push';

type PushCardState =
  | { kind: 'checking' }
  | { kind: 'unsupported' }
  | { kind: 'off'; problem?: PushProblem }
  /** `id`: the hub's row for this browser's subscription. */
  | { kind: 'on'; id: string };

/**
 * Notifications on this device (docs/requesters.md "Notifications"): subscribes this browser to
 * web push and hands the subscription to the hub, or takes it back. Where the browser's push
 * service cannot be reached, says so: the bell and Telegram still carry the news.
 */
export function PushCard() {
  const { t } = useI18n();
  const notify = useNotifyApi();
  const [state, setState] = useState<PushCardState>({ kind: 'checking' });
  const [busy, setBusy] = useState(false);

  const look = useCallback(async (): Promise<PushCardState> => {
    if (!pushSupported()) return { kind: 'unsupported' };
    const [hub, here] = await Promise.all([notify.push(), currentSubscription()]);
    const known = here && hub.subscriptions.find((s) => s.endpoint === here.endpoint);
    return known ? { kind: 'on', id: known.id } : { kind: 'off' };
  }, [notify]);
  useEffect(() => {
    let shown = true;
    look().then(
      (found) => shown && setState(found),
      () => shown && setState({ kind: 'off' }),
    );
    return () => {
      shown = false;
    };
  }, [look]);

  const turnOn = async () => {
    setBusy(true);
    try {
      const { publicKey } = await notify.push();
      const subscription = await subscribeThisBrowser(publicKey);
      const saved = await notify.subscribePush({
        endpoint: subscription.endpoint!,
        keys: { p256dh: subscription.keys!.p256dh!, auth: subscription.keys!.auth! },
      });
      // The person asked for notifications here: their preferences send to push from now on.
      const preferences = await notify.preferences();
      if (!preferences.channels.includes('push'))
        await notify.savePreferences({
          ...preferences,
          channels: [...preferences.channels, 'push'],
        });
      setState({ kind: 'on', id: saved.id });
    } catch (err) {
      setState({ kind: 'off', problem: err instanceof PushRefused ? err.problem : 'unreachable' });
    } finally {
      setBusy(false);
    }
  };

  const turnOff = async (id: string) => {
    setBusy(true);
    try {
      await (await currentSubscription())?.unsubscribe();
      await notify.unsubscribePush(id);
      setState({ kind: 'off' });
    } finally {
      setBusy(false);
    }
  };

  if (state.kind === 'checking') return null;
  return (
    <Card withBorder data-testid="portal-push">
      <Stack gap="xs">
        <Text fw={600}>{t('portal.push.title')}</Text>
        {state.kind === 'unsupported' ? (
          <Text size="sm">{t('portal.push.unsupported')}</Text>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              {state.kind === 'on' ? t('portal.push.on') : t('portal.push.help')}
            </Text>
            {state.kind === 'off' && state.problem && (
              <Text size="sm" c="orange" role="status">
                {t(`portal.push.${state.problem}` as MessageKey)}
              </Text>
            )}
            <Group>
              {state.kind === 'on' ? (
                <Button variant="default" loading={busy} onClick={() => void turnOff(state.id)}>
                  {t('portal.push.turnOff')}
                </Button>
              ) : (
                <Button loading={busy} onClick={() => void turnOn()} data-testid="push-turn-on">
                  {t('portal.push.turnOn')}
                </Button>
              )}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
