import type { Tx } from '../../platform/tx.js';

/** Who a case (or a joint case) is filed for, as its applicant_* columns record it. */
export type CaseApplicant = {
  /** Their portal account, if they have one: the case then shows in their "my cases". */
  account: string | null;
  kind: 'person' | 'enterprise';
  name: string;
  idNumber: string | null;
  uscc: string | null;
  mobile: string;
};

/** An applicant filing for themselves: their account as it stands. */
export async function accountApplicant(db: Tx, accountId: string): Promise<CaseApplicant> {
  const a = await db
    .selectFrom('applicants')
    .selectAll()
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return { account: a.id, kind: a.kind, name: a.name, idNumber: a.id_number, uscc: a.uscc, mobile: a.mobile };
}

/**
 * An applicant a window clerk, proxy agent or department system files for: as given, linked to the account
 * with the same ID number (person) or USCC (enterprise) if there is one.
 */
export async function filedApplicant(
  db: Tx,
  a: { kind: 'person' | 'enterprise'; name: string; idNumber?: string; uscc?: string; mobile: string },
): Promise<CaseApplicant> {
  const account = await db
    .selectFrom('applicants')
    .select('id')
    .where(
      a.kind === 'person' ? 'id_number' : 'uscc',
      '=',
      (a.kind === 'person' ? a.idNumber : a.uscc) ?? '#',
    )
    .executeTakeFirst();
  return {
    account: account?.id ?? null,
    kind: a.kind,
    name: a.name,
    idNumber: a.idNumber ?? null,
    uscc: a.uscc ?? null,
    mobile: a.mobile,
  };
}

/** The applicant_* columns of a case or joint case row. */
export function applicantColumns(a: CaseApplicant) {
  return {
    applicant_account_id: a.account,
    applicant_kind: a.kind,
    applicant_name: a.name,
    applicant_id_number: a.idNumber,
    applicant_uscc: a.uscc,
    applicant_mobile: a.mobile,
  };
}
