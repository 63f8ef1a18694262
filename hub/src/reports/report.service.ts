import { CSV_BOM, csvRecord } from '../http/csv.js';
import type { SlaService, SlaSetup } from '../helpdesk/sla/sla.service.js';
import type { ReportGrouping, ReportRepository } from './report.repository.js';
import {
  REPORT_CSV_HEADER,
  acknowledgedAt,
  reportCsvValues,
  summarize,
  type TicketMeasure,
} from './ticket-report.js';

const BATCH = 1000;

export interface ReportQuery {
  tenantId: string | null;
  from: Date;
  to: Date;
  groupBy: ReportGrouping;
}

/**
 * MTTA, MTTR and SLA compliance of the tickets opened in a period, per tenant, branch, support
 * group, person (assignee) or category (docs/api.md "Reports"). SLA outcomes come from the
 * same clocks the helpdesk shows (SlaService), rebuilt from each ticket's history.
 */
export class ReportService {
  constructor(
    private readonly repo: ReportRepository,
    private readonly sla: SlaService,
  ) {}

  async tickets(query: ReportQuery, now = new Date()) {
    const measures: TicketMeasure[] = [];
    const setups = new Map<string, SlaSetup>();
    let after = 0;
    for (;;) {
      const batch = await this.repo.ticketsOpened(
        query.tenantId,
        query.from,
        query.to,
        query.groupBy,
        after,
        BATCH,
      );
      if (batch.length === 0) break;
      const events = await this.repo.events(batch.map((t) => t.id));
      for (const ticket of batch) {
        let setup = setups.get(ticket.tenantId);
        if (!setup) setups.set(ticket.tenantId, (setup = await this.sla.setupFor(ticket.tenantId)));
        const history = events.get(ticket.id) ?? [];
        const ack = acknowledgedAt(history);
        const clocks = this.sla.clocks(setup, ticket, history, now);
        measures.push({
          groupKey: ticket.groupKey,
          groupLabel: ticket.groupLabel,
          acknowledgeMs: ack && ack.getTime() - ticket.openedAt.getTime(),
          resolveMs: ticket.resolvedAt && ticket.resolvedAt.getTime() - ticket.openedAt.getTime(),
          resolutionClock: clocks.resolution?.status ?? null,
        });
      }
      after = Number(batch.at(-1)!.number);
    }
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      ...summarize(measures),
    };
  }

  async csv(query: ReportQuery, now = new Date()): Promise<string> {
    const report = await this.tickets(query, now);
    return [
      CSV_BOM + csvRecord(REPORT_CSV_HEADER),
      ...[...report.rows, report.total].map((r) => csvRecord(reportCsvValues(query.groupBy, r))),
    ].join('');
  }
}
