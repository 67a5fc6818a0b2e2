import { Checkbox, Col, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import type { ListKind } from '../../api/catalog';
import { type FieldDef, LIST_FIELDS, vocabOptions } from '../../components/catalog-labels';
import { DepartmentSelect } from '../../components/remote-select';
import { useT } from '../../i18n/i18n';
import { CodeSelect } from './catalog-selects';

/** One control; Form.Item hands it id, value and onChange, which go on to the antd control. */
function FieldInput({
  field,
  departmentName,
  ...control
}: {
  field: FieldDef;
  departmentName?: string | null;
  /** Whatever Form.Item injects: id, value or checked, onChange. */
  [prop: string]: unknown;
}) {
  const t = useT();
  switch (field.type) {
    case 'textarea':
      return <Input.TextArea {...control} autoSize={{ minRows: 2 }} />;
    case 'lines':
      return <Input.TextArea {...control} autoSize={{ minRows: 3 }} />;
    case 'tags':
      return <Select {...control} mode="tags" open={false} suffixIcon={null} />;
    case 'int':
      return <InputNumber {...control} min={0} style={{ width: '100%' }} />;
    case 'intOrNull':
      return <InputNumber {...control} min={0} style={{ width: '100%' }} suffix={t('catalog.workingDays')} />;
    case 'yuan':
      return (
        <InputNumber
          {...control}
          min={0}
          precision={2}
          style={{ width: '100%' }}
          suffix={t('catalog.yuan')}
        />
      );
    case 'bool':
      return <Switch {...control} />;
    case 'enum':
      return <Select {...control} options={field.vocab ? vocabOptions(t, field.vocab) : []} />;
    case 'enumMulti':
      return <Checkbox.Group {...control} options={field.vocab ? vocabOptions(t, field.vocab) : []} />;
    case 'department':
      return <DepartmentSelect {...control} valueLabel={departmentName} />;
    case 'departmentOrNull':
      return <DepartmentSelect {...control} allowClear valueLabel={departmentName} />;
    case 'itemCode':
      return <CodeSelect {...control} kinds={['item']} />;
    case 'itemCodes':
      return <CodeSelect {...control} kinds={['item']} mode="multiple" />;
    default:
      return <Input {...control} />;
  }
}

/** The editor of an entry of any list but the items: one field per entry of LIST_FIELDS. */
export function GenericFields({
  kind,
  isNew,
  departmentName,
}: {
  kind: Exclude<ListKind, 'item'>;
  isNew: boolean;
  departmentName?: string | null;
}) {
  const t = useT();
  const wide = (field: FieldDef) => ['textarea', 'lines', 'itemCodes'].includes(field.type);
  return (
    <Row gutter={16}>
      {isNew ? (
        <Col xs={24} md={12}>
          <Form.Item name="code" label={t('catalog.field.code')} extra={t('catalog.editor.codeHint')}>
            <Input />
          </Form.Item>
        </Col>
      ) : null}
      {LIST_FIELDS[kind].map((field) => (
        <Col key={field.name} xs={24} md={wide(field) ? 24 : 12}>
          <Form.Item
            name={field.name}
            label={t(field.label)}
            required={field.required}
            valuePropName={field.type === 'bool' ? 'checked' : undefined}
            extra={field.type === 'lines' ? t('catalog.editor.linesHint') : undefined}
          >
            <FieldInput field={field} departmentName={departmentName} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}
