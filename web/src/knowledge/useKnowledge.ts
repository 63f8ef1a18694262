import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { useLoad } from '../common/useLoad';
import { knowledgeApi, type KnowledgeApi } from './knowledgeApi';

/** The knowledge base's calls for the signed-in session, stable across renders. */
export function useKnowledgeApi(): KnowledgeApi {
  const api = useApi();
  return useMemo(() => knowledgeApi(api), [api]);
}

/** Whether the person writes articles (`knowledge.manage`): editors see drafts and the editor. */
export function useCanEditKnowledge(): boolean {
  const api = useApi();
  const load = useCallback(
    async () => (await api.me()).permissions.includes('knowledge.manage'),
    [api],
  );
  return useLoad(load).data ?? false;
}

/** `value`, once it has stopped changing for `ms` (a search as it is typed). */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
