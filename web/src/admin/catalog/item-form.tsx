import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FormListFieldData } from 'antd';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Table,
} from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';
import { ENTERPRISE_STAGES, LIFE_EVENTS, type Step } from '../../api/catalog';
import { vocabOptions } from '../../components/catalog-labels';
import { Flowchart, flowFromSteps } from '../../components/flowchart';
import { DepartmentSelect } from '../../components/remote-select';
import { ScrollRegion } from '../../components/scroll-region';
import { useT } from '../../i18n/i18n';
import { CodeSelect } from './catalog-selects';
import { NEW_MATERIAL, NEW_STEP } from './entry-values';
import { FileField } from './file-field';

const col = { xs: 24, md: 12, xl: 8 };

function ListErrors({ errors, testId }: { errors: string[]; testId: string }) {
  if (errors.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid={testId}
      title={
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      }
    />
  );
}

/** Up, down and remove buttons of one row of an editable table. */
function RowActions({
  index,
  count,
  move,
  remove,
  what,
}: {
  index: number;
  count: number;
  move: (from: number, to: number) => void;
  remove: (index: number) => void;
  what: string;
}) {
  const t = useT();
  return (
    <Space size={2}>
      <Button
        size="small"
        icon={<ArrowUpOutlined />}
        disabled={index === 0}
        aria-label={t('catalog.editor.moveUp', { what, n: index + 1 })}
        onClick={() => move(index, index - 1)}
      />
      <Button
        size="small"
        icon={<ArrowDownOutlined />}
        disabled={index === count - 1}
        aria-label={t('catalog.editor.moveDown', { what, n: index + 1 })}
        onClick={() => move(index, index + 1)}
      />
      <Button
        size="small"
        danger
        icon={<DeleteOutlined />}
        aria-label={t('catalog.editor.removeRow', { what, n: index + 1 })}
        onClick={() => remove(index)}
      />
    </Space>
  );
}

type Cell = (field: FormListFieldData, index: number) => ReactNode;

/** A Form.List as a table: one row per entry, each cell a form field with its own error under it. */
function ListTable({
  name,
  testId,
  what,
  addLabel,
  newRow,
  columns,
  errors,
  scrollX,
}: {
  name: string;
  testId: string;
  what: string;
  addLabel: string;
  newRow: object;
  columns: { title: string; width?: number; cell: Cell }[];
  errors: string[];
  scrollX?: number;
}) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove, move }) => (
        <div data-testid={testId}>
          <ListErrors errors={errors} testId={`${testId}-errors`} />
          <ScrollRegion label={what}>
            <Table<FormListFieldData>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={fields}
              scroll={scrollX ? { x: scrollX } : undefined}
              locale={{ emptyText: <span className="tb-empty-text">{t('catalog.editor.noRows')}</span> }}
              onRow={(_, index) =>
                ({ 'data-testid': `${testId}-row-${index}` }) as HTMLAttributes<HTMLElement>
              }
              columns={[
                { title: '#', key: 'n', width: 44, render: (_, __, index) => index + 1 },
                ...columns.map((c) => ({
                  title: c.title,
                  key: c.title,
                  width: c.width,
                  render: (_: unknown, field: FormListFieldData, index: number) => c.cell(field, index),
                })),
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 110,
                  render: (_, __, index) => (
                    <RowActions index={index} count={fields.length} move={move} remove={remove} what={what} />
                  ),
                },
              ]}
            />
          </ScrollRegion>
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add(newRow)}
            style={{ marginTop: 8 }}
            data-testid={`${testId}-add`}
          >
            {addLabel}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

const cellStyle = { marginBottom: 0 };

