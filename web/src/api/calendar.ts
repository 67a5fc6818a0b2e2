import { http } from './client';
import type { CalendarOverride, CalendarYear, DeadlineResult } from './types';

export const calendarApi = {
  days: (year: number, regionCode?: string) => http.get<CalendarYear>('/calendar/days', { year, regionCode }),
  overrides: (regionCode?: string) =>
    http.get<{ items: CalendarOverride[] }>('/calendar/overrides', { regionCode }),
  addOverride: (input: { regionCode: string; date: string; workday: boolean; note: string }) =>
    http.post<CalendarOverride>('/calendar/overrides', input),
  removeOverride: (id: string) => http.delete(`/calendar/overrides/${id}`),
  compute: (from: string, days: number, regionCode?: string) =>
    http.get<DeadlineResult>('/calendar/compute', { from, days, regionCode }),
};
