import { ApiError, type ApiClient } from './client';
import type { ApiAnswer, ApiBody, ItemList } from './types';

// The requester portal (hub/src/portal/portal.routes.ts, docs/requesters.md): known incidents
// of the person's branches, their tickets, filing with photos, the public conversation,
// reopening and rating.

export type KnownIncident = ApiAnswer<'/api/v1/portal/incidents', 'get'>['items'][number];
export type PortalTicket = ApiAnswer<'/api/v1/portal/tickets', 'get'>['items'][number];
export type PortalTicketDetail = ApiAnswer<'/api/v1/portal/tickets/{id}', 'get'>;
export type PortalEvent = PortalTicketDetail['events'][number];
export type PortalNewTicket = ApiBody<'/api/v1/portal/tickets', 'post'>;
export type PortalRating = NonNullable<PortalTicketDetail['rating']>;

const id = encodeURIComponent;

/** Where the person's tickets download as CSV (a plain link: the browser saves the file). */
export const PORTAL_CSV_URL = '/api/v1/portal/tickets.csv';

export function portalApi(api: ApiClient) {
  return {
    /** Whether the first-visit tour was finished or skipped (remembered on the hub). */
    tourDone: async () =>
      (await api.send<{ tour: { done: boolean } }>('GET', '/api/v1/portal/tour')).tour.done,
    setTourDone: (done: boolean) =>
      api.send<{ tour: { done: boolean } }>('PUT', '/api/v1/portal/tour', { done }),
    incidents: async () =>
      (await api.send<ItemList<KnownIncident>>('GET', '/api/v1/portal/incidents')).items,
    tickets: async () =>
      (await api.send<ItemList<PortalTicket>>('GET', '/api/v1/portal/tickets')).items,
    ticket: (ticketId: string) =>
      api.send<PortalTicketDetail>('GET', `/api/v1/portal/tickets/${id(ticketId)}`),
    file: async (input: PortalNewTicket) =>
      (
        await api.send<{ ticket: PortalTicketDetail['ticket'] }>(
          'POST',
          '/api/v1/portal/tickets',
          input,
        )
      ).ticket,
    /** With `key` (an `Idempotency-Key`), sending it again stores it once (offline replies). */
    reply: (ticketId: string, body: string, key?: string) =>
      api.send<{ event: PortalEvent }>(
        'POST',
        `/api/v1/portal/tickets/${id(ticketId)}/replies`,
        { body },
        key ? { 'Idempotency-Key': key } : undefined,
      ),
    follow: (ticketId: string) =>
      api.send<void>('PUT', `/api/v1/portal/tickets/${id(ticketId)}/follow`, {}),
    unfollow: (ticketId: string) =>
      api.send<void>('DELETE', `/api/v1/portal/tickets/${id(ticketId)}/follow`),
    reopen: (ticketId: string, body?: string) =>
      api.send<unknown>(
        'POST',
        `/api/v1/portal/tickets/${id(ticketId)}/reopen`,
        body ? { body } : {},
      ),
    rate: async (ticketId: string, score: number, comment: string | null) =>
      (
        await api.send<{ rating: PortalRating }>(
          'PUT',
          `/api/v1/portal/tickets/${id(ticketId)}/rating`,
          { score, comment },
        )
      ).rating,
    /**
     * A photo or file: the raw body, as on the desk (the hub takes no multipart). With `key`,
     * sending it again stores it once (photos taken offline).
     */
    attach: (ticketId: string, file: File, key?: string) =>
      api.uploadFile(
        `/api/v1/portal/tickets/${id(ticketId)}/attachments?name=${id(file.name || 'photo.jpg')}`,
        file,
        key ? { 'Idempotency-Key': key } : {},
      ),
    attachmentUrl: (ticketId: string, attachmentId: string) =>
      `/api/v1/portal/tickets/${id(ticketId)}/attachments/${id(attachmentId)}`,
  };
}

export type PortalApi = ReturnType<typeof portalApi>;

/** A ticket someone cannot reach, or that does not exist, answers 404 alike. */
export const isGone = (error: unknown) => error instanceof ApiError && error.status === 404;
