import { businessCalendar, isWorkingTime, type WorkingWeek } from '@branchwatch/sla';
import { occurs, type Recurrence } from './recurrence.js';

export type WindowScope = 'tenant' | 'branch' | 'agent' | 'check';

/**
 * A maintenance window (docs/alerts.md "Maintenance windows"): one-off (`startsAt`–`endsAt`),
 * weekly (ranges per weekday such as `{ sat: ['02:00-04:00'] }`) or recurring (an RFC 5545 rule
 * with the hours of each occurrence, `recurrence.ts`); weekly and recurring ones are read on
 * `zone`'s wall clock, or on the branch's when `zone` is null. A window suppresses new tickets,
 * never recoveries.
 */
export interface MaintenanceWindow {
  id: string;
  tenantId: string;
  scope: WindowScope;
  scopeId: string;
  reason: string;
  startsAt: Date | null;
  endsAt: Date | null;
  weekly: WorkingWeek | null;
  recurrence: Recurrence | null;
  zone: string | null;
}

/** Where an alert is: the ids a window's scope can name. */
export interface AlertPlace {
  tenantId: string;
  branchId: string;
  agentId: string;
  checkId: string | null;
  /** The branch's IANA time zone, for weekly windows without their own. */
  branchZone: string;
}

/** Checks that a weekly window can be read (the zone exists, the ranges parse). */
export function validateWeekly(weekly: WorkingWeek, zone: string): void {
  businessCalendar({ zone, week: weekly });
}

export function covers(window: MaintenanceWindow, place: AlertPlace): boolean {
  switch (window.scope) {
    case 'tenant':
      return window.scopeId === place.tenantId;
    case 'branch':
      return window.scopeId === place.branchId;
    case 'agent':
      return window.scopeId === place.agentId;
    case 'check':
      return window.scopeId === place.checkId;
  }
}

/** Whether `window` is open at `at` (a window includes its start, not its end). */
export function isOpen(window: MaintenanceWindow, at: Date, branchZone: string): boolean {
  if (window.startsAt && window.endsAt) return at >= window.startsAt && at < window.endsAt;
  if (window.recurrence) return occurs(window.recurrence, window.zone ?? branchZone, at);
  if (!window.weekly) return false;
  // The SLA package's business calendar is exactly "ranges per weekday on a zone's clock",
  // DST and all; a maintenance window is its working time.
  const calendar = businessCalendar({ zone: window.zone ?? branchZone, week: window.weekly });
  return isWorkingTime(calendar, at);
}

/** The first window open at `at` that covers the place, if any. */
export function openWindow(
  windows: readonly MaintenanceWindow[],
  place: AlertPlace,
  at: Date,
): MaintenanceWindow | undefined {
  return windows.find((w) => covers(w, place) && isOpen(w, at, place.branchZone));
}
