import { useQuery } from '@tanstack/react-query';
import { catalogApi } from '../../api/catalog';

export type PublicDepartment = { id: string; name: string };

/**
 * The departments that implement items in effect, for the public filters. The department list itself needs a
 * login, so they are gathered from the (public) search: one page of up to 200 items, names only.
 */
export function usePublicDepartments(): PublicDepartment[] {
  const { data } = useQuery({
    queryKey: ['catalog', 'public-departments'],
    queryFn: async () => {
      const page = await catalogApi.search({ pageSize: 200 });
      const byId = new Map<string, string>();
      for (const hit of page.items) byId.set(hit.departmentId, hit.departmentName);
      return [...byId]
        .map(([id, name]) => ({ id, name }))
        .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    },
    staleTime: 5 * 60_000,
  });
  return data ?? [];
}
