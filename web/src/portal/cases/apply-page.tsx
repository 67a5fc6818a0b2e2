import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Button, Card, Flex, Form, Input, Skeleton, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { type CaseDetail, casesApi } from '../../api/cases';
import { catalogApi, type Guide } from '../../api/catalog';
import { isApiError } from '../../api/client';
import { useReportError } from '../../components/api-errors';
import { type MaterialRowData, MaterialsList, rowsOf } from '../../components/case-materials';
import '../../components/cases.css';
import { ErrorResult } from '../../components/error-result';
import { type Translate, useT } from '../../i18n/i18n';

type FormValues = { fields: { key: string; value: string }[] };

const EDITABLE = ['draft', 'returned'];

/** The material rows before the case exists: the item's list as the guide gives it. */
function guideRows(guide: Guide): MaterialRowData[] {
  return guide.materials.map((m) => ({
    position: m.index,
    name: m.name,
    required: m.required,
    allowDeficiency: guide.flags.allowDeficiency && m.allowDeficiency && !m.essential,
    hint: m.notes || undefined,
  }));
}

function initialFields(t: Translate, detail: CaseDetail | undefined): FormValues {
  const entries = Object.entries(detail?.form ?? {});
  if (entries.length > 0) return { fields: entries.map(([key, value]) => ({ key, value })) };
  return {
    fields: [
      { key: t('apply.defaultPurpose'), value: '' },
      { key: t('apply.defaultAddress'), value: '' },
    ],
  };
}

/** The server's `materials.N` errors by position. */
function materialErrorsOf(error: unknown): Record<number, string> {
  const found: Record<number, string> = {};
  if (!isApiError(error)) return found;
  for (const f of error.fields) {
    const match = /^materials\.(\d+)$/.exec(f.field);
    if (match) found[Number(match[1])] = f.message;
  }
  return found;
}

/**
 * 在线申请 (/portal/apply/:itemCode): the application form (free fields), the item's materials with an upload
 * or a reuse from the library for each, save as a draft and submit. The draft is made on the first save or
 * upload and its id kept in the address (?draft=…), so that the applicant can come back to it; a case
 * returned by the pre-review is edited here too and submitted again.
 */
