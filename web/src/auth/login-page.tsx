import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Tabs } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { type LoginInput, login } from '../api/auth';
import { isApiError } from '../api/client';
import type { Me } from '../api/types';
import { applyFieldErrors } from '../components/api-errors';
import { useT } from '../i18n/i18n';
import { AuthCard } from './auth-card';
import { MOBILE_PATTERN } from './patterns';
import { landingPath, storedActiveRole, useSession } from './session';

type Values = { username: string; password: string };

/** Only same-site paths are followed after login, so a crafted link cannot send the user elsewhere. */
function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}

function LoginForm({
  accountType,
  onSignedIn,
}: {
  accountType: LoginInput['accountType'];
  onSignedIn: (me: Me) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [failure, setFailure] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (values: Values) => login({ accountType, ...values }),
    onSuccess: onSignedIn,
    onError: (error) => {
      const unmatched = isApiError(error) ? applyFieldErrors(form, error.fields) : [];
      if (!isApiError(error) || error.fields.length === 0 || unmatched.length > 0) {
        setFailure(error instanceof Error ? error.message : String(error));
      }
    },
  });
  const isStaff = accountType === 'staff';
  return (
    <Form<Values>
      form={form}
      name={`login-${accountType}`}
      layout="vertical"
      requiredMark={false}
      onFinish={(values) => {
        setFailure(null);
        mutation.mutate(values);
      }}
    >
      {failure ? (
        <Alert
          type="error"
          showIcon
          title={failure}
          style={{ marginBottom: 16 }}
          data-testid="login-error"
          role="alert"
        />
      ) : null}
      <Form.Item
        name="username"
        label={isStaff ? t('login.username') : t('login.mobile')}
        rules={[
          { required: true, message: t('form.required') },
          ...(isStaff ? [] : [{ pattern: MOBILE_PATTERN, message: t('validation.mobile') }]),
        ]}
      >
        <Input autoComplete="username" inputMode={isStaff ? 'text' : 'numeric'} />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('login.password')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        block
        loading={mutation.isPending}
        data-testid={`login-submit-${accountType}`}
      >
        {t('login.submit')}
      </Button>
      {isStaff ? null : (
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Link to="/register" data-testid="register-link">
            {t('login.registerLink')}
          </Link>
        </div>
      )}
    </Form>
  );
}

export function LoginPage() {
  const t = useT();
  const { me, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [tab, setTab] = useState<string>(params.get('as') === 'applicant' ? 'applicant' : 'staff');

  if (me) return <Navigate to={next ?? landingPath(me, storedActiveRole(me))} replace />;

  const onSignedIn = (user: Me) => {
    signedIn(user);
    navigate(next ?? landingPath(user, storedActiveRole(user)), { replace: true });
  };

  return (
    <AuthCard>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        centered
        items={[
          {
            key: 'staff',
            label: t('login.staffTab'),
            children: <LoginForm accountType="staff" onSignedIn={onSignedIn} />,
          },
          {
            key: 'applicant',
            label: t('login.applicantTab'),
            children: <LoginForm accountType="applicant" onSignedIn={onSignedIn} />,
          },
        ]}
      />
    </AuthCard>
  );
}
