import { http, isApiError } from './client';
import type { Me } from './types';

export type LoginInput = { accountType: 'staff' | 'applicant'; username: string; password: string };

export type RegisterInput = {
  mobile: string;
  password: string;
  kind: 'person' | 'enterprise';
  name: string;
  idNumber?: string;
  uscc?: string;
};

/** The signed-in user, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const { user } = await http.get<{ user: Me }>('/auth/me');
    return user;
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export async function login(input: LoginInput): Promise<Me> {
  const { user } = await http.post<{ user: Me }>('/auth/login', input);
  return user;
}

export async function register(input: RegisterInput): Promise<Me> {
  const { user } = await http.post<{ user: Me }>('/auth/register', input);
  return user;
}

export function logout(): Promise<void> {
  return http.post<void>('/auth/logout');
}

export function changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
  return http.post<void>('/auth/password', input);
}
