import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import { ApiError } from '../api/client';
import type { DeskTicket, TicketChange } from '../api/types';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';

/** The hub refused to end an alert ticket whose alert still fails: ask the person why. */
export interface StillFailing {
  change: TicketChange;
  shown: DeskTicket;
  alert: 'check' | 'agent';
  name: string;
  since: string | null;
}

/** Someone else changed the ticket between what the person saw and their change. */
export interface Conflict {
  change: TicketChange;
  shown: DeskTicket;
  current: DeskTicket;
}

/** Saved; refused because someone changed the ticket first (the page shows it); or refused. */
export type ChangeOutcome = 'saved' | 'conflict' | 'failed';

export interface TicketEditor {
  /** Applies `values` to the version `shown` (the one on screen unless given). */
  change(values: TicketChange, shown?: DeskTicket): Promise<ChangeOutcome>;
  busy: boolean;
  problem: string | null;
  conflict: Conflict | null;
  stillFailing: StillFailing | null;
  /** Applies the refused change again, to the ticket as it is now. */
  retry(): Promise<ChangeOutcome>;
  dismissConflict(): void;
  /** Ends the alert ticket anyway, with the person's reason. */
  endAnyway(reason: string): Promise<ChangeOutcome>;
  keepOpen(): void;
}

/**
 * Every change of a ticket's fields, sent with `If-Match` of the version on screen, so that a
 * second person's change to a ticket that moved on is refused (412) and shown, not lost.
 */
export function useTicketEditor(ticket: DeskTicket | null, onChanged: () => void): TicketEditor {
  const api = useApi();
  const i18n = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [stillFailing, setStillFailing] = useState<StillFailing | null>(null);

  const change = async (values: TicketChange, shown = ticket): Promise<ChangeOutcome> => {
    if (shown === null) return 'failed';
    setBusy(true);
    setProblem(null);
    try {
      await api.changeTicket(shown.id, values, shown.version);
      setConflict(null);
      setStillFailing(null);
      onChanged();
      return 'saved';
    } catch (error) {
      if (error instanceof ApiError && error.code === 'BW_ERR_TICKET_CHANGED') {
        const current = (error.details as { ticket?: DeskTicket } | undefined)?.ticket;
        setConflict({ change: values, shown, current: current ?? shown });
        onChanged();
        return 'conflict';
      } else if (error instanceof ApiError && error.code === 'BW_ERR_ALERT_STILL_FAILING') {
        const d = (error.details ?? {}) as { alert?: string; name?: string; since?: string | null };
        setStillFailing({
          change: values,
          shown,
          alert: d.alert === 'agent' ? 'agent' : 'check',
          name: d.name ?? '',
          since: d.since ?? null,
        });
      } else {
        setProblem(describeError(error, i18n));
      }
      return 'failed';
    } finally {
      setBusy(false);
    }
  };

  return {
    change,
    busy,
    problem,
    conflict,
    stillFailing,
    retry: () => (conflict === null ? Promise.resolve('failed') : change(conflict.change)),
    dismissConflict: () => setConflict(null),
    endAnyway: (reason) =>
      stillFailing === null
        ? Promise.resolve('failed')
        : change({ ...stillFailing.change, reason }, stillFailing.shown),
    keepOpen: () => setStillFailing(null),
  };
}
