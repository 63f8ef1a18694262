import { Button, Card, Group, Text, Title } from '@mantine/core';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useI18n } from '../../i18n';
import { usePortalApi } from '../usePortal';
import classes from './PortalTour.module.css';

/**
 * The portal's first-visit tour (docs/requesters.md "First visit"): a few tips, each shown
 * beside the real place it is about, which is outlined meanwhile. The tips sit in the page's
 * flow instead of over it, so nothing the person may want to press is covered; focus moves to
 * each tip as it appears, Escape skips the tour. Finished or skipped, it is remembered on the
 * hub (PUT /api/v1/portal/tour) and not shown again in any browser, until the person asks for
 * it again on the Profile page.
 */
export const TOUR_STEPS = ['health', 'known', 'report', 'notifications'] as const;
export type TourStep = (typeof TOUR_STEPS)[number];

interface TourControls {
  /** The tip shown now; null when the tour is over, not loaded yet, or not on the home page. */
  step: TourStep | null;
  index: number;
  next: () => void;
  back: () => void;
  /** Skipped or done: remembered on the hub. */
  finish: () => void;
  /** "Show the tips again": forgotten on the hub, shown on the next visit of the home page. */
  restart: () => Promise<void>;
}

const TourContext = createContext<TourControls>({
  step: null,
  index: 0,
  next: () => undefined,
  back: () => undefined,
  finish: () => undefined,
  restart: async () => undefined,
});

export const useTour = () => useContext(TourContext);

/** Props that outline a real place while its tip is shown (`{...tourMark('report')}`). */
export function useTourMark(step: TourStep): { 'data-tour-active'?: true } {
  return useTour().step === step ? { 'data-tour-active': true } : {};
}

/** Outlines `children` (in a box of their own) while the tip of `step` is shown. */
export function TourMarked({ step, children }: { step: TourStep; children: ReactNode }) {
  return (
    <div className={classes.marked} {...useTourMark(step)}>
      {children}
    </div>
  );
}

/** Holds the tour for the portal; `onHome` says whether the home page (where tips show) is open. */
export function TourProvider({ onHome, children }: { onHome: boolean; children: ReactNode }) {
  const portal = usePortalApi();
  // null while unknown (and when the hub cannot be asked, offline): no tour then.
  const [done, setDone] = useState<boolean | null>(null);
  const [index, setIndex] = useState(0);
  useEffect(() => {
    let stopped = false;
    portal.tourDone().then(
      (value) => !stopped && setDone(value),
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [portal]);

  const finish = useCallback(() => {
    setDone(true);
    // Not remembered when the hub cannot be reached: shown again next time, which is harmless.
    portal.setTourDone(true).catch(() => undefined);
  }, [portal]);
  const restart = useCallback(async () => {
    await portal.setTourDone(false);
    setIndex(0);
    setDone(false);
  }, [portal]);
  const step = onHome && done === false ? TOUR_STEPS[index]! : null;

  useEffect(() => {
    if (!step) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') finish();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [step, finish]);

  const controls = useMemo<TourControls>(
    () => ({
      step,
      index,
      next: () => (index + 1 < TOUR_STEPS.length ? setIndex(index + 1) : finish()),
      back: () => setIndex(Math.max(0, index - 1)),
      finish,
      restart,
    }),
    [step, index, finish, restart],
  );
  return <TourContext.Provider value={controls}>{children}</TourContext.Provider>;
}

/**
 * How far from the tip's inline start its arrow goes to sit under the middle of the outlined
 * place (which may be beside the tip or wrapped onto a line of its own), px; null: no arrow.
 */
function pointerInset(tip: HTMLElement): number | null {
  const place = document.querySelector('[data-portal] main [data-tour-active]');
  if (!place) return null;
  const a = tip.getBoundingClientRect();
  const b = place.getBoundingClientRect();
  const middle = (b.left + b.right) / 2;
  const inset = getComputedStyle(tip).direction === 'rtl' ? a.right - middle : middle - a.left;
  return Math.min(Math.max(inset - 7, 16), a.width - 30);
}

/**
 * The tip of `step`, where it is placed (under its place on the page); nothing when another
 * tip is shown. With `pointer`, a little arrow points up at the outlined place.
 */
export function TourTip({ step, pointer = true }: { step: TourStep; pointer?: boolean }) {
  const { t } = useI18n();
  const tour = useTour();
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  const shown = tour.step === step;
  const [inset, setInset] = useState<number | null>(null);
  useEffect(() => {
    const tip = ref.current;
    if (!shown || !tip) return;
    tip.focus({ preventScroll: true });
    tip.scrollIntoView({ block: 'nearest' });
    if (!pointer) return;
    const place = () => setInset(pointerInset(tip));
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [shown, pointer]);
  if (!shown) return null;
  const last = tour.index === TOUR_STEPS.length - 1;
  return (
    <Card
      ref={ref}
      withBorder
      shadow="sm"
      padding="md"
      tabIndex={-1}
      role="dialog"
      aria-modal={false}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      className={classes.tip}
      data-pointer={pointer && inset !== null ? true : undefined}
      style={inset !== null ? { '--tour-pointer': `${inset}px` } : undefined}
      data-testid="portal-tour"
    >
      <Text size="xs" c="dimmed" data-testid="portal-tour-progress">
        {t('portal.tour.progress', { n: tour.index + 1, total: TOUR_STEPS.length })}
      </Text>
      <Title order={2} size="h5" id={`${id}-title`} mt={4}>
        {t(`portal.tour.${step}.title`)}
      </Title>
      <Text size="sm" id={`${id}-text`} mt={4}>
        {t(`portal.tour.${step}.text`)}
      </Text>
      <Group justify="space-between" wrap="wrap" gap="xs" mt="sm">
        <Button variant="subtle" color="gray" size="compact-sm" onClick={tour.finish}>
          {t('portal.tour.skip')}
        </Button>
        <Group gap="xs" wrap="nowrap">
          {tour.index > 0 && (
            <Button variant="default" size="compact-sm" onClick={tour.back}>
              {t('portal.tour.back')}
            </Button>
          )}
          <Button size="compact-sm" onClick={tour.next}>
            {t(last ? 'portal.tour.done' : 'portal.tour.next')}
          </Button>
        </Group>
      </Group>
    </Card>
  );
}
