import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { fetchMe } from '../api/auth';
import type { Me, MeRole, Role } from '../api/types';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

const ADMIN_ROLES: readonly Role[] = ['hall_admin', 'sys_admin'];

export type Face = 'portal' | 'workbench' | 'admin' | 'supervision';

/** Window clerks, reviewers, approvers, proxy agents and hotline operators work in the workbench. */
export function faceOf(role: Role): Face {
  if (ADMIN_ROLES.includes(role)) return 'admin';
  if (role === 'supervisor') return 'supervision';
  return 'workbench';
}

/** Where a user lands after login: applicants in the online hall, staff on the face of their active role. */
export function landingPath(me: Me, activeRole: MeRole | null): string {
  if (me.accountType === 'applicant') return '/portal';
  return activeRole ? `/${faceOf(activeRole.role)}` : '/workbench';
}

export function isAdmin(me: Me | null): boolean {
  return me?.roles.some((r) => ADMIN_ROLES.includes(r.role)) ?? false;
}

const roleStorageKey = (userId: string) => `tb_role:${userId}`;

function readStoredRoleId(userId: string): string | null {
  try {
    return window.localStorage.getItem(roleStorageKey(userId));
  } catch {
    return null;
  }
}

/** The role a user last acted in on this browser, else their first. */
export function storedActiveRole(me: Me): MeRole | null {
  const wanted = readStoredRoleId(me.id);
  return me.roles.find((r) => r.id === wanted) ?? me.roles[0] ?? null;
}

type SessionValue = {
  me: Me | null;
  loading: boolean;
  /** The role the user is acting in now (a staff member may hold several). */
  activeRole: MeRole | null;
  setActiveRole: (roleId: string) => void;
  /** Puts a freshly signed-in user in place without another round trip. */
  signedIn: (me: Me) => void;
  signedOut: () => void;
};

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { data, isPending } = useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: fetchMe,
    staleTime: Infinity,
    retry: 1,
  });
  const me = data ?? null;
  const [chosenRoleId, setChosenRoleId] = useState<string | null>(null);

  const activeRole = useMemo(() => {
    if (!me || me.roles.length === 0) return null;
    const wanted = chosenRoleId ?? readStoredRoleId(me.id);
    return me.roles.find((r) => r.id === wanted) ?? me.roles[0] ?? null;
  }, [me, chosenRoleId]);

  const setActiveRole = useCallback(
    (roleId: string) => {
      if (me) {
        try {
          window.localStorage.setItem(roleStorageKey(me.id), roleId);
        } catch {
          // The choice then lasts for this page only.
        }
      }
      setChosenRoleId(roleId);
    },
    [me],
  );

  const signedIn = useCallback(
    (user: Me) => {
      setChosenRoleId(null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_QUERY_KEY[0] });
      queryClient.setQueryData(ME_QUERY_KEY, user);
    },
    [queryClient],
  );

  const signedOut = useCallback(() => {
    setChosenRoleId(null);
    queryClient.setQueryData(ME_QUERY_KEY, null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_QUERY_KEY[0] });
  }, [queryClient]);

  const value = useMemo<SessionValue>(
    () => ({ me, loading: isPending, activeRole, setActiveRole, signedIn, signedOut }),
    [me, isPending, activeRole, setActiveRole, signedIn, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user inside pages that are only reachable behind <RequireAuth>. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}
