/**
 * The case vocabularies (statuses, actions, channels …) with their labels in the current language, shared by
 * the portal and the workbench. The API speaks keys; people read these labels.
 */
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  type CaseAction,
  type CaseStatus,
  type Channel,
  type DeliveryMethod,
  type MaterialStatus,
  type SuspensionKind,
  TIMELINE_EXTRAS,
} from '../api/cases';
import type { Translate } from '../i18n/i18n';

export const caseStatusLabel = (t: Translate, status: CaseStatus) => t(`case.status.${status}`);

export function isCaseStatus(value: string): value is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(value);
}

/** A status the server may add later is shown as it is. */
export function anyStatusLabel(t: Translate, status: string): string {
  return isCaseStatus(status) ? caseStatusLabel(t, status) : status;
}

export const caseActionLabel = (t: Translate, action: CaseAction) => t(`case.action.${action}`);

/** The label of a timeline entry: an action, the registration or a supplied 容缺 material. */
export function timelineLabel(t: Translate, action: string): string {
  if ((CASE_ACTIONS as readonly string[]).includes(action)) return caseActionLabel(t, action as CaseAction);
  if ((TIMELINE_EXTRAS as readonly string[]).includes(action))
    return t(`case.action.${action as (typeof TIMELINE_EXTRAS)[number]}`);
  return action;
}

export const channelLabel = (t: Translate, channel: Channel) => t(`case.channel.${channel}`);
export const materialStatusLabel = (t: Translate, status: MaterialStatus) => t(`case.material.${status}`);
export const suspensionLabel = (t: Translate, kind: SuspensionKind) => t(`case.suspension.${kind}`);
export const deliveryLabel = (t: Translate, method: DeliveryMethod) => t(`case.delivery.${method}`);

/** Tag colours: the theme's status colours, which meet AA contrast. */
export const STATUS_COLORS: Record<CaseStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  registered: 'processing',
  correcting: 'warning',
  accepted: 'processing',
  suspended: 'warning',
  approved: 'success',
  denied: 'error',
  completed: 'success',
  delivered: 'success',
  refused: 'error',
  withdrawn: 'default',
  terminated: 'default',
};

export const MATERIAL_COLORS: Record<MaterialStatus, string> = {
  provided: 'success',
  missing: 'default',
  deficient: 'error',
  deferred: 'warning',
};
