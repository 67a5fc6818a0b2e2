import type { Locale } from '../../platform/i18n.js';
import { registerTemplate, type TemplateEnv } from '../../platform/notify/templates.js';
import { caseActions } from './state-machine.js';

/**
 * What the applicant is told at every step (统一告知), by SMS, e-mail and in-app message, in their language.
 * The payload is what `runAction` put in the outbox: number, item name, action, reason, promised date.
 */
type CasePayload = {
  caseId: string;
  number: string;
  itemName: string;
  status: string;
  action?: string;
  reason?: string | null;
  promisedDue?: string | null;
};

const phrases: Record<string, { 'zh-CN': string; 'en-US': string }> = {
  registered: { 'zh-CN': '已登记', 'en-US': 'has been registered' },
  submit: { 'zh-CN': '已提交,等待网上预审', 'en-US': 'has been submitted for online pre-review' },
  resubmit: { 'zh-CN': '已重新提交', 'en-US': 'has been resubmitted' },
  preReviewPass: { 'zh-CN': '已通过网上预审', 'en-US': 'has passed the online pre-review' },
  preReviewReturn: { 'zh-CN': '预审未通过,已退回', 'en-US': 'was returned by the pre-review' },
  accept: { 'zh-CN': '已受理', 'en-US': 'has been accepted' },
  autoAccept: { 'zh-CN': '依法视为受理', 'en-US': 'counts as accepted by law (art. 32)' },
  refuse: { 'zh-CN': '不予受理', 'en-US': 'was not accepted' },
  requestCorrection: {
    'zh-CN': '需要补正材料(一次性告知)',
    'en-US': 'needs corrected materials (all listed at once)',
  },
  supplyCorrection: { 'zh-CN': '补正材料已收到', 'en-US': 'corrections received' },
  completeOnSpot: { 'zh-CN': '已当场办结', 'en-US': 'was completed on the spot' },
  pass: { 'zh-CN': '进入下一办理环节', 'en-US': 'moved to the next step' },
  returnStep: { 'zh-CN': '退回上一环节重新审查', 'en-US': 'went back a step for another review' },
  approve: { 'zh-CN': '审批通过', 'en-US': 'has been approved' },
  deny: { 'zh-CN': '不予许可', 'en-US': 'was denied' },
  deemApprove: {
    'zh-CN': '逾期未决定,依法视为准予',
    'en-US': 'is deemed approved: the deadline passed without a decision',
  },
  approveOnCommitment: {
    'zh-CN': '已按告知承诺准予',
    'en-US': 'has been approved on your written commitment',
  },
  issue: { 'zh-CN': '已办结,结果已出具', 'en-US': 'is complete; the result has been issued' },
  deliver: { 'zh-CN': '办理结果已送达', 'en-US': 'result delivered' },
  suspend: { 'zh-CN': '暂停计时(特别程序/中止)', 'en-US': 'is paused (special stage or suspension)' },
  resume: { 'zh-CN': '已恢复办理', 'en-US': 'has resumed' },
  extend: { 'zh-CN': '已延期', 'en-US': 'has been extended' },
  terminate: { 'zh-CN': '已终止办理', 'en-US': 'has been terminated' },
  withdraw: { 'zh-CN': '已撤回', 'en-US': 'has been withdrawn' },
  warning: { 'zh-CN': '临近办结期限', 'en-US': 'is close to its deadline' },
  deficiencyDue: { 'zh-CN': '容缺材料补齐期限将至', 'en-US': 'the missing material is due soon' },
};

function render(kind: string) {
  const make = (locale: Locale) => (p: CasePayload, env: TemplateEnv) => {
    const phrase = phrases[kind]?.[locale] ?? kind;
    const link = `${env.publicUrl}/portal/cases/${p.caseId}`;
    const due = p.promisedDue
      ? locale === 'zh-CN'
        ? `,承诺办结日期 ${p.promisedDue}`
        : `; promised by ${p.promisedDue}`
      : '';
    const reason = p.reason ? (locale === 'zh-CN' ? `。说明:${p.reason}` : `. Note: ${p.reason}`) : '';
    if (locale === 'zh-CN') {
      const text = `您的办件 ${p.number}(${p.itemName})${phrase}${due}${reason}`;
      return {
        sms: `【通办】${text}。查询:${env.publicUrl}/progress`,
        emailSubject: `办件 ${p.number} ${phrase}`,
        emailBody: `${text}。\n\n${link}`,
        inappTitle: `${p.itemName}:${phrase}`,
        inappBody: text,
        link,
      };
    }
    const text = `Your case ${p.number} (${p.itemName}) ${phrase}${due}${reason}`;
    return {
      sms: `[Tongban] ${text}. Track: ${env.publicUrl}/progress`,
      emailSubject: `Case ${p.number} ${phrase}`,
      emailBody: `${text}.\n\n${link}`,
      inappTitle: `${p.itemName}: ${phrase}`,
      inappBody: text,
      link,
    };
  };
  return { 'zh-CN': make('zh-CN'), 'en-US': make('en-US') };
}

let registered = false;
export function registerCaseTemplates(): void {
  if (registered) return;
  registered = true;
  for (const action of [...caseActions, 'registered', 'warning', 'deficiencyDue']) {
    registerTemplate<CasePayload>(
      action === 'registered' ? 'case.registered' : `case.${action}`,
      render(action),
    );
  }
}

registerCaseTemplates();
