import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Progress,
  Select,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import {
  catalogUrls,
  type ImportError,
  type ImportProgress,
  type ImportReport,
  importWorkbook,
  SHEET_KEYS,
  type SheetKey,
} from '../../api/catalog';
import { useReportError } from '../../components/api-errors';
import { PageContainer } from '../../components/page-container';
import { ScrollRegion } from '../../components/scroll-region';
import { type Translate, useT } from '../../i18n/i18n';

/** How far along the import is, 0–100: uploading, reading the rows, checking them, writing them. */
const PHASES: Record<ImportProgress['phase'], [number, number]> = {
  upload: [0, 10],
  read: [10, 40],
  validate: [40, 80],
  write: [80, 100],
};

function percentOf(p: ImportProgress): number {
  const [from, to] = PHASES[p.phase];
  const share = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  return Math.round(from + (to - from) * share);
}

const sheetLabel = (t: Translate, key: SheetKey) => t(`catalog.sheet.${key}`);

function ReportView({ report }: { report: ImportReport }) {
  const t = useT();
  if (report.ok) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="import-ok"
        title={report.dryRun ? t('catalog.import.dryRunOk') : t('catalog.import.done')}
        description={t('catalog.import.counts', {
          created: report.created,
          amended: report.amended,
          unchanged: report.unchanged,
          published: report.published,
        })}
      />
    );
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type="error"
        showIcon
        data-testid="import-rejected"
        title={t('catalog.import.rejected', { n: report.errors.length })}
        description={t('catalog.import.nothingImported')}
      />
      <ScrollRegion label={t('catalog.import.rejected', { n: report.errors.length })}>
        <Table<ImportError>
          size="small"
          data-testid="import-errors"
          rowKey={(e) => `${e.sheet}!${e.column}${e.row}:${e.field}:${e.rule}:${e.message}`}
          dataSource={report.errors}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('catalog.import.sheet'), dataIndex: 'sheet' },
            { title: t('catalog.import.row'), dataIndex: 'row', width: 70 },
            { title: t('catalog.import.column'), dataIndex: 'column', width: 70 },
            { title: t('catalog.import.header'), dataIndex: 'header' },
            { title: t('catalog.import.message'), dataIndex: 'message' },
          ]}
        />
      </ScrollRegion>
    </Space>
  );
}

/** 导入导出: a workbook in the documented layout is checked row by row and imported whole or not at all. */
export function ImportPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const report = useReportError();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [csvSheet, setCsvSheet] = useState<SheetKey>('items');
  const run = useMutation({
    mutationFn: (chosen: File) => importWorkbook(chosen, { dryRun, onProgress: setProgress }),
    onSuccess: async (result) => {
      setProgress(null);
      if (result.ok && !result.dryRun) {
        await queryClient.invalidateQueries({ queryKey: ['catalog'] });
        for (const kind of [
          'item',
          'power',
          'fee',
          'fund',
          'negative',
          'permission',
          'supervision',
          'intermediary',
        ]) {
          await queryClient.invalidateQueries({ queryKey: [`catalog-${kind}`] });
        }
      }
    },
    onError: (error) => {
      setProgress(null);
      report(error);
    },
  });

  return (
    <PageContainer title={t('admin.menu.catalogImport')} subTitle={t('catalog.import.intro')}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card title={t('catalog.import.title')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div data-testid="import-file">
              <Upload.Dragger
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                maxCount={1}
                fileList={
                  file ? [{ uid: 'workbook', name: file.name, size: file.size, status: 'done' as const }] : []
                }
                beforeUpload={(chosen) => {
                  setFile(chosen);
                  run.reset();
                  return false;
                }}
                onRemove={() => {
                  setFile(null);
                  run.reset();
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined aria-hidden="true" />
                </p>
                <p className="ant-upload-text">{t('catalog.import.drop')}</p>
                <p className="ant-upload-hint">{t('catalog.import.dropHint')}</p>
              </Upload.Dragger>
            </div>
            <Flex gap="middle" align="center" wrap>
              <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
                {t('catalog.import.dryRun')}
              </Checkbox>
              <Button
                type="primary"
                disabled={!file}
                loading={run.isPending}
                onClick={() => file && run.mutate(file)}
                data-testid="import-start"
              >
                {dryRun ? t('catalog.import.check') : t('catalog.import.start')}
              </Button>
            </Flex>
            {run.isPending ? (
              <div data-testid="import-progress">
                <Typography.Text>{t(`catalog.import.phase.${progress?.phase ?? 'upload'}`)}</Typography.Text>
                <Progress
                  percent={progress ? percentOf(progress) : 0}
                  status="active"
                  aria-label={t('catalog.import.progress')}
                />
              </div>
            ) : null}
            {run.data ? <ReportView report={run.data} /> : null}
          </Space>
        </Card>

        <Card title={t('catalog.export.title')}>
          <Space orientation="vertical">
            <Typography.Paragraph style={{ margin: 0 }}>{t('catalog.export.intro')}</Typography.Paragraph>
            <Flex gap="small" wrap>
              <Button
                icon={<DownloadOutlined />}
                href={catalogUrls.template()}
                data-testid="download-template"
              >
                {t('catalog.export.template')}
              </Button>
              <Button icon={<DownloadOutlined />} href={catalogUrls.export('xlsx')} data-testid="export-all">
                {t('catalog.export.all')}
              </Button>
            </Flex>
            <Flex gap="small" wrap align="center">
              <Select<SheetKey>
                aria-label={t('catalog.export.sheet')}
                style={{ width: 200 }}
                value={csvSheet}
                onChange={setCsvSheet}
                options={SHEET_KEYS.map((k) => ({ value: k, label: sheetLabel(t, k) }))}
              />
              <Button icon={<DownloadOutlined />} href={catalogUrls.export('csv', csvSheet)}>
                {t('catalog.export.csv')}
              </Button>
            </Flex>
          </Space>
        </Card>
      </Space>
    </PageContainer>
  );
}