function MaterialsEditor({ errors }: { errors: string[] }) {
  const t = useT();
  const what = t('catalog.material.what');
  const label = (key: Parameters<typeof t>[0], index: number) => `${t(key)} (${what} ${index + 1})`;
  return (
    <ListTable
      name="materials"
      testId="materials-editor"
      what={what}
      addLabel={t('catalog.editor.addMaterial')}
      newRow={NEW_MATERIAL}
      errors={errors}
      scrollX={2100}
      columns={[
        {
          title: t('catalog.material.name'),
          width: 220,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'name']} style={cellStyle}>
              <Input aria-label={label('catalog.material.name', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.kind'),
          width: 100,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'kind']} style={cellStyle}>
              <Select
                aria-label={label('catalog.material.kind', i)}
                options={vocabOptions(t, 'materialKind')}
              />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.copies'),
          width: 80,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'copies']} style={cellStyle}>
              <InputNumber
                min={0}
                max={99}
                aria-label={label('catalog.material.copies', i)}
                style={{ width: '100%' }}
              />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.paperSize'),
          width: 90,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'paperSize']} style={cellStyle}>
              <Select
                aria-label={label('catalog.material.paperSize', i)}
                options={vocabOptions(t, 'paperSize')}
              />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.requirement'),
          width: 120,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'requirement']} style={cellStyle}>
              <Select
                aria-label={label('catalog.material.requirement', i)}
                options={vocabOptions(t, 'requirement')}
              />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.condition'),
          width: 180,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'condition']} style={cellStyle}>
              <Input aria-label={label('catalog.material.condition', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.allowDeficiency'),
          width: 70,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'allowDeficiency']} valuePropName="checked" style={cellStyle}>
              <Checkbox aria-label={label('catalog.material.allowDeficiency', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.essential'),
          width: 80,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'essential']} valuePropName="checked" style={cellStyle}>
              <Checkbox aria-label={label('catalog.material.essential', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.source'),
          width: 150,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'source']} style={cellStyle}>
              <Select
                aria-label={label('catalog.material.source', i)}
                options={vocabOptions(t, 'materialSource')}
              />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.issuer'),
          width: 150,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'issuer']} style={cellStyle}>
              <Input aria-label={label('catalog.material.issuer', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.licenceType'),
          width: 150,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'licenceType']} style={cellStyle}>
              <Input aria-label={label('catalog.material.licenceType', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.blankForm'),
          width: 160,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'blankFormFileId']} style={cellStyle}>
              <FileField label={label('catalog.material.blankForm', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.sample'),
          width: 160,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'sampleFileId']} style={cellStyle}>
              <FileField label={label('catalog.material.sample', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.notes'),
          width: 200,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'notes']} style={cellStyle}>
              <Input.TextArea autoSize aria-label={label('catalog.material.notes', i)} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.material.legalBasis'),
          width: 180,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'legalBasis']} style={cellStyle}>
              <Input.TextArea autoSize aria-label={label('catalog.material.legalBasis', i)} />
            </Form.Item>
          ),
        },
      ]}
    />
  );
}

function StepsEditor({ errors }: { errors: string[] }) {
  const t = useT();
  const what = t('catalog.step.what');
  const label = (key: Parameters<typeof t>[0], index: number) => `${t(key)} (${what} ${index + 1})`;
  const steps = (Form.useWatch('steps') as Partial<Step>[] | undefined) ?? [];
  const preview = flowFromSteps(steps.filter(Boolean), {
    start: t('catalog.flow.start'),
    end: t('catalog.flow.end'),
  });
  return (
    <Row gutter={24}>
      <Col xs={24} xl={16}>
        <ListTable
          name="steps"
          testId="steps-editor"
          what={what}
          addLabel={t('catalog.editor.addStep')}
          newRow={NEW_STEP}
          errors={errors}
          scrollX={760}
          columns={[
            {
              title: t('catalog.step.name'),
              width: 150,
              cell: (f, i) => (
                <Form.Item name={[f.name, 'name']} style={cellStyle}>
                  <Input aria-label={label('catalog.step.name', i)} />
                </Form.Item>
              ),
            },
            {
              title: t('catalog.step.role'),
              width: 130,
              cell: (f, i) => (
                <Form.Item name={[f.name, 'role']} style={cellStyle}>
                  <Select aria-label={label('catalog.step.role', i)} options={vocabOptions(t, 'stepRole')} />
                </Form.Item>
              ),
            },
            {
              title: t('catalog.step.limitDays'),
              width: 100,
              cell: (f, i) => (
                <Form.Item name={[f.name, 'limitDays']} style={cellStyle}>
                  <InputNumber
                    min={0}
                    max={365}
                    aria-label={label('catalog.step.limitDays', i)}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              ),
            },
            {
              title: t('catalog.step.clockStops'),
              width: 90,
              cell: (f, i) => (
                <Form.Item name={[f.name, 'clockStops']} valuePropName="checked" style={cellStyle}>
                  <Checkbox aria-label={label('catalog.step.clockStops', i)} />
                </Form.Item>
              ),
            },
            {
              title: t('catalog.step.description'),
              cell: (f, i) => (
                <Form.Item name={[f.name, 'description']} style={cellStyle}>
                  <Input aria-label={label('catalog.step.description', i)} />
                </Form.Item>
              ),
            },
          ]}
        />
      </Col>
      <Col xs={24} xl={8}>
        <Card size="small" title={t('catalog.editor.preview')} style={{ marginTop: 0 }}>
          <Flowchart nodes={preview.nodes} edges={preview.edges} roleIsKey />
        </Card>
      </Col>
    </Row>
  );
}

