import dayjs from 'dayjs';

/** Instants are shown in the browser's zone, which for our users is Asia/Shanghai. */
export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : '—';
}
