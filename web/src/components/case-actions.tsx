import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import {
  type ActionInput,
  CASE_ACTIONS,
  type CaseAction,
  type CaseDetail,
  casesApi,
  DELIVERY_METHODS,
  type DeliveryMethod,
  isVersionConflict,
  SUSPENSION_KINDS,
  type SuspensionKind,
} from '../api/cases';
import { isApiError } from '../api/client';
import { useT } from '../i18n/i18n';
import { applyFieldErrors } from './api-errors';
import { caseActionLabel, deliveryLabel, suspensionLabel } from './case-labels';

type Audience = 'staff' | 'applicant';

/** The system's own acts never show as buttons. */
const SYSTEM_ACTIONS: readonly CaseAction[] = ['autoAccept', 'deemApprove'];
/** Actions that move the case forward: the page's primary buttons. */
const FORWARD: readonly CaseAction[] = [
  'submit',
  'resubmit',
  'preReviewPass',
  'accept',
  'completeOnSpot',
  'supplyCorrection',
  'pass',
  'approve',
  'issue',
  'resume',
  'deliver',
];
const DANGER: readonly CaseAction[] = ['refuse', 'deny', 'terminate', 'withdraw'];
/** Actions whose reason the server requires. */
const NEEDS_REASON: readonly CaseAction[] = [
  'preReviewReturn',
  'refuse',
  'returnStep',
  'deny',
  'suspend',
  'extend',
  'terminate',
];
/** Actions that are only confirmed: nothing to ask. */
const CONFIRM_ONLY: readonly CaseAction[] = [
  'submit',
  'resubmit',
  'supplyCorrection',
  'completeOnSpot',
  'issue',
  'resume',
];
const NEEDS_BASIS: readonly CaseAction[] = ['refuse', 'deny'];

export function visibleActions(detail: CaseDetail): CaseAction[] {
  return CASE_ACTIONS.filter((a) => detail.actions.includes(a) && !SYSTEM_ACTIONS.includes(a));
}

/** One button for each action the server allows now, in the order of the process. */
export function CaseActionButtons({
  detail,
  onAction,
  exclude = [],
}: {
  detail: CaseDetail;
  onAction: (action: CaseAction) => void;
  exclude?: readonly CaseAction[];
}) {
  const t = useT();
  const actions = visibleActions(detail).filter((a) => !exclude.includes(a));
  return (
    <Flex gap="small" wrap data-testid="case-actions">
      {actions.map((action) => (
        <Button
          key={action}
          type={FORWARD.includes(action) ? 'primary' : 'default'}
          danger={DANGER.includes(action)}
          onClick={() => onAction(action)}
          data-testid={`action-${action}`}
        >
          {caseActionLabel(t, action)}
        </Button>
      ))}
    </Flex>
  );
}

type Values = {
  reason?: string;
  legalBasis?: string;
  corrections?: { material?: string; problem?: string }[];
  deferredMaterials?: string[];
  commitment?: boolean;
  supplyBy?: Dayjs | null;
  toStep?: number;
  suspensionKind?: SuspensionKind;
  days?: number;
  deliveryMethod?: DeliveryMethod;
  trackingNumber?: string;
};

function initialValues(action: CaseAction, detail: CaseDetail, t: ReturnType<typeof useT>): Values {
  switch (action) {
    case 'requestCorrection':
      return {
        corrections: detail.materials
          .filter((m) => m.required && m.status !== 'provided')
          .map((m) => ({
            material: m.name,
            problem: m.status === 'deficient' && m.note ? m.note : t('action.correctionMissing'),
          })),
      };
    case 'accept':
      return {
        deferredMaterials: detail.materials
          .filter((m) => m.required && m.status !== 'provided' && m.allowDeficiency)
          .map((m) => m.name),
        commitment: false,
      };
    case 'returnStep':
      return { toStep: Math.max(detail.stepIndex - 1, 0) };
    case 'suspend':
      return { suspensionKind: 'suspension' };
    case 'deliver':
      return { deliveryMethod: 'pickup' };
    default:
      return {};
  }
}

function toInput(action: CaseAction, detail: CaseDetail, values: Values): ActionInput {
  const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const input: ActionInput = { version: detail.version };
  const reason = text(values.reason);
  if (reason) input.reason = reason;
  const legalBasis = text(values.legalBasis);
  if (legalBasis) input.legalBasis = legalBasis;
  if (action === 'requestCorrection') {
    input.corrections = (values.corrections ?? []).map((c) => ({
      material: c.material ?? '',
      problem: c.problem?.trim() ?? '',
    }));
  }
  if (action === 'accept' && values.deferredMaterials?.length) {
    input.deferredMaterials = values.deferredMaterials;
    input.commitment = values.commitment === true;
    if (values.supplyBy) input.supplyBy = values.supplyBy.format('YYYY-MM-DD');
  }
  if (action === 'approveOnCommitment') input.commitment = values.commitment === true;
  if (action === 'returnStep' && values.toStep !== undefined) input.toStep = values.toStep;
  if (action === 'suspend') input.suspensionKind = values.suspensionKind;
  if (action === 'extend') input.days = values.days;
  if (action === 'deliver' && values.deliveryMethod) {
    input.deliveryMethod = values.deliveryMethod;
    const tracking = text(values.trackingNumber);
    if (values.deliveryMethod === 'mail' && tracking) input.trackingNumber = tracking;
  }
  return input;
}

