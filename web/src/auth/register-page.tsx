import { useMutation } from '@tanstack/react-query';
import { Button, Form, Input, Radio, Typography } from 'antd';
import { Link, Navigate, useNavigate } from 'react-router';
import { type RegisterInput, register } from '../api/auth';
import { useReportError } from '../components/api-errors';
import { useT } from '../i18n/i18n';
import { AuthCard } from './auth-card';
import { MOBILE_PATTERN, RESIDENT_ID_PATTERN, USCC_PATTERN } from './patterns';
import { useSession } from './session';

type Values = RegisterInput & { confirm: string };

/** Applicant self-registration: a person with a resident ID or an enterprise with its credit code. */
export function RegisterPage() {
  const t = useT();
  const { me, signedIn } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'person';
  const report = useReportError();
  const mutation = useMutation({
    mutationFn: ({ confirm: _confirm, ...values }: Values) =>
      register({
        ...values,
        idNumber: values.kind === 'person' ? values.idNumber?.toUpperCase() : undefined,
        uscc: values.kind === 'enterprise' ? values.uscc?.toUpperCase() : undefined,
      }),
    onSuccess: (user) => {
      signedIn(user);
      navigate('/portal', { replace: true });
    },
    onError: (error) => report(error, form),
  });

  if (me) return <Navigate to="/" replace />;
  const required = { required: true, message: t('form.required') };

  return (
    <AuthCard>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('register.title')}
      </Typography.Title>
      <Form<Values>
        form={form}
        name="register"
        layout="vertical"
        initialValues={{ kind: 'person' }}
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item name="kind" label={t('register.kind')} rules={[required]}>
          <Radio.Group
            options={[
              { value: 'person', label: t('register.kindPerson') },
              { value: 'enterprise', label: t('register.kindEnterprise') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={kind === 'person' ? t('register.personName') : t('register.enterpriseName')}
          rules={[required]}
        >
          <Input autoComplete={kind === 'person' ? 'name' : 'organization'} />
        </Form.Item>
        {kind === 'person' ? (
          <Form.Item
            name="idNumber"
            label={t('register.idNumber')}
            rules={[required, { pattern: RESIDENT_ID_PATTERN, message: t('validation.idNumber') }]}
          >
            <Input maxLength={18} />
          </Form.Item>
        ) : (
          <Form.Item
            name="uscc"
            label={t('register.uscc')}
            normalize={(value: string) => value.toUpperCase()}
            rules={[required, { pattern: USCC_PATTERN, message: t('validation.uscc') }]}
          >
            <Input maxLength={18} />
          </Form.Item>
        )}
        <Form.Item
          name="mobile"
          label={t('register.mobile')}
          extra={t('register.mobileHint')}
          rules={[required, { pattern: MOBILE_PATTERN, message: t('validation.mobile') }]}
        >
          <Input autoComplete="tel" inputMode="numeric" maxLength={11} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          extra={t('password.rule')}
          rules={[required, { min: 8, message: t('password.tooShort') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['password']}
          rules={[
            required,
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('password') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={mutation.isPending}
          data-testid="register-submit"
        >
          {t('register.submit')}
        </Button>
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Link to="/login?as=applicant">{t('register.backToLogin')}</Link>
        </div>
      </Form>
    </AuthCard>
  );
}
