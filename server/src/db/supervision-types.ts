import type { ColumnType } from 'kysely';

/** Tables of electronic supervision (migration 0006). */

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableStamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type CivilDate = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type Json = ColumnType<unknown, string | null, string | null>;
type Count = ColumnType<number, number | undefined, number>;

export type SupDirtyTable = { case_id: string; seq: ColumnType<number, never, never> };

export type SupCaseFiguresTable = {
  case_id: string;
  region_code: string;
  department_id: string;
  item_code: string;
  hall_id: string;
  window_id: string;
  staff_id: string;
  received_on: NullableDate;
  accepted_on: NullableDate;
  completed_on: NullableDate;
  pending: boolean;
  online: boolean;
  prereviewed: boolean;
  corrected: boolean;
  deficiency: boolean;
  immediate_item: boolean;
  on_spot: boolean;
  on_time: boolean;
  timed: boolean;
  fully_online: boolean;
  legal_days: number;
  promised_days: number;
  days_taken: number;
  days_early: number;
  updated_at: Stamp;
};

export type SupDailyTable = {
  day: CivilDate;
  region_code: string;
  department_id: string;
  item_code: string;
  hall_id: string;
  window_id: string;
  staff_id: string;
  received: Count;
  received_online: Count;
  prereviewed: Count;
  corrected: Count;
  pending: Count;
  accepted: Count;
  deficiency: Count;
  completed: Count;
  on_time: Count;
  immediate_item: Count;
  on_spot: Count;
  fully_online: Count;
  timed: Count;
  legal_sum: Count;
  promised_sum: Count;
  taken_sum: Count;
  early_sum: Count;
};

/** The daily rollup's sums per calendar month (`month` is the month's first day). */
export type SupMonthlyTable = Omit<SupDailyTable, 'day'> & { month: CivilDate };

export type SupSettingsTable = {
  id: number;
  warn_days: Count;
  off_system_minutes: Count;
  alert_due_days: Count;
  card_due_days: Count;
  weights: Json;
  version: Count;
  updated_at: Stamp;
  updated_by: string | null;
};

export type AlertStatus = 'raised' | 'acknowledged' | 'rectified' | 'closed';
export type AlertSeverity = 'info' | 'warning' | 'serious';

export type SupAlertsTable = {
  id: string;
  rule: string;
  dedupe_key: string;
  severity: AlertSeverity;
  status: AlertStatus;
  case_id: string | null;
  case_number: string | null;
  item_name: string | null;
  region_code: string;
  department_id: string;
  staff_id: string | null;
  evidence: Json;
  raised_at: Stamp;
  due_on: CivilDate;
  acknowledged_at: NullableStamp;
  acknowledged_by: string | null;
  rectified_at: NullableStamp;
  rectified_by: string | null;
  rectification_note: string | null;
  rectification_evidence: Json;
  closed_at: NullableStamp;
  closed_by: string | null;
  close_note: string | null;
  version: Count;
};

export type CardStatus = 'issued' | 'rectified' | 'closed';

export type SupCardsTable = {
  id: string;
  number: string;
  color: 'yellow' | 'red';
  target_type: 'department' | 'staff';
  region_code: string;
  department_id: string;
  staff_id: string | null;
  reason: string;
  alert_ids: Json;
  status: CardStatus;
  issued_by: string;
  issued_at: Stamp;
  rectify_due: CivilDate;
  rectification_note: string | null;
  rectified_at: NullableStamp;
  rectified_by: string | null;
  closed_at: NullableStamp;
  closed_by: string | null;
  version: Count;
};

export type CaseFeesTable = {
  id: string;
  case_id: string;
  region_code: string;
  fee_code: string;
  fee_name: string;
  amount_fen: number;
  charged_at: Stamp;
  charged_by: string | null;
};

export type SupervisionTables = {
  sup_dirty: SupDirtyTable;
  sup_case_figures: SupCaseFiguresTable;
  sup_daily: SupDailyTable;
  sup_monthly: SupMonthlyTable;
  sup_settings: SupSettingsTable;
  sup_alerts: SupAlertsTable;
  sup_cards: SupCardsTable;
  case_fees: CaseFeesTable;
};
