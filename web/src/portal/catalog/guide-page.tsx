import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Collapse, Flex, Skeleton, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { catalogApi, type Guide } from '../../api/catalog';
import { useSession } from '../../auth/session';
import { vocabLabel, yuan } from '../../components/catalog-labels';
import { ErrorResult } from '../../components/error-result';
import { Flowchart } from '../../components/flowchart';
import { useT } from '../../i18n/i18n';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card
      className="tb-guide-section"
      id={id}
      data-testid={`guide-${id}`}
      title={
        <h2 style={{ fontSize: 17, margin: 0 }} id={`${id}-title`}>
          {title}
        </h2>
      }
    >
      {children}
    </Card>
  );
}

function Fact({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="tb-fact" data-testid={testId}>
      <div className="tb-fact-label">{label}</div>
      <div className="tb-fact-value">{value}</div>
    </div>
  );
}

function FileLink({
  file,
  label,
}: {
  file: NonNullable<Guide['materials'][number]['blankForm']>;
  label: string;
}) {
  return (
    <a href={file.url} download={file.name} data-testid="guide-download">
      <DownloadOutlined aria-hidden="true" /> {label}
      <span className="tb-visually-hidden">: {file.name}</span>
    </a>
  );
}

function Materials({ guide }: { guide: Guide }) {
  const t = useT();
  if (guide.materials.length === 0)
    return <Typography.Text>{t('catalog.guide.noMaterials')}</Typography.Text>;
  return (
    <ol style={{ paddingLeft: 20, margin: 0 }}>
      {guide.materials.map((m) => (
        <li key={m.index} className="tb-material" data-testid="guide-material">
          <span className="tb-material-name">{m.name}</span>
          <Flex gap={4} wrap style={{ margin: '6px 0' }}>
            {m.required ? (
              <Tag color="error">{t('catalog.requirement.required')}</Tag>
            ) : (
              <Tag color="warning">{t('catalog.requirement.conditional')}</Tag>
            )}
            <Tag>{vocabLabel(t, 'materialKind', m.kind)}</Tag>
            <Tag>{t('catalog.guide.copies', { n: m.copies })}</Tag>
            {m.paperSize !== 'none' ? <Tag>{vocabLabel(t, 'paperSize', m.paperSize)}</Tag> : null}
            {m.essential ? <Tag color="error">{t('catalog.material.essential')}</Tag> : null}
            {m.allowDeficiency ? <Tag color="success">{t('catalog.guide.deficiencyAllowed')}</Tag> : null}
            {m.source === 'e_licence' ? (
              <Tag color="processing">{t('catalog.guide.eLicence', { type: m.licenceType })}</Tag>
            ) : m.source === 'department' ? (
              <Tag>
                {m.issuer
                  ? t('catalog.guide.issuedBy', { issuer: m.issuer })
                  : t('catalog.materialSource.department')}
              </Tag>
            ) : null}
          </Flex>
          {m.condition ? (
            <Typography.Paragraph style={{ margin: '4px 0' }}>
              {t('catalog.guide.when', { condition: m.condition })}
            </Typography.Paragraph>
          ) : null}
          {m.notes ? (
            <Typography.Paragraph style={{ margin: '4px 0' }} type="secondary">
              {m.notes}
            </Typography.Paragraph>
          ) : null}
          {m.blankForm || m.sample ? (
            <Flex gap="middle" wrap>
              {m.blankForm ? <FileLink file={m.blankForm} label={t('catalog.guide.blankForm')} /> : null}
              {m.sample ? <FileLink file={m.sample} label={t('catalog.guide.sample')} /> : null}
            </Flex>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function TimeLimits({ guide }: { guide: Guide }) {
  const t = useT();
  const { legalDays, promisedDays, savedDays } = guide.timeLimits;
  const width = (days: number) =>
    `${legalDays === 0 ? 0 : Math.max(2, Math.round((days / legalDays) * 100))}%`;
  return (
    <div>
      <Flex vertical gap="small">
        <div>
          <Flex justify="space-between">
            <span>{t('catalog.field.legalLimitDays')}</span>
            <strong data-testid="guide-legal-days">{t('catalog.days', { days: legalDays })}</strong>
          </Flex>
          <div className="tb-limit-bar" aria-hidden="true">
            <span style={{ width: legalDays === 0 ? '0%' : '100%', background: '#5b6b85' }} />
          </div>
        </div>
        <div>
          <Flex justify="space-between">
            <span>{t('catalog.field.promisedLimitDays')}</span>
            <strong data-testid="guide-promised-days">{t('catalog.days', { days: promisedDays })}</strong>
          </Flex>
          <div className="tb-limit-bar" aria-hidden="true">
            <span style={{ width: width(promisedDays) }} />
          </div>
        </div>
      </Flex>
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
        {guide.timeLimits.caseKind.key === 'immediate'
          ? t('catalog.guide.immediateHint')
          : savedDays > 0
            ? t('catalog.guide.saved', { days: savedDays })
            : t('catalog.guide.promisedHint')}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('catalog.guide.workingDays')}
      </Typography.Paragraph>
    </div>
  );
}

function Fees({ guide }: { guide: Guide }) {
  const t = useT();
  if (guide.fees.free)
    return <Typography.Text data-testid="guide-free">{t('catalog.guide.free')}</Typography.Text>;
  return (
    <ul style={{ paddingLeft: 20, margin: 0 }}>
      {guide.fees.items.map((fee) => (
        <li key={fee.code} style={{ marginBottom: 8 }}>
          <strong>{fee.name}</strong>
          {': '}
          {fee.standardFen !== null
            ? t('catalog.guide.feeAmount', { amount: yuan(fee.standardFen), unit: fee.unit || '—' })
            : fee.standardRule}
          {fee.note ? ` (${fee.note})` : ''}
          {fee.reducible ? (
            <Tag color="success" style={{ marginLeft: 8 }}>
              {t('catalog.field.reducible')}
            </Tag>
          ) : null}
          {fee.legalBasis ? (
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('catalog.field.feeBasis')}: {fee.legalBasis}
            </Typography.Paragraph>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function ApplyBar({ guide }: { guide: Guide }) {
  const t = useT();
  const { me } = useSession();
  const navigate = useNavigate();
  const staff = me?.accountType === 'staff';
  // Anonymous visitors pass through the login page and come back to the application.
  const link = `/portal/apply/${encodeURIComponent(guide.code)}?versionId=${guide.versionId}`;
  const button = (
    <Button
      type="primary"
      size="large"
      disabled={staff}
      data-testid="guide-apply"
      style={{ minWidth: 160 }}
      onClick={() => navigate(link)}
    >
      {guide.apply.online ? t('catalog.guide.applyOnline') : t('catalog.guide.apply')}
    </Button>
  );
  return (
    <div className="tb-apply-bar">
      <Flex justify="space-between" align="center" gap="small" wrap>
        <Typography.Text>
          {guide.apply.online ? t('catalog.guide.onlineHint') : t('catalog.guide.windowHint')}
        </Typography.Text>
        {staff ? (
          <Tooltip title={t('catalog.guide.applicantsOnly')}>
            <span>{button}</span>
          </Tooltip>
        ) : (
          button
        )}
      </Flex>
    </div>
  );
}

/** 办事指南 / 服务卡片: everything an applicant needs to know before applying, readable on a phone. */
export function GuidePage() {
  const t = useT();
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const versionId = params.get('versionId') ?? undefined;
  const query = useQuery({
    queryKey: ['catalog', 'guide', code, versionId ?? ''],
    queryFn: () => catalogApi.guide(code, versionId),
  });
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton active paragraph={{ rows: 12 }} />;
  const g = query.data;
  // The guide's flowchart names each step's role in Chinese; the steps carry the key, named in the reader's language.
  const nodes = g.process.nodes.map((n) => {
    const match = /^s(\d+)$/.exec(n.id);
    const step = match ? g.process.steps[Number(match[1]) - 1] : undefined;
    return step ? { ...n, role: step.role } : { ...n, role: null };
  });
  const themes = [...g.themes.lifeEvents, ...g.themes.enterpriseStages];
  const flags = [
    g.flags.allowDeficiency ? t('catalog.field.allowDeficiency') : '',
    g.flags.commitmentApproval ? t('catalog.field.commitmentApproval') : '',
    g.flags.deemedApproval ? t('catalog.field.deemedApproval') : '',
    g.handling.appointment ? t('catalog.field.appointment') : '',
  ].filter(Boolean);

  return (
    <article data-testid="guide" aria-labelledby="guide-title">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to="/portal/catalog">{t('catalog.public.search')}</Link> },
          { title: t('catalog.guide.title') },
        ]}
      />
      <header style={{ marginBottom: 16 }}>
        <Typography.Title level={1} id="guide-title" style={{ fontSize: 24, marginBottom: 8 }}>
          {g.name}
        </Typography.Title>
        <Flex gap={4} wrap style={{ marginBottom: 8 }}>
          <Tag color="processing">{vocabLabel(t, 'powerType', g.type.code)}</Tag>
          <Tag color={g.timeLimits.caseKind.key === 'immediate' ? 'success' : 'default'}>
            {vocabLabel(t, 'caseKind', g.timeLimits.caseKind.key)}
          </Tag>
          {g.serviceObjects.map((o) => (
            <Tag key={o.key}>{vocabLabel(t, 'serviceObject', o.key)}</Tag>
          ))}
          {themes.map((theme) => (
            <Link key={theme} to={`/portal/catalog?theme=${encodeURIComponent(theme)}`}>
              <Tag>{theme}</Tag>
            </Link>
          ))}
        </Flex>
        <Typography.Paragraph style={{ marginBottom: 4 }}>
          {t('catalog.field.implementingDepartment')}: {g.department.name}
          {g.entrustingDepartment
            ? ` (${t('catalog.field.entrustingDepartment')}: ${g.entrustingDepartment.name})`
            : ''}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('catalog.field.code')}: {g.code} · {t('catalog.field.basicCode')}: {g.basicCode} ·{' '}
          {t('catalog.guide.effectiveFrom', { date: g.effectiveFrom })}
        </Typography.Paragraph>
      </header>

      {versionId ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('catalog.guide.historicVersion')} />
      ) : null}

      <div className="tb-guide-facts" style={{ marginBottom: 16 }}>
        <Fact
          label={t('catalog.field.promisedLimitDays')}
          value={t('catalog.days', { days: g.timeLimits.promisedDays })}
        />
        <Fact
          label={t('catalog.field.legalLimitDays')}
          value={t('catalog.days', { days: g.timeLimits.legalDays })}
        />
        <Fact
          label={t('catalog.field.visits')}
          value={
            g.handling.visits === 0
              ? t('catalog.visits.zero')
              : t('catalog.visits.n', { n: g.handling.visits })
          }
          testId="guide-visits"
        />
        <Fact
          label={t('catalog.field.fees')}
          value={g.fees.free ? t('catalog.guide.free') : t('catalog.guide.charged')}
        />
      </div>

      <Section id="conditions" title={t('catalog.field.conditions')}>
        {g.conditions.length > 0 ? (
          <ol style={{ paddingLeft: 20, margin: 0 }}>
            {g.conditions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
        ) : (
          <Typography.Text>{t('catalog.guide.noConditions')}</Typography.Text>
        )}
        {g.standardConditions.length > 0 ? (
          <>
            <h3 style={{ fontSize: 15, marginTop: 16 }}>{t('catalog.guide.standardConditions')}</h3>
            <ul style={{ paddingLeft: 20, margin: 0 }}>
              {g.standardConditions.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>

      <Section id="materials" title={t('catalog.field.materials')}>
        <Materials guide={g} />
      </Section>

      <Section id="limits" title={t('catalog.guide.timeLimits')}>
        <TimeLimits guide={g} />
      </Section>

      <Section id="fees" title={t('catalog.field.fees')}>
        <Fees guide={g} />
      </Section>

      <Section id="process" title={t('catalog.flow.title')}>
        <Flowchart nodes={nodes} edges={g.process.edges} roleIsKey />
      </Section>

      <Section id="handling" title={t('catalog.guide.where')}>
        <dl className="tb-guide-dl">
          <dt>{t('catalog.field.place')}</dt>
          <dd data-testid="guide-place">{g.handling.place || '—'}</dd>
          <dt>{t('catalog.field.hours')}</dt>
          <dd>{g.handling.hours || '—'}</dd>
          {g.handling.phone ? (
            <>
              <dt>{t('catalog.field.phone')}</dt>
              <dd>
                <a href={`tel:${g.handling.phone.replace(/[^\d+-]/g, '')}`}>{g.handling.phone}</a>
              </dd>
            </>
          ) : null}
          <dt>{t('catalog.field.handlingForms')}</dt>
          <dd>{g.handling.forms.map((f) => vocabLabel(t, 'handlingForm', f.key)).join('、')}</dd>
          <dt>{t('catalog.field.onlineDepth')}</dt>
          <dd data-testid="guide-depth">{vocabLabel(t, 'onlineDepth', g.handling.onlineDepth)}</dd>
          <dt>{t('catalog.field.visits')}</dt>
          <dd>
            {g.handling.visits === 0
              ? t('catalog.visits.zero')
              : t('catalog.visits.n', { n: g.handling.visits })}
          </dd>
          <dt>{t('catalog.field.levels')}</dt>
          <dd>{g.handling.levels.map((l) => vocabLabel(t, 'level', l.key)).join('、')}</dd>
          <dt>{t('catalog.field.tongbanRange')}</dt>
          <dd>{vocabLabel(t, 'tongbanRange', g.handling.tongbanRange.key)}</dd>
          {flags.length > 0 ? (
            <>
              <dt>{t('catalog.guide.convenience')}</dt>
              <dd>{flags.join('、')}</dd>
            </>
          ) : null}
        </dl>
      </Section>

      <Section id="result" title={t('catalog.field.result')}>
        <Typography.Paragraph style={{ marginBottom: 4 }}>
          {vocabLabel(t, 'resultKind', g.result.kind)}
          {g.result.name ? `: ${g.result.name}` : ''}
        </Typography.Paragraph>
        {g.result.sample ? <FileLink file={g.result.sample} label={t('catalog.guide.resultSample')} /> : null}
        {g.intermediaries.length > 0 ? (
          <>
            <h3 style={{ fontSize: 15, marginTop: 16 }}>{t('catalog.field.intermediaryCodes')}</h3>
            <ul style={{ paddingLeft: 20, margin: 0 }}>
              {g.intermediaries.map((i) => (
                <li key={i.code}>
                  {i.name} ({vocabLabel(t, 'feeBasis', i.feeBasis)}
                  {i.limitDays !== null ? `, ${t('catalog.days', { days: i.limitDays })}` : ''})
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {g.supervision.length > 0 ? (
          <>
            <h3 style={{ fontSize: 15, marginTop: 16 }}>{t('catalog.guide.supervision')}</h3>
            <ul style={{ paddingLeft: 20, margin: 0 }}>
              {g.supervision.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>

      {g.legalBasis ? (
        <Section id="basis" title={t('catalog.field.legalBasis')}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 0 }}>
            {g.legalBasis}
          </Typography.Paragraph>
        </Section>
      ) : null}

      {g.faq.length > 0 ? (
        <Section id="faq" title={t('catalog.field.faq')}>
          <Collapse
            ghost
            items={g.faq.map((f, i) => ({
              key: String(i),
              label: f.question,
              children: <Typography.Paragraph style={{ margin: 0 }}>{f.answer}</Typography.Paragraph>,
            }))}
          />
        </Section>
      ) : null}

      <ApplyBar guide={g} />
    </article>
  );
}
