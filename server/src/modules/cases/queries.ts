import {
  type ExpressionBuilder,
  type Insertable,
  type RawBuilder,
  type Selectable,
  sql,
  type Updateable,
} from 'kysely';
import { insertFrom } from '../../db/cte.js';
import type {
  AuditLogTable,
  CaseDocumentsTable,
  CaseEventsTable,
  CaseMaterialsTable,
  CasesTable,
  OutboxEventsTable,
} from '../../db/types.js';
import { type SessionColumns, sessionSelect } from '../../platform/auth/sessions.js';
import { containsPattern, type Page, paginate } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import type { PageQuery } from '../../platform/validation.js';
import { type HeldLetterRow, heldLettersQuery } from '../access/queries.js';
import { beforeAcceptance, caseStatuses } from './state-machine.js';

/** SQL for cases; only this module's services call it. */
export type CaseRow = Selectable<CasesTable>;
export type CaseRowWithDept = CaseRow & { department_name: string };

/**
 * The columns a list row shows (a case's summary): a third of the table's, and not the form, so a page of
 * twenty costs PostgreSQL and the server a third of what whole rows would.
 */
const SUMMARY_COLUMNS = [
  'id',
  'number',
  'region_code',
  'item_code',
  'item_name',
  'department_id',
  'channel',
  'status',
  'step_name',
  'applicant_name',
  'received_at',
  'accepted_at',
  'promised_due',
  'legal_due',
  'due_provisional',
  'warn_at',
  'promised_due_at',
  'deficiency_pending',
  'deficiency_due',
  'assignee_id',
  'version',
  'updated_at',
] as const satisfies readonly (keyof CaseRow)[];

export type CaseSummaryRow = Pick<CaseRow, (typeof SUMMARY_COLUMNS)[number]> & { department_name: string };

const summarySelect = SUMMARY_COLUMNS.map((c) => `c.${c}` as const);
const summarySql = sql.raw(summarySelect.join(', '));

/** A case row with its department's name: what every case read starts from. */
function caseWithDepartment(db: Tx) {
  return db
    .selectFrom('cases as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select('d.name as department_name');
}

export function getCase(db: Tx, id: string): Promise<CaseRowWithDept | undefined> {
  return caseWithDepartment(db).where('c.id', '=', id).executeTakeFirst();
}

/**
 * A case with its department's name and the letters this staff member holds in that department on `on`
 * (own and through AB posts; see access `heldFrom`), in one query: an action needs both.
 */
export async function getCaseWithLetters(
  db: Tx,
  id: string,
  staffId: string,
  on: string,
): Promise<(CaseRowWithDept & { letters: HeldLetterRow[] }) | undefined> {
  const letters = heldLettersQuery(db, staffId, sql.ref<string>('c.department_id'), on);
  const row = await caseWithDepartment(db)
    .select(sql<unknown>`(SELECT json_agg(h) FROM (${letters}) h)`.as('held_letters'))
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { held_letters, ...c } = row;
  return { ...c, letters: jsonArray<HeldLetterRow>(held_letters) };
}

/** A case read in the statement that read the caller's session (`sessionWithCase`), for its handler. */
export type PrefetchedCase = {
  id: string;
  /** The session's account: the read is used only by the actor it was read for. */
  accountId: string;
  on: string;
  row: (CaseRowWithDept & { letters: HeldLetterRow[] }) | undefined;
};

/**
 * The caller's session (`sessionSelect`) and, in the same statement, the case `caseId` with its department's
 * name and — for staff — the letters the session's staff member holds in that department on `on`: a case
 * action's request costs one round trip before its write instead of two. No session, no row: nothing about
 * the case is read for an unknown caller.
 */
export async function sessionWithCase(
  db: Tx,
  token: string,
  at: Date,
  caseId: string,
  on: string,
): Promise<{ session: SessionColumns | undefined; prefetched: PrefetchedCase | null }> {
  const letters = heldLettersQuery(
    db,
    sql.ref<string>('s.sess_account_id'),
    sql.ref<string>('c.department_id'),
    on,
  );
  const res = await sql<SessionColumns & Partial<CaseRowWithDept> & { held_letters: unknown }>`
    WITH s AS (${sessionSelect(token, at)})
    SELECT s.*, c.*, d.name AS department_name,
      CASE WHEN s.sess_account_type = 'staff' AND c.id IS NOT NULL
        THEN (SELECT json_agg(h) FROM (${letters}) h) END AS held_letters
    FROM s LEFT JOIN cases c ON c.id = ${caseId} LEFT JOIN departments d ON d.id = c.department_id`.execute(
    db,
  );
  const r = res.rows[0];
  if (!r) return { session: undefined, prefetched: null };
  const session = {} as Record<string, unknown>;
  const c = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(r)) {
    if (k.startsWith('sess_')) session[k] = v;
    else if (k !== 'held_letters') c[k] = v;
  }
  const row =
    c.id == null
      ? undefined
      : { ...(c as CaseRowWithDept), letters: jsonArray<HeldLetterRow>(r.held_letters) };
  return {
    session: session as SessionColumns,
    prefetched: { id: caseId, accountId: r.sess_account_id, on, row },
  };
}

