import type { ApiClient } from './client';
import type { ApiAnswer } from './types';

// Each person's notification centre (hub/src/notify/inbox.routes.ts, docs/notifications.md).

export type Inbox = ApiAnswer<'/api/v1/notifications', 'get'>;
export type InboxItem = Inbox['items'][number];

const id = encodeURIComponent;

export function inboxApi(api: ApiClient) {
  return {
    list: (limit = 50) => api.send<Inbox>('GET', `/api/v1/notifications?limit=${limit}`),
    read: (itemId: string) => api.send<void>('PUT', `/api/v1/notifications/${id(itemId)}/read`, {}),
    unread: (itemId: string) =>
      api.send<void>('DELETE', `/api/v1/notifications/${id(itemId)}/read`),
    readAll: () => api.send<{ marked: number }>('POST', '/api/v1/notifications/read', {}),
  };
}

export type InboxApi = ReturnType<typeof inboxApi>;
