import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { departmentsApi, hallsApi, regionsApi, staffApi } from '../api/org';
import type { Role } from '../api/types';

export type Option = { value: string; label: string };

type RemoteSelectProps = Omit<SelectProps<string>, 'options' | 'showSearch' | 'loading' | 'mode'> & {
  queryKey: readonly unknown[];
  load: (q: string) => Promise<Option[]>;
  /** Label of the current value when it may not be on the first page of results. */
  valueLabel?: string | null;
};

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** A select whose options come from a server list, searched on the server as the user types. */
export function RemoteSelect({ queryKey, load, valueLabel, value, ...rest }: RemoteSelectProps) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const { data, isFetching } = useQuery({
    queryKey: [...queryKey, 'options', q],
    queryFn: () => load(q),
    staleTime: 30_000,
  });
  let options = data ?? [];
  if (value && valueLabel && !options.some((o) => o.value === value)) {
    options = [{ value, label: valueLabel }, ...options];
  }
  return (
    <Select<string>
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

type EntitySelectProps = Omit<RemoteSelectProps, 'queryKey' | 'load'>;

const OPTION_PAGE = 50;

export function DepartmentSelect(props: EntitySelectProps & { regionCode?: string }) {
  const { regionCode, ...rest } = props;
  return (
    <RemoteSelect
      {...rest}
      queryKey={['departments', regionCode ?? '']}
      load={async (q) =>
        (await departmentsApi.list({ q, pageSize: OPTION_PAGE, regionCode })).items.map((d) => ({
          value: d.id,
          label: d.name,
        }))
      }
    />
  );
}

export function RegionSelect(props: EntitySelectProps & { parentCode?: string }) {
  const { parentCode, ...rest } = props;
  return (
    <RemoteSelect
      {...rest}
      queryKey={['regions', parentCode ?? '']}
      load={async (q) =>
        (await regionsApi.list({ q, pageSize: OPTION_PAGE, parentCode })).items.map((r) => ({
          value: r.code,
          label: `${r.name} (${r.code})`,
        }))
      }
    />
  );
}

export function HallSelect(props: EntitySelectProps) {
  return (
    <RemoteSelect
      {...props}
      queryKey={['halls']}
      load={async (q) =>
        (await hallsApi.list({ q, pageSize: OPTION_PAGE })).items.map((h) => ({ value: h.id, label: h.name }))
      }
    />
  );
}

export function StaffSelect(props: EntitySelectProps & { departmentId?: string; role?: Role }) {
  const { departmentId, role, ...rest } = props;
  return (
    <RemoteSelect
      {...rest}
      queryKey={['staff', departmentId ?? '', role ?? '']}
      load={async (q) =>
        (await staffApi.list({ q, pageSize: OPTION_PAGE, departmentId, role })).items.map((s) => ({
          value: s.id,
          label: `${s.displayName} (${s.username})`,
        }))
      }
    />
  );
}