/** The case a registration with this caller-and-Idempotency-Key created. */
export function getCaseByIdempotencyKey(db: Tx, key: string): Promise<CaseRowWithDept | undefined> {
  return caseWithDepartment(db).where('c.idempotency_key', '=', key).executeTakeFirst();
}

export async function insertCase(db: Tx, row: Insertable<CasesTable>): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

/**
 * A registration as one statement (no transaction of its own): the case, its material list, the timeline's
 * first event, the audit row and — for a case that starts at a window — the outbox event with the runners'
 * wake-up call. Returns the case as every read shows it (with its department's name). A duplicate
 * Idempotency-Key fails the whole statement (unique violation) and writes nothing.
 */
export async function registerCase(
  db: Tx,
  w: {
    row: Insertable<CasesTable>;
    materials: Insertable<CaseMaterialsTable>[];
    event: Insertable<CaseEventsTable>;
    audit: Insertable<AuditLogTable>;
    outbox: Insertable<OutboxEventsTable> | null;
    wakeChannel: string;
    /** Also read the letters this staff member holds in the case's department (the page's buttons). */
    lettersOf?: { staffId: string; on: string };
  },
): Promise<{ row: CaseRowWithDept; parts: Omit<DetailParts, 'letters'>; letters: HeldLetterRow[] }> {
  const parts = [
    sql`c AS (${db.insertInto('cases').values(w.row).returningAll()})`,
    ...(w.materials.length ? [sql`mat AS (${db.insertInto('case_materials').values(w.materials)})`] : []),
    sql`ev AS (${db.insertInto('case_events').values(w.event).returning('at')})`,
    sql`au AS (${db.insertInto('audit_log').values(w.audit)})`,
    ...(w.outbox ? [sql`ob AS (${db.insertInto('outbox_events').values(w.outbox).returning('id')})`] : []),
  ];
  const woke = w.outbox ? sql`(SELECT pg_notify(${w.wakeChannel}, 'outbox') FROM ob)` : sql`NULL`;
  const l = w.lettersOf;
  const letters = l
    ? sql`(SELECT json_agg(h) FROM (${heldLettersQuery(db, l.staffId, sql.ref<string>('c.department_id'), l.on)}) h)`
    : sql`NULL`;
  const res = await sql<CaseRowWithDept & { woke: unknown; written_at: Date; held_letters: unknown }>`
    WITH ${sql.join(parts)}
    SELECT c.*, d.name AS department_name, (SELECT at FROM ev) AS written_at, ${letters} AS held_letters,
      ${woke} AS woke
    FROM c JOIN departments d ON d.id = c.department_id`.execute(db);
  const row = res.rows[0];
  if (!row) throw new Error(`registration of case ${w.row.id} returned no row`);
  const { woke: _woke, written_at: at, held_letters, ...created } = row;
  // A new case's page needs nothing more from the database: its materials, its one event, no documents.
  return {
    row: created as CaseRowWithDept,
    parts: {
      materials: w.materials.map((m) => ({
        id: m.id,
        position: m.position,
        name: m.name,
        required: m.required,
        allow_deficiency: m.allow_deficiency ?? false,
        status: m.status ?? 'missing',
        file_name: null,
        file_sha256: null,
        note: null,
        supplied_at: null,
      })),
      events: [timelineEntry(w.event, at)],
      documents: [],
    },
    letters: jsonArray<HeldLetterRow>(held_letters),
  };
}

