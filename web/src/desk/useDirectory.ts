import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Branch, SupportGroup, User } from '../api/types';

export interface Person {
  id: string;
  username: string;
}

/** Who and what the desk's pickers offer: the signed-in user, support groups, people, branches. */
export interface Directory {
  me: User | null;
  groups: SupportGroup[];
  /** The people a ticket can go to (users who may work tickets), by username. */
  people: Person[];
  branches: Branch[];
  /** Every person's and group's name by id. */
  names: ReadonlyMap<string, string>;
}

const EMPTY: Directory = { me: null, groups: [], people: [], branches: [], names: new Map() };

/**
 * Loaded once per page (GET /assignees, /support-groups, /branches); not at all when `wanted`
 * is false (a page whose person opens no tickets: the hub would refuse the lists).
 */
export function useDirectory(wanted = true): Directory {
  const api = useApi();
  const [directory, setDirectory] = useState<Directory>(EMPTY);
  useEffect(() => {
    if (!wanted) return;
    let stopped = false;
    const load = async () => {
      const [me, groups, branches, assignees] = await Promise.all([
        api.me(),
        api.supportGroups().catch(() => [] as SupportGroup[]),
        api.branches().catch(() => [] as Branch[]),
        api.assignees().catch(() => [] as Person[]),
      ]);
      const people = assignees.map((p) => ({ id: p.id, username: p.username }));
      const names = new Map<string, string>([
        ...people.map((p) => [p.id, p.username] as const),
        ...groups.map((g) => [g.id, g.name] as const),
      ]);
      if (!stopped) setDirectory({ me, groups, people, branches, names });
    };
    load().catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [api, wanted]);
  return directory;
}
