// Saved queue views: a name and the queue's address query. The hub has no place for them yet,
// so they live in this browser's localStorage, one list per user (the key holds the user id):
// another browser or a cleared profile does not have them.

export interface SavedView {
  name: string;
  /** The address query of the queue, without `?` and without the page offset. */
  search: string;
}

export type ViewStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const MAX_VIEWS = 30;

export const viewsKey = (userId: string) => `branchwatch.desk.views.${userId}`;

/** The user's views; a missing or damaged entry reads as none. */
export function loadViews(storage: ViewStorage, userId: string): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(viewsKey(userId)) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(
        (v): v is SavedView =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as SavedView).name === 'string' &&
          typeof (v as SavedView).search === 'string',
      )
      .slice(0, MAX_VIEWS);
  } catch {
    return [];
  }
}

export function storeViews(storage: ViewStorage, userId: string, views: SavedView[]): void {
  storage.setItem(viewsKey(userId), JSON.stringify(views.slice(0, MAX_VIEWS)));
}

/** Adds a view, or replaces the one with the same name (names compare trimmed). */
export function withView(views: SavedView[], name: string, search: string): SavedView[] {
  const clean = name.trim();
  if (clean === '') return views;
  const params = new URLSearchParams(search);
  params.delete('offset');
  const view = { name: clean, search: params.toString() };
  const rest = views.filter((v) => v.name !== clean);
  return [...rest, view].sort((a, b) => a.name.localeCompare(b.name)).slice(0, MAX_VIEWS);
}

export function withoutView(views: SavedView[], name: string): SavedView[] {
  return views.filter((v) => v.name !== name);
}
