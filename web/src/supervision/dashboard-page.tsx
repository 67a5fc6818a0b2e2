import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Row, Segmented, Statistic, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type BoardCase, type Dimension, type Figures, type Level, supervisionApi } from '../api/supervision';
import { formatDateTime } from '../components/format';
import { PageContainer } from '../components/page-container';
import { type MessageKey, useT } from '../i18n/i18n';
import { EChart } from './echart';
import { useLiveSupervision } from './use-live';

const LEVEL_COLOR: Record<Level, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' };

/** Figure rows shown on the dashboard; the same keys and values as the bulletin export. */
export const FIGURE_ROWS: { key: keyof Figures; label: MessageKey; unit: '' | '%' | 'd' }[] = [
  { key: 'received', label: 'sup.fig.received', unit: '' },
  { key: 'accepted', label: 'sup.fig.accepted', unit: '' },
  { key: 'completed', label: 'sup.fig.completed', unit: '' },
  { key: 'pending', label: 'sup.fig.pending', unit: '' },
  { key: 'onTimeRate', label: 'sup.fig.onTimeRate', unit: '%' },
  { key: 'immediateItemShare', label: 'sup.fig.immediateItemShare', unit: '%' },
  { key: 'onSpotShare', label: 'sup.fig.onSpotShare', unit: '%' },
  { key: 'promisedSpeedup', label: 'sup.fig.promisedSpeedup', unit: '%' },
  { key: 'handlingSpeedup', label: 'sup.fig.handlingSpeedup', unit: '%' },
  { key: 'earlyDays', label: 'sup.fig.earlyDays', unit: 'd' },
  { key: 'averageDays', label: 'sup.fig.averageDays', unit: 'd' },
  { key: 'onlineRate', label: 'sup.fig.onlineRate', unit: '%' },
  { key: 'preReviewRate', label: 'sup.fig.preReviewRate', unit: '%' },
  { key: 'fullyOnlineRate', label: 'sup.fig.fullyOnlineRate', unit: '%' },
  { key: 'correctionRate', label: 'sup.fig.correctionRate', unit: '%' },
  { key: 'deficiencyShare', label: 'sup.fig.deficiencyShare', unit: '%' },
  { key: 'jointCases', label: 'sup.fig.jointCases', unit: '' },
  { key: 'jointDaysSaved', label: 'sup.fig.jointDaysSaved', unit: 'd' },
];

function month(): string {
  return new Date().toISOString().slice(0, 7);
}

