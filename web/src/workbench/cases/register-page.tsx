import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Radio } from 'antd';
import { useNavigate } from 'react-router';
import { type ApplicantInput, type CaseDetail, casesApi } from '../../api/cases';
import { catalogApi } from '../../api/catalog';
import { MOBILE_PATTERN, RESIDENT_ID_PATTERN, USCC_PATTERN } from '../../auth/patterns';
import { useSession } from '../../auth/session';
import { useReportError } from '../../components/api-errors';
import { PageContainer } from '../../components/page-container';
import { RemoteSelect } from '../../components/remote-select';
import { useT } from '../../i18n/i18n';

type Values = {
  itemCode: string;
  applicant: ApplicantInput;
  formLines?: string;
};

/** "名称：内容" lines of the application form, as free key/value fields. */
function parseFormLines(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const match = /^\s*([^:：]+?)\s*[:：]\s*(.*)$/.exec(line);
    if (match?.[1]) out[match[1].slice(0, 60)] = match[2] ?? '';
  }
  return out;
}

/**
 * 窗口登记 (/workbench/register): a clerk registers a walk-in applicant — a person with a resident ID or an
 * enterprise with its credit code — for an item found by search; the case gets its number at once (预登记,
 * 统一发号) and opens on its page, where the scans are uploaded and the case is accepted (or, for a 即办件,
 * completed on the spot). A proxy agent (代办员) registers the same way, recorded as proxy.
 */
export function RegisterPage() {
  const t = useT();
  const { activeRole } = useSession();
  const proxy = activeRole?.role === 'proxy_agent';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch(['applicant', 'kind'], form) ?? 'enterprise';
  const register = useMutation({
    mutationFn: (values: Values) => {
      const a = values.applicant;
      return casesApi.create({
        itemCode: values.itemCode,
        channel: proxy ? 'proxy' : 'window',
        applicant: {
          kind: a.kind,
          name: a.name.trim(),
          mobile: a.mobile.trim(),
          ...(a.kind === 'person' ? { idNumber: a.idNumber?.trim().toUpperCase() } : {}),
          ...(a.kind === 'enterprise' ? { uscc: a.uscc?.trim().toUpperCase() } : {}),
          ...(a.email?.trim() ? { email: a.email.trim() } : {}),
        },
        form: parseFormLines(values.formLines),
      });
    },
    onSuccess: (d: CaseDetail) => {
      queryClient.setQueryData(['cases', d.id], d);
      void queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
      message.success(t('walkIn.registered', { number: d.number }));
      navigate(`/workbench/cases/${d.id}`);
    },
    onError: (error) => report(error, form),
  });
  const required = { required: true, whitespace: true, message: t('form.required') };

  return (
    <PageContainer
      title={proxy ? t('walkIn.proxyTitle') : t('walkIn.title')}
      subTitle={proxy ? t('walkIn.proxyIntro') : t('walkIn.intro')}
    >
      <Card style={{ maxWidth: 720 }}>
        <Form<Values>
          form={form}
          name="walk-in"
          layout="vertical"
          initialValues={{ applicant: { kind: 'enterprise' } }}
          onFinish={(values) => register.mutate(values)}
          data-testid="walk-in-form"
        >
          <Form.Item
            name="itemCode"
            label={t('walkIn.item')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <RemoteSelect
              queryKey={['catalog', 'search-items']}
              placeholder={t('walkIn.itemSearch')}
              load={async (q) =>
                (await catalogApi.search({ q: q || undefined, pageSize: 20 })).items.map((hit) => ({
                  value: hit.code,
                  label: `${hit.name} · ${hit.departmentName}`,
                }))
              }
            />
          </Form.Item>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 15, fontWeight: 600, marginBottom: 12 }}>
              {t('walkIn.applicant')}
            </legend>
            <Form.Item name={['applicant', 'kind']} label={t('case.applicantKind')} rules={[required]}>
              <Radio.Group
                options={[
                  { value: 'enterprise', label: t('register.kindEnterprise') },
                  { value: 'person', label: t('register.kindPerson') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name={['applicant', 'name']}
              label={kind === 'person' ? t('register.personName') : t('register.enterpriseName')}
              rules={[required]}
            >
              <Input maxLength={100} />
            </Form.Item>
            {kind === 'person' ? (
              <Form.Item
                name={['applicant', 'idNumber']}
                label={t('case.idNumber')}
                rules={[required, { pattern: RESIDENT_ID_PATTERN, message: t('validation.idNumber') }]}
              >
                <Input maxLength={18} autoComplete="off" />
              </Form.Item>
            ) : (
              <Form.Item
                name={['applicant', 'uscc']}
                label={t('case.uscc')}
                normalize={(v: string) => v?.toUpperCase()}
                rules={[required, { pattern: USCC_PATTERN, message: t('validation.uscc') }]}
              >
                <Input maxLength={18} autoComplete="off" />
              </Form.Item>
            )}
            <Form.Item
              name={['applicant', 'mobile']}
              label={t('case.mobile')}
              rules={[required, { pattern: MOBILE_PATTERN, message: t('validation.mobile') }]}
            >
              <Input maxLength={11} inputMode="numeric" autoComplete="off" />
            </Form.Item>
            <Form.Item name={['applicant', 'email']} label={t('walkIn.email')} rules={[{ type: 'email' }]}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </fieldset>
          <Form.Item name="formLines" label={t('walkIn.formLines')} extra={t('walkIn.formHint')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={register.isPending} data-testid="walk-in-submit">
            {t('walkIn.submit')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
