import { useMutation } from '@tanstack/react-query';
import { Button, Flex, Layout, Menu, Select, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { logout } from '../api/auth';
import { type Face, faceOf, landingPath, useMe, useSession } from '../auth/session';
import { useReportError } from '../components/api-errors';
import { type MessageKey, useT } from '../i18n/i18n';
import { LanguageSwitch } from './language-switch';
import { PasswordDialog } from './password-dialog';
import { roleLabel } from './role-label';

export type MenuEntry = { path: string; label: MessageKey; icon?: ReactNode };

const FACE_TITLES: Record<Face, MessageKey> = {
  portal: 'face.portal',
  workbench: 'face.workbench',
  admin: 'face.admin',
  supervision: 'face.supervision',
};

function RoleSwitcher() {
  const t = useT();
  const me = useMe();
  const { activeRole, setActiveRole } = useSession();
  const navigate = useNavigate();
  if (me.roles.length < 2 || !activeRole) return null;
  return (
    <Select
      data-testid="role-switcher"
      aria-label={t('header.role')}
      size="small"
      style={{ minWidth: 180 }}
      value={activeRole.id}
      options={me.roles.map((r) => ({ value: r.id, label: roleLabel(t, r) }))}
      onChange={(roleId) => {
        setActiveRole(roleId);
        const next = me.roles.find((r) => r.id === roleId);
        if (next) navigate(`/${faceOf(next.role)}`);
      }}
    />
  );
}

function UserActions() {
  const t = useT();
  const me = useMe();
  const { signedOut } = useSession();
  const navigate = useNavigate();
  const report = useReportError();
  const [passwordOpen, setPasswordOpen] = useState(false);
  const signOut = useMutation({
    mutationFn: logout,
    onSuccess: () => {
      signedOut();
      navigate('/login', { replace: true });
    },
    onError: (error) => report(error),
  });
  return (
    <Flex align="center" gap="small" wrap>
      <Typography.Text strong data-testid="current-user" style={{ color: 'inherit' }}>
        {me.displayName}
      </Typography.Text>
      <Button size="small" onClick={() => setPasswordOpen(true)} data-testid="change-password">
        {t('header.changePassword')}
      </Button>
      <Button size="small" onClick={() => signOut.mutate()} loading={signOut.isPending} data-testid="logout">
        {t('header.logout')}
      </Button>
      <PasswordDialog open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Flex>
  );
}

/** The frame of every signed-in face: header with the user's controls, an optional side menu, the page. */
export function AppShell({
  face,
  menu,
  headerExtra,
}: {
  face: Face;
  menu?: MenuEntry[];
  /** A face's own control in the header, e.g. the portal's unread messages. */
  headerExtra?: ReactNode;
}) {
  const t = useT();
  const me = useMe();
  const { activeRole } = useSession();
  const location = useLocation();
  const selected = menu
    ?.filter((m) => location.pathname === m.path || location.pathname.startsWith(`${m.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="tb-header">
        <Flex align="center" justify="space-between" gap="middle" wrap style={{ width: '100%' }}>
          <Flex align="center" gap="middle">
            <Link to={landingPath(me, activeRole)} className="tb-brand">
              {t('app.name')}
            </Link>
            <span className="tb-face">{t(FACE_TITLES[face])}</span>
          </Flex>
          <Flex align="center" gap="middle" wrap>
            {headerExtra}
            <RoleSwitcher />
            <LanguageSwitch />
            <UserActions />
          </Flex>
        </Flex>
      </Layout.Header>
      <Layout>
        {menu ? (
          <Layout.Sider width={224} theme="light" breakpoint="lg" collapsedWidth={0} className="tb-sider">
            <nav aria-label={t('nav.label')}>
              <Menu
                mode="inline"
                selectedKeys={selected ? [selected] : []}
                items={menu.map((m) => ({
                  key: m.path,
                  icon: m.icon,
                  label: <Link to={m.path}>{t(m.label)}</Link>,
                }))}
              />
            </nav>
          </Layout.Sider>
        ) : null}
        <Layout.Content className="tb-content">
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
