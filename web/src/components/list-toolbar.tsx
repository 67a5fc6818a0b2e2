import { Flex, Input } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n';

/** Search box, filters and the page's create button above a list. */
export function ListToolbar({
  onSearch,
  searchLabel,
  filters,
  actions,
}: {
  onSearch?: (q: string) => void;
  searchLabel?: string;
  filters?: ReactNode;
  actions?: ReactNode;
}) {
  const t = useT();
  return (
    <Flex justify="space-between" gap="middle" wrap style={{ marginBottom: 16 }}>
      <Flex gap="small" wrap align="center">
        {onSearch ? (
          <Input.Search
            allowClear
            aria-label={searchLabel ?? t('common.search')}
            placeholder={searchLabel ?? t('common.searchPlaceholder')}
            onSearch={onSearch}
            style={{ width: 260 }}
            data-testid="list-search"
          />
        ) : null}
        {filters}
      </Flex>
      {actions ? <Flex gap="small">{actions}</Flex> : null}
    </Flex>
  );
}