function FaqEditor({ errors }: { errors: string[] }) {
  const t = useT();
  const what = t('catalog.faq.what');
  return (
    <ListTable
      name="faq"
      testId="faq-editor"
      what={what}
      addLabel={t('catalog.editor.addFaq')}
      newRow={{ question: '', answer: '' }}
      errors={errors}
      columns={[
        {
          title: t('catalog.faq.question'),
          width: 280,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'question']} style={cellStyle}>
              <Input.TextArea autoSize aria-label={`${t('catalog.faq.question')} (${what} ${i + 1})`} />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.faq.answer'),
          cell: (f, i) => (
            <Form.Item name={[f.name, 'answer']} style={cellStyle}>
              <Input.TextArea autoSize aria-label={`${t('catalog.faq.answer')} (${what} ${i + 1})`} />
            </Form.Item>
          ),
        },
      ]}
    />
  );
}

function FeesEditor({ errors }: { errors: string[] }) {
  const t = useT();
  const what = t('catalog.itemFee.what');
  return (
    <ListTable
      name="fees"
      testId="fees-editor"
      what={what}
      addLabel={t('catalog.editor.addFee')}
      newRow={{ feeCode: undefined, note: '' }}
      errors={errors}
      columns={[
        {
          title: t('catalog.itemFee.feeCode'),
          width: 320,
          cell: (f, i) => (
            <Form.Item name={[f.name, 'feeCode']} style={cellStyle}>
              <CodeSelect
                kinds={['fee', 'fund']}
                aria-label={`${t('catalog.itemFee.feeCode')} (${what} ${i + 1})`}
              />
            </Form.Item>
          ),
        },
        {
          title: t('catalog.itemFee.note'),
          cell: (f, i) => (
            <Form.Item name={[f.name, 'note']} style={cellStyle}>
              <Input aria-label={`${t('catalog.itemFee.note')} (${what} ${i + 1})`} />
            </Form.Item>
          ),
        },
      ]}
    />
  );
}

/**
 * The fields of a service item, grouped as the guide shows them. Every field is checked by the server as the
 * administrator types (see useLiveValidation); the form itself has no rules, so there is one source of truth.
 */
