import type { ApiClient } from './http.js';

/**
 * An SLA policy on a calendar open around the clock, so a test's clocks run whatever the hour
 * it runs at: first response and resolution in `firstResponseMs` and `resolutionMs`.
 */
export async function aroundTheClockPolicy(
  api: ApiClient,
  targets: { firstResponseMs: number; resolutionMs: number },
): Promise<void> {
  const { calendar } = await api.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
    name: '24/7',
    spec: {
      zone: 'UTC',
      week: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']]),
      ),
    },
  });
  await api.post('/api/v1/sla/policies', { name: 'standard', calendarId: calendar.id, ...targets });
}