/**
 * The optimistic write: it changes the row only if nobody else did since it was read (same version and
 * status), and returns the row as written. Undefined when the race was lost; the caller answers 409 and its
 * transaction rolls back.
 */
export function updateCaseIfUnchanged(
  db: Tx,
  id: string,
  expected: { version: number; status: string },
  set: Updateable<CasesTable>,
): Promise<CaseRow | undefined> {
  return db
    .updateTable('cases')
    .set({ ...set, version: expected.version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', expected.version)
    .where('status', '=', expected.status)
    .returningAll()
    .executeTakeFirst();
}

/** The letter an action was authorised by, checked again by the write itself (see `writeCaseAction`). */
export type LetterCheck = {
  letterId: string;
  on: string;
  /** AB 岗: the primary the actor stands in for, who must still be absent and still have the actor as backup. */
  viaBackupOf: string | null;
  staffId: string;
  departmentId: string;
};

/** A case as an action wrote it, with its page's parts when the write could tell them (else null). */
export type WrittenCase = { row: CaseRow; parts: Omit<DetailParts, 'letters'> | null };

/**
 * A case action's whole write as one statement: the optimistic update of the row (same version and status,
 * and — for a staff action — the authorising letter still valid and, through an AB post, its primary still
 * absent), and only if that row changed, the documents, the timeline event, the audit row and the outbox
 * event, with the runners' wake-up call. One round trip and no transaction of its own; inside a caller's
 * transaction it is part of that. Undefined when the row did not change: nothing was written.
 */
export async function writeCaseAction(
  db: Tx,
  w: {
    id: string;
    expected: { version: number; status: string };
    set: Updateable<CasesTable>;
    letter: LetterCheck | null;
    documents: Insertable<CaseDocumentsTable>[];
    event: Insertable<CaseEventsTable>;
    audit: Insertable<AuditLogTable>;
    outbox: Insertable<OutboxEventsTable>;
    wakeChannel: string;
    /** Return the page's parts too (not when the caller changes more of the case after this statement). */
    withPage: boolean;
  },
): Promise<WrittenCase | undefined> {
  let update = db
    .updateTable('cases')
    .set({ ...w.set, version: w.expected.version + 1, updated_at: new Date() })
    .where('id', '=', w.id)
    .where('version', '=', w.expected.version)
    .where('status', '=', w.expected.status);
  const l = w.letter;
  if (l) {
    update = update.where((eb) =>
      eb.exists(
        eb
          .selectFrom('authorization_letters')
          .select('id')
          .where('id', '=', l.letterId)
          .where('revoked_at', 'is', null)
          .where('valid_from', '<=', l.on)
          .where((o) => o.or([o('valid_until', 'is', null), o('valid_until', '>=', l.on)])),
      ),
    );
    const primary = l.viaBackupOf;
    if (primary)
      update = update.where((eb) =>
        eb.exists(
          eb
            .selectFrom('ab_posts as a')
            .innerJoin('staff as p', 'p.id', 'a.primary_staff_id')
            .select('a.id')
            .where('a.primary_staff_id', '=', primary)
            .where('a.backup_staff_id', '=', l.staffId)
            .where('a.department_id', '=', l.departmentId)
            .where('p.absent', '=', true),
        ),
      );
  }
  const docs = w.documents.map(
    (d, i) => sql`, ${sql.id(`doc${i}`)} AS (${insertFrom('case_documents', d, 'upd')})`,
  );
  // The case page's parts come from the same statement: they see the case as it was before it (one snapshot),
  // so the event and documents written here are added to them from what was written.
  const res = await sql<CaseRow & RawDetailParts & { woke: unknown; written_at: Date }>`
    WITH upd AS (${update.returningAll()})${sql.join(docs, sql``)},
    ev AS (${insertFrom('case_events', w.event, 'upd')} RETURNING at),
    au AS (${insertFrom('audit_log', w.audit, 'upd')}),
    ob AS (${insertFrom('outbox_events', w.outbox, 'upd')} RETURNING id)
    SELECT upd.*, ${w.withPage ? detailColumns(sql`upd.id`) : sql`NULL AS materials, NULL AS events, NULL AS documents`}, (SELECT at FROM ev) AS written_at,
      (SELECT pg_notify(${w.wakeChannel}, 'outbox') FROM ob) AS woke
    FROM upd`.execute(db);
  const row = res.rows[0];
  if (!row) return undefined;
  const { woke: _woke, materials, events, documents, written_at: at, ...caseRow } = row;
  if (!w.withPage) return { row: caseRow as CaseRow, parts: null };
  const before = parseDetailParts({ materials, events, documents });
  return {
    row: caseRow as CaseRow,
    parts: {
      materials: before.materials,
      events: [...before.events, timelineEntry(w.event, at)],
      documents: [
        ...before.documents,
        ...w.documents.map((d) => ({ id: d.id, kind: d.kind, title: d.title, created_at: at })),
      ],
    },
  };
}

/**
 * An upload for a material that is not waiting as 容缺, as one statement: the material marked provided, the
 * file's record, the applicant's own copy in their material library (`applicantMaterialId`), and the audit
 * row with the material's name — all only if the material exists on the case and is not deferred, and the
 * case is still before acceptance. Returns the material's name and the case page's parts, or undefined when
 * nothing was written (the caller takes the general path, which reads the case again).
 */
export async function provideMaterial(
  db: Tx,
  w: {
    caseId: string;
    materialId: string;
    file: { sha256: string; name: string; kind: string; size: number; mime: string };
    applicant: { id: string; libraryId: string } | null;
    audit: Insertable<AuditLogTable>;
  },
): Promise<{ name: string; parts: Omit<DetailParts, 'letters'> } | undefined> {
  const at = new Date();
  const update = db
    .updateTable('case_materials')
    .set({
      status: 'provided',
      file_sha256: w.file.sha256,
      file_name: w.file.name,
      supplied_at: at,
      updated_at: at,
      note: null,
    })
    .where('id', '=', w.materialId)
    .where('case_id', '=', w.caseId)
    .where('status', '<>', 'deferred')
    // The case may have been accepted since it was read (the read can be from before the file arrived).
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('cases')
          .select('id')
          .where('id', '=', w.caseId)
          .where('status', 'in', beforeAcceptance),
      ),
    )
    .returning('name');
  const f = w.file;
  const library = w.applicant
    ? sql`, lib AS (${insertFrom(
        'applicant_materials',
        {
          id: w.applicant.libraryId,
          applicant_id: w.applicant.id,
          name: sql.ref('m.name'),
          file_sha256: f.sha256,
          file_name: f.name,
          kind: f.kind,
          size: f.size,
        },
        'm',
      )} ON CONFLICT (applicant_id, file_sha256, name) DO NOTHING)`
    : sql``;
  const audit = {
    ...w.audit,
    after: sql`jsonb_build_object('material', m.name, 'sha256', ${f.sha256}::text)`,
  };
  // The case page's parts from the same statement (one snapshot: the material as it was, updated here from
  // what was written).
  const res = await sql<RawDetailParts & { name: string }>`WITH m AS (${update}),
    f AS (${insertFrom('files', { sha256: f.sha256, size: f.size, mime: f.mime, kind: f.kind }, 'm')}
      ON CONFLICT (sha256) DO NOTHING)${library},
    au AS (${insertFrom('audit_log', audit, 'm')})
    SELECT m.name, ${detailColumns(sql`${w.caseId}`)} FROM m`.execute(db);
  const row = res.rows[0];
  if (!row) return undefined;
  const parts = parseDetailParts(row);
  return {
    name: row.name,
    parts: {
      ...parts,
      materials: parts.materials.map((x) =>
        x.id === w.materialId
          ? {
              ...x,
              status: 'provided',
              file_sha256: f.sha256,
              file_name: f.name,
              supplied_at: at,
              note: null,
            }
          : x,
      ),
    },
  };
}

