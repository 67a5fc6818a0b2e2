import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { catalogApi, type ListKind } from '../../api/catalog';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

type CodeSelectProps = Omit<SelectProps<string | string[]>, 'options' | 'showSearch' | 'loading'> & {
  /** The lists whose entries may be picked (a fee may come from the fee or the fund list). */
  kinds: ListKind[];
};

/**
 * Picks entries of other lists by code (a fee for an item, the item of a permission-list entry …), searched on
 * the server by name or code. Administrators see drafts too, so an entry and its references can be made together.
 */
export function CodeSelect({ kinds, value, ...rest }: CodeSelectProps) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const { data, isFetching } = useQuery({
    queryKey: ['catalog', 'code-options', kinds.join(','), q],
    queryFn: async () => {
      const pages = await Promise.all(
        kinds.map((kind) => catalogApi.list(kind, { q, pageSize: 30, state: 'latest' })),
      );
      return pages.flatMap((page) =>
        page.items.map((row) => ({ value: row.code, label: `${row.name} (${row.code})` })),
      );
    },
    staleTime: 30_000,
  });
  let options = data ?? [];
  const values = Array.isArray(value) ? value : value ? [value] : [];
  for (const v of values) {
    if (!options.some((o) => o.value === v)) options = [{ value: v, label: v }, ...options];
  }
  return (
    <Select<string | string[]>
      {...rest}
      value={value}
      options={options}
      loading={isFetching}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      onOpenChange={(open) => {
        if (!open) setSearch('');
      }}
    />
  );
}