export function ItemFields({
  isNew,
  departmentName,
  listErrors,
}: {
  isNew: boolean;
  departmentName?: string | null;
  listErrors: (field: string) => string[];
}) {
  const t = useT();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('catalog.editor.basic')} size="small">
        <Row gutter={16}>
          {isNew ? (
            <Col {...col}>
              <Form.Item name="code" label={t('catalog.field.code')} extra={t('catalog.editor.codeHint')}>
                <Input />
              </Form.Item>
            </Col>
          ) : null}
          <Col {...col}>
            <Form.Item name="name" label={t('catalog.field.itemName')}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="basicCode" label={t('catalog.field.basicCode')}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="type" label={t('catalog.field.itemType')}>
              <Select options={vocabOptions(t, 'powerType')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="departmentId" label={t('catalog.field.implementingDepartment')}>
              <DepartmentSelect valueLabel={departmentName} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="entrustingDepartmentId" label={t('catalog.field.entrustingDepartment')}>
              <DepartmentSelect allowClear />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="powerCode" label={t('catalog.field.powerCode')}>
              <CodeSelect kinds={['power']} allowClear />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="serviceObjects" label={t('catalog.field.serviceObjects')}>
              <Checkbox.Group options={vocabOptions(t, 'serviceObject')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item
              name="keywords"
              label={t('catalog.field.keywords')}
              extra={t('catalog.editor.keywordsHint')}
            >
              <Select mode="tags" open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col xs={24} xl={12}>
            <Form.Item
              name="conditions"
              label={t('catalog.field.conditions')}
              extra={t('catalog.editor.linesHint')}
            >
              <Input.TextArea autoSize={{ minRows: 3 }} />
            </Form.Item>
          </Col>
          <Col xs={24} xl={12}>
            <Form.Item name="legalBasis" label={t('catalog.field.legalBasis')}>
              <Input.TextArea autoSize={{ minRows: 3 }} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={t('catalog.guide.timeLimits')} size="small">
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item name="legalLimitDays" label={t('catalog.field.legalLimitDays')}>
              <InputNumber min={0} max={3650} style={{ width: '100%' }} suffix={t('catalog.workingDays')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="promisedLimitDays" label={t('catalog.field.promisedLimitDays')}>
              <InputNumber min={0} max={3650} style={{ width: '100%' }} suffix={t('catalog.workingDays')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="caseKind" label={t('catalog.field.caseKind')}>
              <Radio.Group options={vocabOptions(t, 'caseKind')} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={t('catalog.editor.handling')} size="small">
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item name="handlingForms" label={t('catalog.field.handlingForms')}>
              <Checkbox.Group options={vocabOptions(t, 'handlingForm')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="onlineDepth" label={t('catalog.field.onlineDepth')}>
              <Select options={vocabOptions(t, 'onlineDepth')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="visits" label={t('catalog.field.visits')}>
              <InputNumber min={0} max={10} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="place" label={t('catalog.field.place')}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="hours" label={t('catalog.field.hours')}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="phone" label={t('catalog.field.phone')}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="levels" label={t('catalog.field.levels')}>
              <Checkbox.Group options={vocabOptions(t, 'level')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="tongbanRange" label={t('catalog.field.tongbanRange')}>
              <Select options={vocabOptions(t, 'tongbanRange')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Flex gap="large" wrap>
              {(['allowDeficiency', 'commitmentApproval', 'deemedApproval', 'appointment'] as const).map(
                (name) => (
                  <Form.Item
                    key={name}
                    name={name}
                    label={t(`catalog.field.${name}`)}
                    valuePropName="checked"
                  >
                    <Switch />
                  </Form.Item>
                ),
              )}
            </Flex>
          </Col>
        </Row>
      </Card>

      <Card title={t('catalog.editor.resultAndThemes')} size="small">
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item name={['result', 'kind']} label={t('catalog.field.resultKind')}>
              <Select options={vocabOptions(t, 'resultKind')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name={['result', 'name']} label={t('catalog.field.resultName')}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name={['result', 'sampleFileId']} label={t('catalog.field.resultSample')}>
              <FileField label={t('catalog.field.resultSample')} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="lifeEvents" label={t('catalog.field.lifeEvents')}>
              <Select mode="multiple" options={LIFE_EVENTS.map((k) => ({ value: k, label: k }))} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="enterpriseStages" label={t('catalog.field.enterpriseStages')}>
              <Select mode="multiple" options={ENTERPRISE_STAGES.map((k) => ({ value: k, label: k }))} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="intermediaryCodes" label={t('catalog.field.intermediaryCodes')}>
              <CodeSelect kinds={['intermediary']} mode="multiple" />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={t('catalog.field.fees')} size="small" extra={t('catalog.editor.feesHint')}>
        <FeesEditor errors={listErrors('fees')} />
      </Card>

      <Card title={t('catalog.field.materials')} size="small">
        <MaterialsEditor errors={listErrors('materials')} />
      </Card>

      <Card title={t('catalog.field.steps')} size="small" extra={t('catalog.editor.stepsHint')}>
        <StepsEditor errors={listErrors('steps')} />
      </Card>

      <Card title={t('catalog.field.faq')} size="small">
        <FaqEditor errors={listErrors('faq')} />
      </Card>
    </Space>
  );
}