export async function insertEvent(db: Tx, row: Insertable<CaseEventsTable>): Promise<void> {
  await db.insertInto('case_events').values(row).execute();
}

export type ProgressRow = Pick<
  CaseRowWithDept,
  | 'id'
  | 'number'
  | 'status'
  | 'item_name'
  | 'department_name'
  | 'step_name'
  | 'received_at'
  | 'accepted_at'
  | 'promised_due'
  | 'completed_at'
  | 'applicant_id_number'
  | 'applicant_uscc'
  | 'applicant_mobile'
> & { timeline: { at: Date; action: string; to_status: string; step_name: string | null }[] };

/** What the public progress query shows of a case, with its timeline, in one query. */
export async function progressByNumber(db: Tx, number: string): Promise<ProgressRow | undefined> {
  const res = await sql<Omit<ProgressRow, 'timeline'> & { timeline: unknown }>`
    SELECT c.id, c.number, c.status, c.item_name, d.name AS department_name, c.step_name, c.received_at,
      c.accepted_at, c.promised_due, c.completed_at, c.applicant_id_number, c.applicant_uscc, c.applicant_mobile,
      (SELECT json_agg(json_build_object('at', e.at, 'action', e.action, 'to_status', e.to_status,
          'step_name', e.step_name) ORDER BY e.at, e.id)
        FROM case_events e WHERE e.case_id = c.id) AS timeline
    FROM cases c JOIN departments d ON d.id = c.department_id
    WHERE c.number = ${number}`.execute(db);
  const row = res.rows[0];
  if (!row) return undefined;
  type E = Omit<ProgressRow['timeline'][number], 'at'> & { at: Stamp };
  return { ...row, timeline: jsonArray<E>(row.timeline).map((e) => ({ ...e, at: new Date(e.at) })) };
}

