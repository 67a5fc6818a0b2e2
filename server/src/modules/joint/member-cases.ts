import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { now } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { maskName } from '../../platform/mask.js';
import { applicantColumns, type CaseApplicant } from '../cases/applicant.js';
import * as cq from '../cases/queries.js';
import type { MemberItem } from './items.js';

/**
 * Registering the sub-cases of a joint application (or a major project's approval, with its link to the
 * card). The cases module registers one case per transaction; a joint application must register all of its
 * members or none, so the rows are written here, in the caller's transaction, through the cases module's own queries and with the same timeline and audit entries its
 * `createCase` writes. Everything after registration goes through the cases service (`systemAct`, `act`).
 */
export type SubCaseSpec = {
  id: string;
  number: string;
  item: MemberItem;
  regionCode: string;
  channel: 'online' | 'window' | 'proxy';
  applicant: CaseApplicant & { locale: string };
  registeredBy: string | null;
  proxyAgentId: string | null;
  form: Record<string, string>;
  /** The joint material set, by name: what the applicant handed in once. */
  provided: Map<string, { sha256: string; fileName: string }>;
  /** Why the case exists, shown in its timeline: a joint case, or a major project's approval (代办). */
  origin: { jointNumber: string } | { projectCode: string };
};

export async function registerSubCase(
  trx: Transaction<Database>,
  actor: Actor,
  spec: SubCaseSpec,
): Promise<void> {
  const { item } = spec;
  const steps = item.data.steps;
  const at = now();
  await cq.insertCase(trx, {
    id: spec.id,
    number: spec.number,
    region_code: spec.regionCode,
    item_version_id: item.versionId,
    item_code: item.code,
    item_name: item.name,
    department_id: item.departmentId,
    hall_id: null,
    window_id: null,
    channel: spec.channel,
    status: 'registered',
    case_kind: item.data.caseKind === 'immediate' ? 'immediate' : 'promised',
    step_index: 0,
    step_name: steps[0]?.name ?? null,
    step_role: steps[0]?.role ?? null,
    ...applicantColumns(spec.applicant),
    applicant_email: null,
    applicant_locale: spec.applicant.locale,
    proxy_agent_id: spec.proxyAgentId,
    registered_by: spec.registeredBy,
    form: JSON.stringify(spec.form),
    deemed_allowed: item.data.deemedApproval,
    promised_days: item.data.promisedLimitDays,
    legal_days: item.data.legalLimitDays,
    received_at: at,
  });
  await cq.insertMaterials(
    trx,
    item.data.materials.map((m, i) => {
      const file = spec.provided.get(m.name);
      return {
        id: newId(),
        case_id: spec.id,
        region_code: spec.regionCode,
        position: i,
        name: m.name,
        required: m.requirement === 'required',
        allow_deficiency: false,
        status: file ? ('provided' as const) : ('missing' as const),
        file_sha256: file?.sha256 ?? null,
        file_name: file?.fileName ?? null,
        supplied_at: file ? at : null,
      };
    }),
  );
  await cq.insertEvent(trx, {
    id: newId(),
    case_id: spec.id,
    region_code: spec.regionCode,
    action: 'register',
    from_status: null,
    to_status: 'registered',
    step_name: null,
    actor_type: actor.type,
    actor_id: actor.id,
    actor_name: actor.displayName,
    via_backup_of: null,
    reason:
      'jointNumber' in spec.origin
        ? `并联审批 ${spec.origin.jointNumber}`
        : `重大项目 ${spec.origin.projectCode} 代办`,
    data: JSON.stringify({ channel: spec.channel, ...spec.origin }),
  });
  await recordAudit(trx, actor, {
    action: 'case.register',
    targetType: 'case',
    targetId: spec.id,
    regionCode: spec.regionCode,
    after: {
      number: spec.number,
      itemCode: item.code,
      channel: spec.channel,
      status: 'registered',
      ...spec.origin,
      applicant: maskName(spec.applicant.name),
    },
  });
}
