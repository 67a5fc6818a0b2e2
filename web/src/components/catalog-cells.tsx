import { DownloadOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { Button, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { catalogUrls, type ListKind, type ListRow } from '../api/catalog';
import { type Translate, useT } from '../i18n/i18n';
import { type FieldDef, LIST_FIELDS, vocabLabel, yuan } from './catalog-labels';

const guideLink = (code: string) => `/portal/catalog/items/${encodeURIComponent(code)}`;

/** One field of a list entry as a table cell. */
export function fieldCell(t: Translate, field: FieldDef, row: ListRow): ReactNode {
  const value = row.data[field.name];
  switch (field.type) {
    case 'department':
    case 'departmentOrNull':
      return row.departmentName ?? '';
    case 'enum':
      return field.vocab ? vocabLabel(t, field.vocab, value as string) : String(value ?? '');
    case 'enumMulti':
      return Array.isArray(value) && field.vocab
        ? value.map((v) => vocabLabel(t, field.vocab as NonNullable<FieldDef['vocab']>, String(v))).join('、')
        : '';
    case 'lines':
    case 'tags':
      return Array.isArray(value) && value.length > 0 ? (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {value.map((line) => (
            <li key={String(line)}>{String(line)}</li>
          ))}
        </ul>
      ) : (
        ''
      );
    case 'bool':
      return value ? t('common.yes') : t('common.no');
    case 'yuan': {
      if (value === null || value === undefined) return '';
      const unit = typeof row.data.unit === 'string' && row.data.unit ? `/${row.data.unit}` : '';
      return `¥${yuan(value as number)}${unit}`;
    }
    case 'itemCode':
      return typeof value === 'string' && value ? <Link to={guideLink(value)}>{value}</Link> : '';
    case 'itemCodes':
      return Array.isArray(value)
        ? value.map((code) => (
            <Link key={String(code)} to={guideLink(String(code))} style={{ marginRight: 8 }}>
              {String(code)}
            </Link>
          ))
        : '';
    case 'textarea':
      return typeof value === 'string' && value ? (
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-line', maxWidth: 360 }}>
          {value}
        </Typography.Paragraph>
      ) : (
        ''
      );
    default:
      return value === null || value === undefined ? '' : String(value);
  }
}

/** The columns of a public (or administration) list table; `extra` comes after the entry's own. */
export function listColumns(t: Translate, kind: ListKind, options: { linkItems?: boolean } = {}) {
  const code: TableColumnsType<ListRow>[number] = {
    title: t('catalog.field.code'),
    dataIndex: 'code',
    width: 150,
    render: (value: string) => <span style={{ wordBreak: 'break-all' }}>{value}</span>,
  };
  if (kind === 'item') {
    const columns: TableColumnsType<ListRow> = [
      code,
      {
        title: t('catalog.field.itemName'),
        dataIndex: 'name',
        render: (name: string, row) =>
          options.linkItems === false ? name : <Link to={guideLink(row.code)}>{name}</Link>,
      },
      { title: t('catalog.field.implementingDepartment'), dataIndex: 'departmentName' },
      {
        title: t('catalog.field.itemType'),
        dataIndex: 'type',
        render: (type: string | null) => vocabLabel(t, 'powerType', type),
      },
      {
        title: t('catalog.field.caseKind'),
        key: 'caseKind',
        render: (_, row) =>
          row.data.caseKind === 'immediate' ? (
            <Tag color="success">{t('catalog.caseKind.immediate')}</Tag>
          ) : (
            t('catalog.caseKind.promised')
          ),
      },
      {
        title: t('catalog.list.limits'),
        key: 'limits',
        render: (_, row) =>
          t('catalog.list.limitsValue', {
            promised: Number(row.data.promisedLimitDays),
            legal: Number(row.data.legalLimitDays),
          }),
      },
      {
        title: t('catalog.field.onlineDepth'),
        key: 'depth',
        render: (_, row) => vocabLabel(t, 'onlineDepth', row.data.onlineDepth as number),
      },
    ];
    return columns;
  }
  const columns: TableColumnsType<ListRow> = [
    code,
    ...LIST_FIELDS[kind]
      .filter((field) => field.column)
      .map((field) => ({
        title: t(field.label),
        key: field.name,
        render: (_: unknown, row: ListRow) => fieldCell(t, field, row),
      })),
  ];
  return columns;
}

/** Export of the list as the public sees it, as a workbook or CSV. */
export function ExportButtons({ kind }: { kind: ListKind }) {
  const t = useT();
  return (
    <>
      <Button
        icon={<DownloadOutlined aria-hidden="true" />}
        href={catalogUrls.listExport(kind, 'xlsx')}
        data-testid="export-xlsx"
      >
        {t('catalog.export.xlsx')}
      </Button>
      <Button
        icon={<DownloadOutlined aria-hidden="true" />}
        href={catalogUrls.listExport(kind, 'csv')}
        data-testid="export-csv"
      >
        {t('catalog.export.csv')}
      </Button>
    </>
  );
}