export function materials(db: Tx, caseId: string) {
  return db
    .selectFrom('case_materials')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('position')
    .execute();
}

export async function insertMaterials(db: Tx, rows: Insertable<CaseMaterialsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('case_materials').values(rows).execute();
}

type Stamp = string | Date;
export type DetailParts = {
  materials: Array<{
    id: string;
    position: number;
    name: string;
    required: boolean;
    allow_deficiency: boolean;
    status: Selectable<CaseMaterialsTable>['status'];
    file_name: string | null;
    file_sha256: string | null;
    note: string | null;
    supplied_at: Date | null;
  }>;
  events: Array<{
    at: Date;
    action: string;
    from_status: string | null;
    to_status: string;
    step_name: string | null;
    actor_type: string;
    actor_name: string;
    via_backup_of: string | null;
    reason: string | null;
  }>;
  documents: Array<{ id: string; kind: string; title: string; created_at: Date }>;
  /** The letters the staff member named in the call holds in the case's department (see `heldFrom`). */
  letters: HeldLetterRow[];
};

const asDate = (v: Stamp | null): Date | null => (v === null ? null : new Date(v));
function jsonArray<T>(v: unknown): T[] {
  if (v === null || v === undefined) return [];
  return (typeof v === 'string' ? JSON.parse(v) : v) as T[];
}

/**
 * What a case page shows besides the case row — materials, timeline, documents (without their content) —
 * in one query: every action answers with the case as it now stands, so this runs on every write.
 */
export async function detailParts(
  db: Tx,
  caseId: string,
  /** Also read the letters this staff member holds in the department (for the page's buttons). */
  letters?: { staffId: string; departmentId: string; on: string },
): Promise<DetailParts> {
  const held = letters
    ? sql`(SELECT json_agg(h) FROM (${heldLettersQuery(db, letters.staffId, letters.departmentId, letters.on)}) h)`
    : sql`NULL`;
  const res = await sql<RawDetailParts & { letters: unknown }>`
    SELECT ${detailColumns(sql`${caseId}`)}, ${held} AS letters`.execute(db);
  const row = res.rows[0];
  return { ...parseDetailParts(row), letters: jsonArray<HeldLetterRow>(row?.letters) };
}

