/**
 * The life of a case (办件) as a table: which action may run in which status, what status it leads to, and
 * which authorisation-letter action (授权书) the actor needs. Every transition in the service goes through
 * `transition()`, so a case can never reach a status this table does not name.
 */
export const caseStatuses = [
  'draft', // online draft, the applicant is still editing
  'submitted', // online submission waiting for pre-review (网上预审)
  'returned', // pre-review returned it with reasons; the applicant may edit and resubmit
  'registered', // received and registered (预登记), waiting for the acceptance decision
  'correcting', // correction notice issued (补正告知, 一次性告知); waiting for the applicant
  'accepted', // 受理: the clock runs; the case moves through the item's back-office steps
  'suspended', // special stage (art. 45) or 中止: the clock stops
  'approved', // 准予许可 decided (or deemed / on commitment); the result is to be issued
  'denied', // 不予许可 decided; the decision is to be issued
  'completed', // 办结: the result or decision has been issued
  'delivered', // 送达: handed over, mailed or downloaded
  'refused', // 不予受理
  'withdrawn', // 撤回 by the applicant
  'terminated', // 终止
] as const;

export type CaseStatus = (typeof caseStatuses)[number];

export const terminalStatuses: readonly CaseStatus[] = ['delivered', 'refused', 'withdrawn', 'terminated'];
/** Statuses in which the legal/promised clock runs. */
export const clockRunning: readonly CaseStatus[] = ['accepted'];
/** Before acceptance: any material may still be uploaded or replaced (after it, only a 容缺 one). */
export const beforeAcceptance: readonly CaseStatus[] = [
  'draft',
  'submitted',
  'returned',
  'registered',
  'correcting',
];
/** Open = someone still has to act. */
export const openStatuses: readonly CaseStatus[] = [
  'submitted',
  'registered',
  'correcting',
  'accepted',
  'suspended',
  'approved',
  'denied',
  'completed',
];

export type LetterNeed = 'accept' | 'review' | 'approve' | 'issue' | null;
export type Who = 'applicant' | 'staff' | 'system';

export type ActionSpec = {
  from: readonly CaseStatus[];
  to: CaseStatus;
  who: readonly Who[];
  letter: LetterNeed;
  /** A reason the actor must give (returned to the applicant and kept in the timeline). */
  needsReason: boolean;
};

export const actions = {
  submit: { from: ['draft'], to: 'submitted', who: ['applicant', 'staff'], letter: null, needsReason: false },
  preReviewPass: {
    from: ['submitted'],
    to: 'registered',
    who: ['staff'],
    letter: 'accept',
    needsReason: false,
  },
  preReviewReturn: {
    from: ['submitted'],
    to: 'returned',
    who: ['staff'],
    letter: 'accept',
    needsReason: true,
  },
  resubmit: {
    from: ['returned'],
    to: 'submitted',
    who: ['applicant', 'staff'],
    letter: null,
    needsReason: false,
  },
  /** The system accepts the sub-cases of a joint case its first window accepted (首问启动, joint module). */
  accept: {
    from: ['registered'],
    to: 'accepted',
    who: ['staff', 'system'],
    letter: 'accept',
    needsReason: false,
  },
  /** Administrative Licensing Law art. 32: no decision within 5 working days of receipt counts as accepted. */
  autoAccept: {
    from: ['registered', 'submitted'],
    to: 'accepted',
    who: ['system'],
    letter: null,
    needsReason: true,
  },
  refuse: {
    from: ['registered', 'submitted'],
    to: 'refused',
    who: ['staff'],
    letter: 'accept',
    needsReason: true,
  },
  requestCorrection: {
    from: ['registered', 'submitted'],
    to: 'correcting',
    who: ['staff'],
    letter: 'accept',
    needsReason: true,
  },
  supplyCorrection: {
    from: ['correcting'],
    to: 'registered',
    who: ['applicant', 'staff'],
    letter: null,
    needsReason: false,
  },
  /** 即办件: accepted, decided and issued at the window in one act. */
  completeOnSpot: {
    from: ['registered'],
    to: 'completed',
    who: ['staff'],
    letter: 'accept',
    needsReason: false,
  },
  pass: { from: ['accepted'], to: 'accepted', who: ['staff'], letter: 'review', needsReason: false },
  returnStep: { from: ['accepted'], to: 'accepted', who: ['staff'], letter: 'review', needsReason: true },
  approve: { from: ['accepted'], to: 'approved', who: ['staff'], letter: 'approve', needsReason: false },
  deny: { from: ['accepted'], to: 'denied', who: ['staff'], letter: 'approve', needsReason: true },
  /** 超时默认: the deadline passed without a decision on an item that allows it. */
  deemApprove: { from: ['accepted'], to: 'approved', who: ['system'], letter: null, needsReason: true },
  /** 告知承诺: approved at once on the applicant's written commitment; verified afterwards. */
  approveOnCommitment: {
    from: ['registered'],
    to: 'approved',
    who: ['staff'],
    letter: 'approve',
    needsReason: false,
  },
  issue: {
    from: ['approved', 'denied'],
    to: 'completed',
    who: ['staff'],
    letter: 'issue',
    needsReason: false,
  },
  /** The system delivers joint sub-cases at the joint case's one handover (统一发证, joint module). */
  deliver: {
    from: ['completed'],
    to: 'delivered',
    who: ['staff', 'applicant', 'system'],
    letter: null,
    needsReason: false,
  },
  suspend: { from: ['accepted'], to: 'suspended', who: ['staff'], letter: 'review', needsReason: true },
  /** The system resumes joint sub-cases when the applicant supplies a combined correction (joint module). */
  resume: {
    from: ['suspended'],
    to: 'accepted',
    who: ['staff', 'system'],
    letter: 'review',
    needsReason: false,
  },
  extend: {
    from: ['accepted', 'suspended'],
    to: 'accepted',
    who: ['staff'],
    letter: 'approve',
    needsReason: true,
  },
  /** The system ends the other sub-cases when a member denies and the joint template says stop. */
  terminate: {
    from: ['accepted', 'suspended'],
    to: 'terminated',
    who: ['staff', 'system'],
    letter: 'approve',
    needsReason: true,
  },
  withdraw: {
    from: ['draft', 'submitted', 'returned', 'registered', 'correcting', 'accepted', 'suspended'],
    to: 'withdrawn',
    who: ['applicant'],
    letter: null,
    needsReason: false,
  },
} as const satisfies Record<string, ActionSpec>;

export type CaseAction = keyof typeof actions;

export const caseActions = Object.keys(actions) as CaseAction[];

/** The status an action leads to, or null when it may not run in this status. */
export function transition(status: CaseStatus, action: CaseAction): CaseStatus | null {
  const spec: ActionSpec = actions[action];
  if (!spec.from.includes(status)) return null;
  // `extend` keeps a suspended case suspended: the extension only moves the deadline.
  if (action === 'extend') return status;
  return spec.to;
}

/** Actions that may run now, for the UI's buttons. */
export function availableActions(status: CaseStatus, who: Who): CaseAction[] {
  return caseActions.filter(
    (a) => transition(status, a) !== null && (actions[a].who as readonly Who[]).includes(who),
  );
}

export function isTerminal(status: CaseStatus): boolean {
  return terminalStatuses.includes(status);
}
