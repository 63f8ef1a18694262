import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Branch, SupportGroup, User } from '../api/types';

export interface Person {
  id: string;
  username: string;
}

/** Who and what the desk's pickers offer: the signed-in user, support groups and members, branches. */
export interface Directory {
  me: User | null;
  groups: SupportGroup[];
  /** Members of any support group, plus the signed-in user: the people a ticket can go to. */
  people: Person[];
  branches: Branch[];
}

const EMPTY: Directory = { me: null, groups: [], people: [], branches: [] };

/**
 * Loaded once per page. The hub has no user list for agents (only group membership), so the
 * assignee pickers offer group members and "me".
 */
export function useDirectory(): Directory {
  const api = useApi();
  const [directory, setDirectory] = useState<Directory>(EMPTY);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const [me, groups, branches] = await Promise.all([
        api.me(),
        api.supportGroups().catch(() => [] as SupportGroup[]),
        api.branches().catch(() => [] as Branch[]),
      ]);
      const members = await Promise.all(groups.map((g) => api.groupMembers(g.id).catch(() => [])));
      const byId = new Map<string, Person>([[me.id, { id: me.id, username: me.username }]]);
      for (const m of members.flat()) byId.set(m.userId, { id: m.userId, username: m.username });
      const people = [...byId.values()].sort((a, b) => a.username.localeCompare(b.username));
      if (!stopped) setDirectory({ me, groups, people, branches });
    };
    load().catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [api]);
  return directory;
}
