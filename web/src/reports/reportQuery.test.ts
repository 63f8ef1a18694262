import { describe, expect, it } from 'vitest';
import { dashboardParams, exportHref, reportFromSearch, reportPeriod } from './reportQuery';

describe('report query', () => {
  it('reads the filters from the address, falling back to 30 days', () => {
    expect(reportFromSearch(new URLSearchParams('range=7d&branch=b1'))).toEqual({
      range: '7d',
      branch: 'b1',
      tenant: null,
    });
    expect(reportFromSearch(new URLSearchParams('range=forever')).range).toBe('30d');
  });

  it('ends the period at the next whole minute and exports with language and zone', () => {
    const period = reportPeriod('7d', new Date('2026-03-09T10:00:30Z'));
    expect(period).toEqual({
      from: new Date('2026-03-02T10:01:00Z'),
      to: new Date('2026-03-09T10:01:00Z'),
    });
    const params = dashboardParams({ range: '7d', branch: 'b1', tenant: null }, period);
    expect(exportHref('csv', params, 'fa', 'Asia/Tehran')).toBe(
      '/api/v1/reports/dashboard.csv?from=2026-03-02T10%3A01%3A00.000Z&to=2026-03-09T10%3A01%3A00.000Z&branch=b1&lang=fa&zone=Asia%2FTehran',
    );
  });
});