/** 电子监察 dashboard: live counts by level, board drill-down, figures, trend, ranking, regions, exports. */
export function DashboardPage() {
  const t = useT();
  const live = useLiveSupervision();
  const [groupBy, setGroupBy] = useState<Dimension>('department');
  const [period, setPeriod] = useState<'month' | 'year'>('month');
  const board = useQuery({
    queryKey: ['supervision', 'board', groupBy],
    queryFn: () => supervisionApi.board(groupBy),
  });
  const red = useQuery({
    queryKey: ['supervision', 'cases', 'red'],
    queryFn: () => supervisionApi.boardCases({ level: 'red', pageSize: 10 }),
  });
  const yellow = useQuery({
    queryKey: ['supervision', 'cases', 'yellow'],
    queryFn: () => supervisionApi.boardCases({ level: 'yellow', pageSize: 10 }),
  });
  const figures = useQuery({
    queryKey: ['supervision', 'figures', period],
    queryFn: () => supervisionApi.figures({ period }),
  });
  const depts = useQuery({
    queryKey: ['supervision', 'figures', period, 'department'],
    queryFn: () => supervisionApi.figures({ period, groupBy: 'department' }),
  });
  const regions = useQuery({
    queryKey: ['supervision', 'figures', period, 'region'],
    queryFn: () => supervisionApi.figures({ period, groupBy: 'region' }),
  });
  const trend = useQuery({
    queryKey: ['supervision', 'trend', period],
    queryFn: () => supervisionApi.trend({ period, granularity: period === 'year' ? 'month' : 'day' }),
  });

  const totals = board.data?.totals;
  const levelOption = useMemo(
    () => ({
      tooltip: {},
      series: [
        {
          type: 'pie' as const,
          radius: ['45%', '70%'],
          data: (['green', 'yellow', 'red'] as Level[]).map((l) => ({
            name: t(`sup.level.${l}`),
            value: totals?.[l] ?? 0,
            itemStyle: { color: LEVEL_COLOR[l] },
          })),
        },
      ],
    }),
    [totals, t],
  );
  const trendOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' as const },
      legend: {},
      grid: { left: 40, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'category' as const, data: trend.data?.points.map((p) => p.period) ?? [] },
      yAxis: { type: 'value' as const },
      series: [
        {
          name: t('sup.fig.received'),
          type: 'line' as const,
          data: trend.data?.points.map((p) => p.figures.received) ?? [],
        },
        {
          name: t('sup.fig.completed'),
          type: 'line' as const,
          data: trend.data?.points.map((p) => p.figures.completed) ?? [],
        },
      ],
    }),
    [trend.data, t],
  );
  const rankOption = useMemo(() => {
    const rows = [...(depts.data?.groups ?? [])].sort(
      (a, b) => (b.figures.onTimeRate ?? 0) - (a.figures.onTimeRate ?? 0),
    );
    return {
      tooltip: {},
      grid: { left: 120, right: 20, top: 10, bottom: 20 },
      xAxis: { type: 'value' as const, max: 100 },
      yAxis: { type: 'category' as const, inverse: true, data: rows.map((r) => r.name) },
      series: [
        {
          type: 'bar' as const,
          data: rows.map((r) => r.figures.onTimeRate ?? 0),
          itemStyle: { color: '#1677ff' },
        },
      ],
    };
  }, [depts.data]);
  const regionOption = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 40, right: 20, top: 10, bottom: 60 },
      xAxis: {
        type: 'category' as const,
        data: regions.data?.groups.map((g) => g.name) ?? [],
        axisLabel: { rotate: 30 },
      },
      yAxis: { type: 'value' as const },
      series: [{ type: 'bar' as const, data: regions.data?.groups.map((g) => g.figures.received) ?? [] }],
    }),
    [regions.data],
  );

  const caseColumns = [
    {
      title: t('sup.col.number'),
      dataIndex: 'number',
      render: (v: string, r: BoardCase) => <Link to={`/workbench/cases/${r.id}`}>{v}</Link>,
    },
    { title: t('sup.col.item'), dataIndex: 'itemName' },
    { title: t('sup.col.department'), dataIndex: 'departmentName' },
    { title: t('sup.col.step'), dataIndex: 'stepName' },
    { title: t('sup.col.due'), dataIndex: 'promisedDueAt', render: (v: string | null) => formatDateTime(v) },
    {
      title: t('sup.col.level'),
      dataIndex: 'level',
      render: (l: Level) => (
        <Tag color={l === 'red' ? 'red' : l === 'yellow' ? 'gold' : 'green'}>{t(`sup.level.${l}`)}</Tag>
      ),
    },
  ];
  const m = month();

  return (
    <PageContainer
      title={t('supervision.title')}
      subTitle={
        <Badge
          status={live.connected ? 'processing' : 'default'}
          text={live.connected ? t('sup.live.on') : t('sup.live.off')}
          data-testid="live-status"
          data-connected={live.connected ? 'yes' : 'no'}
        />
      }
      extra={
        <>
          <Segmented
            value={period}
            onChange={(v) => setPeriod(v as 'month' | 'year')}
            options={[
              { value: 'month', label: t('sup.period.month') },
              { value: 'year', label: t('sup.period.year') },
            ]}
          />
          <Button href={supervisionApi.bulletinUrl(m, 'xlsx')} data-testid="export-xlsx">
            {t('sup.export.xlsx')}
          </Button>
          <Button href={supervisionApi.bulletinUrl(m, 'pdf')} data-testid="export-pdf">
            {t('sup.export.pdf')}
          </Button>
        </>
      }
    >
      <Row gutter={[16, 16]}>
        {(['red', 'yellow', 'green'] as Level[]).map((l) => (
          <Col xs={12} md={4} key={l}>
            <Card size="small">
              <Statistic
                title={t(`sup.level.${l}`)}
                value={totals?.[l] ?? 0}
                valueStyle={{ color: LEVEL_COLOR[l] }}
                valueRender={(node) => <span data-testid={`count-${l}`}>{node}</span>}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title={t('sup.level.suspended')} value={totals?.suspended ?? 0} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <EChart option={levelOption} height={110} testId="chart-levels" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sup.board.red')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              loading={red.isLoading}
              dataSource={red.data?.items ?? []}
              columns={caseColumns}
              onRow={(r) =>
                ({
                  'data-testid': 'board-case',
                  'data-number': r.number,
                  'data-level': r.level,
                }) as React.HTMLAttributes<HTMLElement>
              }
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sup.board.yellow')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              loading={yellow.isLoading}
              dataSource={yellow.data?.items ?? []}
              columns={caseColumns}
              onRow={(r) =>
                ({
                  'data-testid': 'board-case',
                  'data-number': r.number,
                  'data-level': r.level,
                }) as React.HTMLAttributes<HTMLElement>
              }
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            size="small"
            title={t('sup.board.byGroup')}
            extra={
              <Segmented
                value={groupBy}
                onChange={(v) => setGroupBy(v as Dimension)}
                options={(['department', 'region', 'hall', 'window', 'item', 'staff'] as Dimension[]).map(
                  (d) => ({
                    value: d,
                    label: t(`sup.dim.${d}`),
                  }),
                )}
              />
            }
          >
            <Table
              size="small"
              rowKey="key"
              pagination={{ pageSize: 8 }}
              dataSource={board.data?.groups ?? []}
              columns={[
                { title: t('sup.col.name'), dataIndex: 'name' },
                { title: t('sup.col.open'), dataIndex: 'open' },
                { title: t('sup.level.yellow'), dataIndex: 'yellow' },
                { title: t('sup.level.red'), dataIndex: 'red' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sup.chart.trend')}>
            <EChart option={trendOption} testId="chart-trend" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sup.chart.ranking')}>
            <EChart option={rankOption} testId="chart-ranking" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sup.chart.regions')}>
            <EChart option={regionOption} testId="chart-regions" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sup.figures')}>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={FIGURE_ROWS.map((r) => ({ ...r, value: figures.data?.figures[r.key] ?? null }))}
              onRow={(r) =>
                ({ 'data-testid': 'figure', 'data-key': r.key }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                { title: t('sup.col.figure'), dataIndex: 'label', render: (k: MessageKey) => t(k) },
                {
                  title: t('sup.col.value'),
                  dataIndex: 'value',
                  render: (v: number | null, r: { unit: string; key: string }) => (
                    <span data-testid="figure-value">
                      {v === null ? '—' : `${v}${r.unit === '%' ? '%' : ''}`}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