/** A timeline event as the case page shows it, from the row just written and the time PostgreSQL gave it. */
function timelineEntry(e: Insertable<CaseEventsTable>, at: Date): DetailParts['events'][number] {
  return {
    at,
    action: e.action,
    from_status: e.from_status ?? null,
    to_status: e.to_status,
    step_name: e.step_name ?? null,
    actor_type: e.actor_type,
    actor_name: e.actor_name,
    via_backup_of: e.via_backup_of ?? null,
    reason: e.reason ?? null,
  };
}

type RawDetailParts = { materials: unknown; events: unknown; documents: unknown };

/** The select-list columns `materials`, `events`, `documents` of a case page, for the case `caseId`. */
function detailColumns(caseId: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
      (SELECT json_agg(json_build_object('id', m.id, 'position', m.position, 'name', m.name,
          'required', m.required, 'allow_deficiency', m.allow_deficiency, 'status', m.status,
          'file_name', m.file_name, 'file_sha256', m.file_sha256, 'note', m.note, 'supplied_at', m.supplied_at)
          ORDER BY m.position)
        FROM case_materials m WHERE m.case_id = ${caseId}) AS materials,
      (SELECT json_agg(json_build_object('at', e.at, 'action', e.action, 'from_status', e.from_status,
          'to_status', e.to_status, 'step_name', e.step_name, 'actor_type', e.actor_type,
          'actor_name', e.actor_name, 'via_backup_of', e.via_backup_of, 'reason', e.reason)
          ORDER BY e.at, e.id)
        FROM case_events e WHERE e.case_id = ${caseId}) AS events,
      (SELECT json_agg(json_build_object('id', d.id, 'kind', d.kind, 'title', d.title, 'created_at', d.created_at)
          ORDER BY d.created_at)
        FROM case_documents d WHERE d.case_id = ${caseId}) AS documents`;
}

function parseDetailParts(row: RawDetailParts | undefined): Omit<DetailParts, 'letters'> {
  type M = Omit<DetailParts['materials'][number], 'supplied_at'> & { supplied_at: Stamp | null };
  type E = Omit<DetailParts['events'][number], 'at'> & { at: Stamp };
  type D = Omit<DetailParts['documents'][number], 'created_at'> & { created_at: Stamp };
  return {
    materials: jsonArray<M>(row?.materials).map((m) => ({ ...m, supplied_at: asDate(m.supplied_at) })),
    events: jsonArray<E>(row?.events).map((e) => ({ ...e, at: new Date(e.at) })),
    documents: jsonArray<D>(row?.documents).map((d) => ({ ...d, created_at: new Date(d.created_at) })),
  };
}

export type CaseFilter = PageQuery & {
  statuses?: string[];
  departmentIds?: string[] | null;
  applicantAccountId?: string;
  assigneeId?: string;
  regionPrefixes?: string[] | null;
  staffId?: string;
  stepRoles?: string[];
  itemCode?: string;
  channel?: string;
  warning?: 'green' | 'yellow' | 'red';
  now: Date;
};

/**
 * Running cases by how their promised deadline stands at `now`: red past it, yellow in the warning days
 * before it, green before those.
 */
function warningIs(warning: 'green' | 'yellow' | 'red', now: Date) {
  return (eb: ExpressionBuilder<{ c: CasesTable }, 'c'>) => {
    const running = eb('c.status', 'in', ['accepted', 'suspended']);
    if (warning === 'red') return eb.and([running, eb('c.promised_due_at', '<', now)]);
    if (warning === 'yellow')
      return eb.and([running, eb('c.warn_at', '<=', now), eb('c.promised_due_at', '>=', now)]);
    return eb.and([running, eb('c.warn_at', '>', now)]);
  };
}

/** Cases waiting for one of `roles`: running at a step of theirs, or in any status but accepted. */
function atStepOf(roles: string[]) {
  return (eb: ExpressionBuilder<{ c: CasesTable }, 'c'>) =>
    eb.or([eb('c.status', '<>', 'accepted'), eb('c.step_role', 'in', roles)]);
}

/**
 * A staff member's inbox or department list (no search, item, channel or region filter): the cases of their
 * departments plus those they registered or file as agent outside them, in given statuses (for the back
 * office, at their steps; perhaps by deadline warning).
 *
 * The page: for each (department, status) the index `cases_inbox_idx` is read in the list's order and only
 * as far as the page reaches, the registered-by and agent parts from their indexes; the page's rows are
 * then read from the table. The total: the counters of `case_counts` (migration 0013, kept by triggers in
 * the case's own transaction, so exact) plus the small outside part — not a count of thousands of entries,
 * which at a million cases was most of the inbox's cost. A deadline-warning view counts its running cases.
 * The statement's text depends only on the number of departments and statuses, the filters present and the
 * page, so it is prepared (db/prepared.ts) and not planned again per request.
 */
function isStaffList(f: CaseFilter): boolean {
  return (
    !f.q &&
    !f.itemCode &&
    !f.channel &&
    !f.assigneeId &&
    !f.applicantAccountId &&
    !f.regionPrefixes?.length &&
    Boolean(f.departmentIds?.length || f.staffId)
  );
}

const RUNNING = ['accepted', 'suspended'];

async function listStaffCases(db: Tx, f: CaseFilter): Promise<Page<CaseSummaryRow>> {
  const depts = [...new Set(f.departmentIds ?? [])];
  let statuses: string[] = f.statuses?.length ? [...new Set(f.statuses)] : [...caseStatuses];
  if (f.warning) statuses = statuses.filter((x) => RUNNING.includes(x));
  const roles = f.stepRoles?.length ? f.stepRoles : null;
  const offset = (f.page - 1) * f.pageSize;
  const empty = { items: [], total: 0, page: f.page, pageSize: f.pageSize };
  if (statuses.length === 0 || (depts.length === 0 && !f.staffId)) return empty;

  const statusList = sql`${statuses}::text[]`;
  /** The cases of one part (`where` picks it), with the role and warning filters. */
  const part = (where: RawBuilder<boolean>) => {
    let q = db.selectFrom('cases as c').select(['c.id', 'c.promised_due_at', 'c.created_at']).where(where);
    if (roles) q = q.where(atStepOf(roles));
    if (f.warning) q = q.where(warningIs(f.warning, f.now));
    return q;
  };
  const none = sql`SELECT c.id, c.promised_due_at, c.created_at FROM cases c WHERE false`;
  const keys = depts.flatMap((d) => statuses.map((st) => sql`(${d}::uuid, ${st}::text)`));
  const inOrder = part(sql<boolean>`c.department_id = k.d AND c.status = k.s`)
    .orderBy('c.promised_due_at', (ob) => ob.asc().nullsLast())
    .orderBy('c.created_at', 'desc')
    .limit(sql.lit(offset + f.pageSize));
  const own = keys.length
    ? sql`SELECT x.* FROM (VALUES ${sql.join(keys)}) k(d, s) CROSS JOIN LATERAL (${inOrder}) x`
    : none;
  // Per status, so each is an index range of what waits, not every case this person ever registered
  // (OFFSET 0 keeps PostgreSQL from flattening the subquery into one scan of all of them).
  const statusRows = sql.join(statuses.map((st) => sql`(${st}::text)`));
  const outside = (column: 'registered_by' | 'proxy_agent_id') => {
    const q = part(
      sql<boolean>`${sql.ref(`c.${column}`)} = ${f.staffId} AND c.status = k.s AND c.department_id <> ALL(${depts}::uuid[])`,
    ).offset(sql.lit(0));
    return sql`SELECT x.* FROM (VALUES ${statusRows}) k(s) CROSS JOIN LATERAL (${q}) x`;
  };
  const extra = f.staffId ? sql`${outside('registered_by')} UNION ${outside('proxy_agent_id')}` : none;
  const ownTotal = !depts.length
    ? sql`0`
    : f.warning
      ? sql`(SELECT count(*) FROM (${part(sql<boolean>`c.department_id = ANY(${depts}::uuid[]) AND c.status = ANY(${statusList})`)}) w)`
      : sql`(SELECT coalesce(sum(k.n), 0) FROM case_counts k WHERE k.department_id = ANY(${depts}::uuid[])
          AND k.status = ANY(${statusList}) ${roles ? sql`AND (k.status <> 'accepted' OR k.step_role = ANY(${roles}::text[]))` : sql``})`;
  const res = await sql<
    Partial<CaseSummaryRow> & { total_matches: number; sort_due: unknown; sort_created: unknown }
  >`/*prepare*/
    WITH own AS (${own}), extra AS (${extra}),
    p AS (SELECT * FROM own UNION ALL SELECT * FROM extra
      ORDER BY promised_due_at ASC NULLS LAST, created_at DESC LIMIT ${sql.lit(f.pageSize)} OFFSET ${sql.lit(offset)}),
    t AS (SELECT (${ownTotal} + (SELECT count(*) FROM extra))::int AS total_matches)
    SELECT t.total_matches, r.* FROM t LEFT JOIN (
      SELECT ${summarySql}, d.name AS department_name, p.promised_due_at AS sort_due, p.created_at AS sort_created
      FROM p JOIN cases c ON c.id = p.id JOIN departments d ON d.id = c.department_id) r ON true
    ORDER BY r.sort_due ASC NULLS LAST, r.sort_created DESC`.execute(db);
  const total = Number(res.rows[0]?.total_matches ?? 0);
  const items = res.rows
    .filter((row) => row.id !== null && row.id !== undefined)
    .map(({ total_matches: _, sort_due: _d, sort_created: _c, ...row }) => row as CaseSummaryRow);
  return { items, total, page: f.page, pageSize: f.pageSize };
}

export async function listCases(db: Tx, f: CaseFilter): Promise<Page<CaseSummaryRow>> {
  if (isStaffList(f)) return listStaffCases(db, f);
  let q = db.selectFrom('cases as c').innerJoin('departments as d', 'd.id', 'c.department_id');
  if (f.applicantAccountId) q = q.where('c.applicant_account_id', '=', f.applicantAccountId);
  if (f.assigneeId) q = q.where('c.assignee_id', '=', f.assigneeId);
  if (f.departmentIds || f.regionPrefixes || f.staffId) {
    const depts = f.departmentIds ?? [];
    const prefixes = f.regionPrefixes ?? [];
    const staffId = f.staffId;
    q = q.where((eb) =>
      eb.or([
        ...(depts.length ? [eb('c.department_id', 'in', depts)] : []),
        ...prefixes.map((p) => eb('c.region_code', 'like', `${p}%`)),
        ...(staffId ? [eb('c.proxy_agent_id', '=', staffId), eb('c.registered_by', '=', staffId)] : []),
        eb.val(false),
      ]),
    );
  }
  if (f.statuses?.length) q = q.where('c.status', 'in', f.statuses);
  if (f.stepRoles?.length) {
    const roles = f.stepRoles;
    q = q.where(atStepOf(roles));
  }
  if (f.itemCode) q = q.where('c.item_code', '=', f.itemCode);
  if (f.channel) q = q.where('c.channel', '=', f.channel as CaseRow['channel']);
  if (f.warning) q = q.where(warningIs(f.warning, f.now));
  if (f.q) {
    const p = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([eb('c.number', 'like', p), eb('c.item_name', 'like', p), eb('c.applicant_name', 'like', p)]),
    );
  }
  // One pass over the matching rows gives the page and the total (a window count), instead of a count query
  // and a page query each visiting every match. A page past the end has no row to carry the total: then a
  // plain count answers.
  const rows = await q
    .select(summarySelect)
    .select('d.name as department_name')
    .select(sql<number>`count(*) OVER ()`.as('total_matches'))
    .orderBy('c.promised_due_at', (ob) => ob.asc().nullsLast())
    .orderBy('c.created_at', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  if (rows.length === 0 && f.page > 1) return paginate(q.select('c.id'), f, async () => []);
  const items = rows.map(({ total_matches: _, ...row }) => row as CaseSummaryRow);
  return { items, total: Number(rows[0]?.total_matches ?? 0), page: f.page, pageSize: f.pageSize };
}
