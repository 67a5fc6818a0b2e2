import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Col, Form, Input, Row, Typography } from 'antd';
import { useNavigate } from 'react-router';
import type { ApplicantInput } from '../api/cases';
import { jointApi, type ProjectApproval, type ProjectCard } from '../api/joint';
import { MOBILE_PATTERN, USCC_PATTERN } from '../auth/patterns';
import { FormDrawer, useFormMutation } from '../components/form-drawer';
import { useT } from '../i18n/i18n';
import { PublishedItemSelect } from './template-editor';

type FileValues = { applicant: ApplicantInput; formLines?: string };

/** "名称：内容" lines of the application form, as free key/value fields (as at the window). */
function parseFormLines(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const match = /^\s*([^:：]+?)\s*[:：]\s*(.*)$/.exec(line);
    if (match?.[1]) out[match[1].slice(0, 60)] = match[2] ?? '';
  }
  return out;
}

/**
 * 代办申报: the agent files the case of one approval for the investor. The case is registered and linked to
 * the card in one request; its page opens next, where the scans are uploaded and the window accepts it.
 */
export function FileApprovalDrawer({
  project,
  approval,
  onClose,
}: {
  project: ProjectCard;
  approval: ProjectApproval | null;
  onClose: () => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<FileValues>();
  const save = useFormMutation<FileValues, ProjectCard>({
    resource: 'projects',
    form,
    mutationFn: (v) =>
      jointApi.fileApproval(project.id, approval?.id ?? '', {
        applicant: {
          kind: 'enterprise',
          name: v.applicant.name.trim(),
          uscc: v.applicant.uscc?.trim().toUpperCase(),
          mobile: v.applicant.mobile.trim(),
        },
        form: parseFormLines(v.formLines),
      }),
    successMessage: t('joint.projects.filed'),
    onSuccess: (card) => {
      qc.setQueryData(['project', project.id], card);
      const caseId = card.approvals.find((a) => a.id === approval?.id)?.caseId;
      onClose();
      if (caseId) navigate(`/workbench/cases/${caseId}`);
    },
  });
  const required = { required: true, whitespace: true, message: t('form.required') };
  return (
    <FormDrawer<FileValues>
      open={approval !== null}
      title={`${t('joint.projects.file')} · ${approval?.itemName ?? ''}`}
      form={form}
      name="project-file"
      saving={save.isPending}
      initialValues={{ applicant: { kind: 'enterprise', name: project.investor, mobile: '' } }}
      onClose={onClose}
      onSubmit={(v) => save.mutate(v)}
    >
      <Typography.Paragraph type="secondary">
        {approval
          ? `${approval.stage} · ${approval.departmentName} · ${t('joint.projects.plan')}: ${approval.plannedStart} → ${approval.plannedDue}`
          : null}
      </Typography.Paragraph>
      <Form.Item name={['applicant', 'name']} label={t('register.enterpriseName')} rules={[required]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name={['applicant', 'uscc']}
        label={t('case.uscc')}
        normalize={(v: string) => v?.toUpperCase()}
        rules={[required, { pattern: USCC_PATTERN, message: t('validation.uscc') }]}
      >
        <Input maxLength={18} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name={['applicant', 'mobile']}
        label={t('case.mobile')}
        rules={[required, { pattern: MOBILE_PATTERN, message: t('validation.mobile') }]}
      >
        <Input maxLength={11} autoComplete="off" />
      </Form.Item>
      <Form.Item name="formLines" label={t('walkIn.formLines')} extra={t('walkIn.formHint')}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </FormDrawer>
  );
}

type PlanValues = { targetStartOn: string; approvals: { stage?: string; itemCode?: string }[] };

/** 调整计划: a new target start or other approvals; the server reverse-schedules the card again. */
export function PlanDrawer({
  project,
  open,
  onClose,
}: {
  project: ProjectCard;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const qc = useQueryClient();
  const [form] = Form.useForm<PlanValues>();
  const save = useFormMutation<PlanValues, ProjectCard>({
    resource: 'projects',
    form,
    mutationFn: (v) =>
      jointApi.changePlan(project.id, {
        version: project.version,
        targetStartOn: v.targetStartOn,
        approvals: v.approvals.map((a) => ({ stage: a.stage ?? '', itemCode: a.itemCode ?? '' })),
      }),
    successMessage: t('joint.projects.replanned'),
    onSuccess: (card) => {
      qc.setQueryData(['project', project.id], card);
      onClose();
    },
  });
  return (
    <FormDrawer<PlanValues>
      open={open}
      title={t('joint.projects.changePlan')}
      form={form}
      name="project-plan"
      saving={save.isPending}
      initialValues={{
        targetStartOn: project.targetStartOn,
        approvals: project.approvals.map((a) => ({ stage: a.stage, itemCode: a.itemCode })),
      }}
      onClose={onClose}
      onSubmit={(v) => save.mutate(v)}
    >
      <Form.Item name="targetStartOn" label={t('joint.projects.target')}>
        <Input type="date" />
      </Form.Item>
      <Form.List name="approvals">
        {(fields, ops, { errors }) => (
          <>
            {fields.map((field, i) => (
              <Row key={field.key} gutter={8}>
                <Col span={8}>
                  <Form.Item name={[field.name, 'stage']} style={{ marginBottom: 8 }}>
                    <Input
                      placeholder={t('joint.projects.stage')}
                      aria-label={`${t('joint.projects.stage')} ${i + 1}`}
                    />
                  </Form.Item>
                </Col>
                <Col span={14}>
                  <Form.Item name={[field.name, 'itemCode']} style={{ marginBottom: 8 }}>
                    <PublishedItemSelect aria-label={`${t('joint.member.item')} ${i + 1}`} />
                  </Form.Item>
                </Col>
                <Col span={2}>
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('common.delete')}
                    onClick={() => ops.remove(field.name)}
                  />
                </Col>
              </Row>
            ))}
            <Form.ErrorList errors={errors} />
            <Button icon={<PlusOutlined />} onClick={() => ops.add({})}>
              {t('joint.projects.addApproval')}
            </Button>
          </>
        )}
      </Form.List>
    </FormDrawer>
  );
}
