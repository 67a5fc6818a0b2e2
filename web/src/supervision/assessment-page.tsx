import { useQuery } from '@tanstack/react-query';
import { Segmented, Space, Table } from 'antd';
import { useState } from 'react';
import { supervisionApi } from '../api/supervision';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';

/** 考核: scores and ranking of departments, windows and staff by month, quarter or year. */
export function AssessmentPage() {
  const t = useT();
  const [period, setPeriod] = useState<'month' | 'quarter' | 'year'>('month');
  const [level, setLevel] = useState<'department' | 'window' | 'staff'>('department');
  const q = useQuery({
    queryKey: ['supervision', 'assessment', period, level],
    queryFn: () => supervisionApi.assessment({ period, level }),
  });
  return (
    <PageContainer
      title={t('sup.assessment.title')}
      subTitle={q.data ? `${q.data.from} — ${q.data.to}` : undefined}
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented
          value={period}
          onChange={(v) => setPeriod(v as typeof period)}
          options={(['month', 'quarter', 'year'] as const).map((p) => ({
            value: p,
            label: t(`sup.period.${p}`),
          }))}
        />
        <Segmented
          value={level}
          onChange={(v) => setLevel(v as typeof level)}
          options={(['department', 'window', 'staff'] as const).map((d) => ({
            value: d,
            label: t(`sup.dim.${d}`),
          }))}
        />
      </Space>
      <Table
        size="small"
        rowKey="key"
        loading={q.isLoading}
        dataSource={q.data?.rows ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('sup.col.rank'), dataIndex: 'rank' },
          { title: t('sup.col.name'), dataIndex: 'name' },
          { title: t('sup.fig.completed'), dataIndex: 'completed' },
          {
            title: t('sup.fig.onTimeRate'),
            dataIndex: 'onTimeRate',
            render: (v: number | null) => (v === null ? '—' : `${v}%`),
          },
          { title: t('sup.col.alerts'), dataIndex: 'alerts' },
          { title: t('sup.card.yellow'), dataIndex: 'yellowCards' },
          { title: t('sup.card.red'), dataIndex: 'redCards' },
          { title: t('sup.col.score'), dataIndex: 'score' },
        ]}
      />
    </PageContainer>
  );
}
