import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { casesApi, type Progress } from '../../api/cases';
import { isApiError } from '../../api/client';
import { anyStatusLabel, timelineLabel } from '../../components/case-labels';
import { CaseStatusTag } from '../../components/case-parts';
import '../../components/cases.css';
import { formatDateTime } from '../../components/format';
import { useT } from '../../i18n/i18n';

type Values = { number: string; code: string };

function Result({ p }: { p: Progress }) {
  const t = useT();
  return (
    <Card
      title={<h2 className="tb-card-title">{t('progress.result')}</h2>}
      data-testid="progress-result"
      style={{ marginTop: 16 }}
    >
      <dl className="tb-guide-dl">
        <dt>{t('case.number')}</dt>
        <dd>{p.number}</dd>
        <dt>{t('case.item')}</dt>
        <dd>{p.itemName}</dd>
        <dt>{t('case.department')}</dt>
        <dd>{p.departmentName}</dd>
        <dt>{t('case.status')}</dt>
        <dd>
          <CaseStatusTag status={p.status} />
        </dd>
        <dt>{t('case.step')}</dt>
        <dd>{p.stepName ?? '—'}</dd>
        <dt>{t('case.receivedAt')}</dt>
        <dd>{formatDateTime(p.receivedAt)}</dd>
        <dt>{t('case.acceptedAt')}</dt>
        <dd>{formatDateTime(p.acceptedAt)}</dd>
        <dt>{t('case.promisedDue')}</dt>
        <dd>{p.promisedDue ?? '—'}</dd>
        <dt>{t('progress.completedAt')}</dt>
        <dd>{formatDateTime(p.completedAt)}</dd>
      </dl>
      <h3 style={{ fontSize: 15, marginTop: 16 }}>{t('case.timeline')}</h3>
      <Timeline
        items={p.timeline.map((e, i) => ({
          key: `${e.at}-${i}`,
          color: i === p.timeline.length - 1 ? 'blue' : 'gray',
          title: formatDateTime(e.at),
          content: (
            <span data-testid="progress-entry">
              <strong>{timelineLabel(t, e.action)}</strong>
              {e.stepName ? ` · ${e.stepName}` : ''} → {anyStatusLabel(t, e.toStatus)}
            </span>
          ),
        }))}
      />
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('progress.privacy')}
      </Typography.Paragraph>
    </Card>
  );
}

/**
 * 办件进度查询 (/progress): anyone with the case number and the last six characters of the applicant's ID or
 * credit code (or the mobile number) sees the status and the timeline — no name, no phone, no login. The QR
 * code on every notice leads here with the number filled in.
 */
export function ProgressPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const number = params.get('number') ?? '';
  const [form] = Form.useForm<Values>();
  // The code stays out of the address bar (and the browser history): it is kept in the page's state only.
  const [asked, setAsked] = useState<Values | null>(null);
  const query = useQuery({
    queryKey: ['progress', asked?.number, asked?.code],
    queryFn: () => casesApi.progress(asked?.number ?? '', asked?.code ?? ''),
    enabled: asked !== null,
    retry: false,
    staleTime: 0,
  });
  const required = { required: true, whitespace: true, message: t('form.required') };

  return (
    <div className="tb-portal-narrow" data-testid="progress-page">
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('progress.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('progress.intro')}</Typography.Paragraph>
      <Card>
        <Form<Values>
          form={form}
          name="progress"
          layout="vertical"
          initialValues={{ number, code: '' }}
          onFinish={(values) => {
            const next = { number: values.number.trim(), code: values.code.trim() };
            if (asked?.number === next.number && asked.code === next.code) void query.refetch();
            setAsked(next);
            setParams(
              (p) => {
                p.set('number', next.number);
                return p;
              },
              { replace: true },
            );
          }}
        >
          <Form.Item
            name="number"
            label={t('progress.number')}
            extra={t('progress.numberHint')}
            rules={[required]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('progress.code')}
            extra={t('progress.codeHint')}
            rules={[required, { min: 4, max: 18, message: t('progress.codeHint') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={query.isFetching} data-testid="progress-submit">
            {t('progress.query')}
          </Button>
        </Form>
      </Card>
      {query.isError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginTop: 16 }}
          data-testid="progress-error"
          title={isApiError(query.error) ? query.error.message : t('error.loadFailed')}
        />
      ) : null}
      {query.data ? <Result p={query.data} /> : null}
    </div>
  );
}
