import type { Locale } from '../../platform/i18n.js';
import { type RenderedMessage, registerTemplate, type TemplateEnv } from '../../platform/notify/templates.js';

/**
 * What the applicant and the departments hear about a joint case: one message for the undertaking, not one
 * per member (the members' own case messages still go out for their own steps).
 */
export type JointPayload = {
  jointCaseId: string;
  number: string;
  name: string;
  /** Combined correction: every member's request, one line each. */
  lines?: string[];
  promisedDue?: string | null;
  departmentName?: string;
  message?: string | null;
};

const phrases: Record<string, Record<Locale, string>> = {
  submitted: { 'zh-CN': '已提交,等待综合窗口受理', 'en-US': 'has been submitted to the first window' },
  accepted: {
    'zh-CN': '已统一受理,各部门同步审查',
    'en-US': 'has been accepted once; the departments review it in parallel',
  },
  notified: {
    'zh-CN': '抄告:并联审批件已受理,请同步审查',
    'en-US': 'copied to you: a joint case was accepted, please review your part now',
  },
  correction: {
    'zh-CN': '需要补正材料(各部门意见一次性告知)',
    'en-US': 'needs corrections (all departments, listed at once)',
  },
  urged: { 'zh-CN': '牵头部门督办', 'en-US': 'urged by the lead department' },
  completed: {
    'zh-CN': '全部事项已办结,请到综合窗口统一领取或在线下载',
    'en-US': 'is complete: collect every result at the first window or download them',
  },
  stopped: { 'zh-CN': '办理终止', 'en-US': 'has stopped' },
  delivered: { 'zh-CN': '办理结果已统一送达', 'en-US': 'results handed over together' },
};

function render(kind: string) {
  const make =
    (locale: Locale) =>
    (p: JointPayload, env: TemplateEnv): RenderedMessage => {
      const phrase = phrases[kind]?.[locale] ?? kind;
      const link = `${env.publicUrl}/portal/joint/${p.jointCaseId}`;
      const due = p.promisedDue
        ? locale === 'zh-CN'
          ? `,承诺 ${p.promisedDue} 前办结`
          : `; due ${p.promisedDue}`
        : '';
      const extra = [p.departmentName ?? '', p.message ?? '', ...(p.lines ?? [])].filter(Boolean);
      const text =
        locale === 'zh-CN'
          ? `联办件 ${p.number}(${p.name})${phrase}${due}`
          : `Joint case ${p.number} (${p.name}) ${phrase}${due}`;
      const body = extra.length ? `${text}\n${extra.join('\n')}` : text;
      return {
        sms: locale === 'zh-CN' ? `【通办】${text}。` : `[Tongban] ${text}.`,
        emailSubject: text,
        emailBody: `${body}\n\n${link}`,
        inappTitle: `${p.name}: ${phrase}`,
        inappBody: body,
        link,
      };
    };
  return { 'zh-CN': make('zh-CN'), 'en-US': make('en-US') };
}

let registered = false;
export function registerJointTemplates(): void {
  if (registered) return;
  registered = true;
  for (const kind of Object.keys(phrases)) registerTemplate<JointPayload>(`joint.${kind}`, render(kind));
}

registerJointTemplates();
