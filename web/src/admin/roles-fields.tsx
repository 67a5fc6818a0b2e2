import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Select } from 'antd';
import { ROLES } from '../api/types';
import { DepartmentSelect, RegionSelect } from '../components/remote-select';
import { useT } from '../i18n/i18n';

/** Roles a staff member holds, one row each: the role, the department it is exercised for and its region scope. */
export function RolesFields() {
  const t = useT();
  return (
    <Form.List name="roles">
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="roles-editor">
          {fields.map((field, index) => (
            <Flex key={field.key} gap="small" align="start" wrap data-testid={`role-row-${index}`}>
              <Form.Item
                name={[field.name, 'role']}
                label={t('staff.roleRow.role')}
                rules={[{ required: true, message: t('form.required') }]}
                style={{ minWidth: 150, flex: 1 }}
              >
                <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
              </Form.Item>
              <Form.Item
                name={[field.name, 'departmentId']}
                label={t('staff.roleRow.department')}
                style={{ minWidth: 150, flex: 1 }}
              >
                <DepartmentSelect allowClear />
              </Form.Item>
              <Form.Item
                name={[field.name, 'regionCode']}
                label={t('staff.roleRow.region')}
                style={{ minWidth: 130, flex: 1 }}
              >
                <RegionSelect allowClear />
              </Form.Item>
              <Button
                aria-label={t('staff.removeRole')}
                icon={<DeleteOutlined />}
                onClick={() => remove(field.name)}
                style={{ marginTop: 30 }}
              />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-role">
            {t('staff.addRole')}
          </Button>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}