/**
 * Asks for what an action needs — a reason, the legal basis, the correction list (一次性告知), the 容缺
 * materials with the applicant's commitment, the days of an extension, the kind of suspension, the delivery —
 * and takes it. The server's field errors go under the fields; what names no field is shown in the dialog; a
 * stale version (someone else acted first) offers to reload.
 */
export function CaseActionDialog({
  detail,
  action,
  audience,
  onClose,
  onDone,
  onReload,
}: {
  detail: CaseDetail;
  action: CaseAction | null;
  audience: Audience;
  onClose: () => void;
  onDone: (detail: CaseDetail, action: CaseAction) => void;
  onReload: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const deferred = Form.useWatch('deferredMaterials', form) ?? [];
  const deliveryMethod = Form.useWatch('deliveryMethod', form);
  const open = action !== null;

  useEffect(() => {
    if (open) {
      setProblem(null);
      setConflict(false);
    }
  }, [open]);

  if (!action) return null;
  const label = caseActionLabel(t, action);
  const required = { required: true, message: t('form.required') };
  const staffDeliver = action === 'deliver' && audience === 'staff';
  const askReason = !CONFIRM_ONLY.includes(action) && !(action === 'deliver' && audience === 'applicant');
  const missingBlocking = detail.materials.filter(
    (m) => m.required && m.status !== 'provided' && !m.allowDeficiency,
  );
  const deferrable = detail.materials.filter(
    (m) => m.required && m.status !== 'provided' && m.allowDeficiency,
  );

  const submit = async (values: Values) => {
    setSaving(true);
    setProblem(null);
    try {
      const result = await casesApi.act(detail.id, action, toInput(action, detail, values));
      message.success(t('action.done', { action: label }));
      onDone(result, action);
    } catch (error) {
      if (isVersionConflict(error)) {
        setConflict(true);
      } else if (isApiError(error)) {
        const unmatched = applyFieldErrors(form, error.fields);
        if (error.fields.length === 0) setProblem(error.message);
        else if (unmatched.length > 0) setProblem(unmatched.map((f) => f.message).join('\n'));
      } else {
        setProblem(error instanceof Error ? error.message : String(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={label}
      okText={label}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{
        danger: DANGER.includes(action),
        disabled: conflict,
        ...({ 'data-testid': 'action-confirm' } as object),
      }}
      destroyOnHidden
      // A stray click beside the dialog must not throw away a reason or a correction list half written.
      mask={{ closable: false }}
    >
      <div data-testid="action-dialog" data-action={action}>
        {conflict ? (
          <Alert
            type="warning"
            showIcon
            role="alert"
            data-testid="action-conflict"
            style={{ marginBottom: 16 }}
            title={t('case.conflict')}
            action={
              <Button size="small" onClick={onReload} data-testid="action-reload">
                {t('case.reload')}
              </Button>
            }
          />
        ) : null}
        {problem ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="action-error"
            style={{ marginBottom: 16, whiteSpace: 'pre-line' }}
            title={problem}
          />
        ) : null}
        <Form<Values>
          form={form}
          name={`action-${action}`}
          layout="vertical"
          initialValues={initialValues(action, detail, t)}
          onFinish={(values) => void submit(values)}
          preserve={false}
        >
          {CONFIRM_ONLY.includes(action) || (action === 'deliver' && audience === 'applicant') ? (
            <p>{t('action.confirmText', { action: label })}</p>
          ) : null}

          {action === 'accept' ? (
            <>
              {missingBlocking.length > 0 ? (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title={t('action.missingRequired', {
                    names: missingBlocking.map((m) => m.name).join('、'),
                  })}
                />
              ) : null}
              {deferrable.length > 0 ? (
                <>
                  <Form.Item
                    name="deferredMaterials"
                    label={t('action.deferred')}
                    extra={t('action.deferredHint')}
                  >
                    <Checkbox.Group
                      options={deferrable.map((m) => ({ value: m.name, label: m.name }))}
                      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                    />
                  </Form.Item>
                  {deferred.length > 0 ? (
                    <>
                      <Form.Item
                        name="commitment"
                        valuePropName="checked"
                        rules={[
                          {
                            validator: (_, value) =>
                              value
                                ? Promise.resolve()
                                : Promise.reject(new Error(t('action.commitmentRequired'))),
                          },
                        ]}
                      >
                        <Checkbox data-testid="action-commitment">{t('action.commitment')}</Checkbox>
                      </Form.Item>
                      <Form.Item
                        name="supplyBy"
                        label={t('action.supplyBy')}
                        extra={t('action.supplyByHint')}
                      >
                        <DatePicker style={{ width: '100%' }} />
                      </Form.Item>
                    </>
                  ) : null}
                </>
              ) : null}
            </>
          ) : null}

          {action === 'approveOnCommitment' ? (
            <Form.Item
              name="commitment"
              valuePropName="checked"
              rules={[
                {
                  validator: (_, value) =>
                    value ? Promise.resolve() : Promise.reject(new Error(t('action.commitmentRequired'))),
                },
              ]}
            >
              <Checkbox data-testid="action-commitment">{t('action.commitmentApproval')}</Checkbox>
            </Form.Item>
          ) : null}

          {action === 'requestCorrection' ? (
            <Form.List name="corrections">
              {(fields, { add, remove }, { errors }) => (
                <fieldset className="tb-corrections" data-testid="corrections">
                  <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('action.corrections')}</legend>
                  {fields.map((field, index) => (
                    <Flex key={field.key} gap="small" align="start" wrap data-testid="correction-row">
                      <Form.Item
                        name={[field.name, 'material']}
                        rules={[required]}
                        style={{ flex: '1 1 180px', marginBottom: 8 }}
                        label={t('action.correctionMaterial', { n: index + 1 })}
                      >
                        <Select
                          showSearch
                          options={detail.materials.map((m) => ({ value: m.name, label: m.name }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'problem']}
                        rules={[required]}
                        style={{ flex: '2 1 220px', marginBottom: 8 }}
                        label={t('action.correctionProblem', { n: index + 1 })}
                      >
                        <Input />
                      </Form.Item>
                      <Button
                        type="text"
                        aria-label={t('action.removeCorrection', { n: index + 1 })}
                        icon={<MinusCircleOutlined aria-hidden="true" />}
                        onClick={() => remove(field.name)}
                        style={{ marginTop: 30 }}
                      />
                    </Flex>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button
                    type="dashed"
                    icon={<PlusOutlined aria-hidden="true" />}
                    onClick={() => add({ material: undefined, problem: '' })}
                    data-testid="correction-add"
                    style={{ marginBottom: 16 }}
                  >
                    {t('action.addCorrection')}
                  </Button>
                </fieldset>
              )}
            </Form.List>
          ) : null}

          {action === 'returnStep' ? (
            <Form.Item name="toStep" label={t('action.toStep')} rules={[required]}>
              <Select
                options={detail.steps
                  .map((s, i) => ({ value: i, label: s.name }))
                  .filter(
                    (o) =>
                      o.value < detail.stepIndex && (o.value > 0 || detail.steps[0]?.role !== 'window_clerk'),
                  )}
              />
            </Form.Item>
          ) : null}

          {action === 'suspend' ? (
            <Form.Item name="suspensionKind" label={t('action.suspensionKind')} rules={[required]}>
              <Radio.Group
                options={SUSPENSION_KINDS.map((k) => ({ value: k, label: suspensionLabel(t, k) }))}
              />
            </Form.Item>
          ) : null}

          {action === 'extend' ? (
            <Form.Item name="days" label={t('action.days')} rules={[required]} extra={t('action.daysHint')}>
              <InputNumber min={1} max={10} precision={0} style={{ width: 160 }} />
            </Form.Item>
          ) : null}

          {staffDeliver ? (
            <>
              <Form.Item name="deliveryMethod" label={t('action.deliveryMethod')} rules={[required]}>
                <Radio.Group
                  options={DELIVERY_METHODS.map((m) => ({ value: m, label: deliveryLabel(t, m) }))}
                />
              </Form.Item>
              {deliveryMethod === 'mail' ? (
                <Form.Item name="trackingNumber" label={t('action.trackingNumber')} rules={[required]}>
                  <Input maxLength={60} />
                </Form.Item>
              ) : null}
            </>
          ) : null}

          {askReason ? (
            <Form.Item
              name="reason"
              label={NEEDS_REASON.includes(action) ? t('action.reason') : t('action.reasonOptional')}
              rules={NEEDS_REASON.includes(action) ? [{ ...required, whitespace: true }] : []}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            </Form.Item>
          ) : null}

          {NEEDS_BASIS.includes(action) ? (
            <Form.Item
              name="legalBasis"
              label={t('action.legalBasis')}
              rules={[{ ...required, whitespace: true }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            </Form.Item>
          ) : null}
        </Form>
      </div>
    </Modal>
  );
}