export function ApplyPage() {
  const t = useT();
  const { itemCode = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<FormValues>();
  const [caseId, setCaseId] = useState<string | null>(params.get('draft'));
  const [materialErrors, setMaterialErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const creating = useRef<Promise<CaseDetail> | null>(null);

  const guide = useQuery({
    queryKey: ['catalog', 'guide', itemCode, ''],
    queryFn: () => catalogApi.guide(itemCode),
  });
  const detail = useQuery({
    queryKey: ['cases', caseId],
    queryFn: () => casesApi.get(caseId as string),
    enabled: caseId !== null,
  });

  const remember = (d: CaseDetail) => {
    queryClient.setQueryData(['cases', d.id], d);
    void queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
  };

  const formData = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const row of form.getFieldValue('fields') ?? []) {
      const key = row?.key?.trim();
      if (key) out[key] = row.value ?? '';
    }
    return out;
  };

  /** The draft, made now if there is none yet (with the form as it stands). */
  const ensureDraft = (): Promise<CaseDetail> => {
    const current = caseId ? queryClient.getQueryData<CaseDetail>(['cases', caseId]) : undefined;
    if (current) return Promise.resolve(current);
    if (!creating.current) {
      creating.current = casesApi
        .create({ itemCode, form: formData() })
        .then((d) => {
          remember(d);
          setCaseId(d.id);
          setParams(
            (p) => {
              p.set('draft', d.id);
              return p;
            },
            { replace: true },
          );
          return d;
        })
        .finally(() => {
          creating.current = null;
        });
    }
    return creating.current;
  };

  /** Writes the form to the draft (making the draft if needed) and returns the case as it is now. */
  const saveForm = async (): Promise<CaseDetail> => {
    const existing = caseId ? queryClient.getQueryData<CaseDetail>(['cases', caseId]) : undefined;
    if (!existing) return ensureDraft();
    const saved = await casesApi.saveDraft(existing.id, { version: existing.version, form: formData() });
    remember(saved);
    return saved;
  };

  const save = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy('save');
    try {
      const d = await saveForm();
      message.success(t('apply.draftSaved', { number: d.number }));
    } catch (error) {
      report(error);
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy('submit');
    setMaterialErrors({});
    try {
      const d = await saveForm();
      const action = d.actions.includes('resubmit') ? 'resubmit' : 'submit';
      const submitted = await casesApi.act(d.id, action, { version: d.version });
      remember(submitted);
      message.success(t('apply.submitted'));
      navigate(`/portal/cases/${submitted.id}`);
    } catch (error) {
      const errors = materialErrorsOf(error);
      if (Object.keys(errors).length > 0) {
        setMaterialErrors(errors);
        document.getElementById('apply-materials')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      } else {
        report(error);
      }
    } finally {
      setBusy(null);
    }
  };

  if (guide.isError) return <ErrorResult error={guide.error} onRetry={() => void guide.refetch()} />;
  if (detail.isError) return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!guide.data || (caseId !== null && !detail.data)) return <Skeleton active paragraph={{ rows: 10 }} />;
  const g = guide.data;
  const d = detail.data;
  const editable = !d || EDITABLE.includes(d.status);
  const hints = new Map(g.materials.map((m) => [m.index, m.notes]));
  const rows: MaterialRowData[] = d
    ? rowsOf(d.materials).map((r) => ({ ...r, hint: hints.get(r.position) || undefined }))
    : guideRows(g);
  const returnReason =
    d?.status === 'returned'
      ? [...d.timeline].reverse().find((e) => e.action === 'preReviewReturn')?.reason
      : undefined;
  const missingCount = Object.keys(materialErrors).length;

  return (
    <div className="tb-portal-narrow" data-testid="apply-page">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to="/portal/cases">{t('portal.menu.cases')}</Link> },
          {
            title: (
              <Link to={`/portal/catalog/items/${encodeURIComponent(g.code)}`}>{t('apply.backToGuide')}</Link>
            ),
          },
        ]}
      />
      <Typography.Title level={2} style={{ fontSize: 22, marginTop: 0, marginBottom: 4 }}>
        {t('apply.title', { name: g.name })}
      </Typography.Title>
      <Typography.Paragraph style={{ marginBottom: 16 }}>
        {t('apply.itemInfo', { department: g.department.name, days: g.timeLimits.promisedDays })}
        {d ? (
          <>
            {' · '}
            <span data-testid="apply-number">{t('apply.draftOf', { number: d.number })}</span>
          </>
        ) : null}
      </Typography.Paragraph>

      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {!g.apply.online ? <Alert type="info" showIcon title={t('apply.windowOnly')} /> : null}
        {returnReason ? (
          <Alert
            type="warning"
            showIcon
            data-testid="apply-returned"
            title={t('apply.returnedReason', { reason: returnReason })}
          />
        ) : null}
        {!editable && d ? (
          <Alert
            type="info"
            showIcon
            title={t('apply.notEditable')}
            action={
              <Link to={`/portal/cases/${d.id}`}>
                <Button size="small">{t('apply.viewCase')}</Button>
              </Link>
            }
          />
        ) : null}

        <Card title={<h3 className="tb-card-title">{t('apply.formTitle')}</h3>}>
          <Typography.Paragraph type="secondary">{t('apply.formHint')}</Typography.Paragraph>
          <Form<FormValues>
            form={form}
            name="apply"
            layout="vertical"
            initialValues={initialFields(t, d)}
            disabled={!editable}
            data-testid="apply-form"
          >
            <Form.List name="fields">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, index) => (
                    <Flex key={field.key} gap="small" wrap align="start" data-testid="apply-field">
                      <Form.Item
                        name={[field.name, 'key']}
                        label={t('apply.fieldKey', { n: index + 1 })}
                        style={{ flex: '1 1 160px', marginBottom: 12 }}
                        rules={[
                          { required: true, whitespace: true, message: t('form.required') },
                          {
                            validator: (_, value: string | undefined) => {
                              const all: { key?: string }[] = form.getFieldValue('fields') ?? [];
                              const same = all.filter(
                                (r) => r?.key?.trim() && r.key.trim() === value?.trim(),
                              );
                              return same.length > 1
                                ? Promise.reject(new Error(t('apply.duplicateKey')))
                                : Promise.resolve();
                            },
                          },
                        ]}
                      >
                        <Input maxLength={60} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'value']}
                        label={t('apply.fieldValue', { n: index + 1 })}
                        style={{ flex: '3 1 260px', marginBottom: 12 }}
                      >
                        <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={4000} />
                      </Form.Item>
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined aria-hidden="true" />}
                        aria-label={t('apply.removeField', { n: index + 1 })}
                        onClick={() => remove(field.name)}
                        style={{ marginTop: 30 }}
                      />
                    </Flex>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined aria-hidden="true" />}
                    onClick={() => add({ key: '', value: '' })}
                    data-testid="apply-add-field"
                  >
                    {t('apply.addField')}
                  </Button>
                </>
              )}
            </Form.List>
          </Form>
        </Card>

        <Card id="apply-materials" title={<h3 className="tb-card-title">{t('apply.materialsTitle')}</h3>}>
          <Typography.Paragraph type="secondary">{t('apply.materialsHint')}</Typography.Paragraph>
          {missingCount > 0 ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              style={{ marginBottom: 12 }}
              title={t('apply.fixMaterials')}
              data-testid="apply-material-errors"
            />
          ) : null}
          <MaterialsList
            rows={rows}
            caseId={d?.id}
            ensureCase={ensureDraft}
            canAttach={() => editable}
            library
            errors={materialErrors}
            onChanged={(updated, position) => {
              remember(updated);
              setMaterialErrors(({ [position]: _done, ...rest }) => rest);
            }}
          />
        </Card>

        {editable ? (
          <div className="tb-action-bar">
            <Flex justify="flex-end" gap="small" wrap>
              <Button
                onClick={() => void save()}
                loading={busy === 'save'}
                disabled={busy === 'submit'}
                data-testid="apply-save"
              >
                {t('apply.saveDraft')}
              </Button>
              <Button
                type="primary"
                onClick={() => void submit()}
                loading={busy === 'submit'}
                disabled={busy === 'save'}
                data-testid="apply-submit"
              >
                {d?.status === 'returned' ? t('apply.resubmit') : t('apply.submit')}
              </Button>
            </Flex>
          </div>
        ) : null}
      </Space>
    </div>
  );
}
