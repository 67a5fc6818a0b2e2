/**
 * Server-side messages, in zh-CN (default) and en-US. Every error and notice the API returns is a key here;
 * a missing key is a test failure (see i18n.unit.test.ts), never a raw key on a user's screen.
 */
export type Locale = 'zh-CN' | 'en-US';

type Messages = Record<string, { 'zh-CN': string; 'en-US': string }>;

const messages: Messages = {
  'error.validation': { 'zh-CN': '输入有误', 'en-US': 'Invalid input' },
  'error.validationField': { 'zh-CN': '字段 {field}:{detail}', 'en-US': 'Field {field}: {detail}' },
  'error.badRequest': { 'zh-CN': '请求格式错误:{detail}', 'en-US': 'Malformed request: {detail}' },
  'error.notFound': { 'zh-CN': '未找到{what}', 'en-US': '{what} not found' },
  'error.routeNotFound': { 'zh-CN': '接口不存在', 'en-US': 'No such endpoint' },
  'error.unauthenticated': { 'zh-CN': '请先登录', 'en-US': 'Please log in first' },
  'error.invalidCredentials': { 'zh-CN': '账号或密码错误', 'en-US': 'Wrong account or password' },
  'error.accountLocked': {
    'zh-CN': '连续登录失败次数过多,账号已锁定至 {until}',
    'en-US': 'Too many failed logins; the account is locked until {until}',
  },
  'error.accountInactive': { 'zh-CN': '账号已停用', 'en-US': 'The account is disabled' },
  'error.csrf': {
    'zh-CN': '缺少或错误的 CSRF 令牌(请求头 x-csrf-token)',
    'en-US': 'Missing or wrong CSRF token (header x-csrf-token)',
  },
  'error.forbidden': { 'zh-CN': '无权执行此操作', 'en-US': 'You are not allowed to do this' },
  'error.forbiddenDepartment': {
    'zh-CN': '无权访问其他部门的记录',
    'en-US': "You may not access another department's records",
  },
  'error.forbiddenRegion': {
    'zh-CN': '无权管理辖区以外的记录',
    'en-US': 'You may not manage records outside your region',
  },
  'error.forbiddenRole': {
    'zh-CN': '需要以下角色之一:{roles}',
    'en-US': 'One of these roles is required: {roles}',
  },
  'error.authLetterRequired': {
    'zh-CN': '没有有效的授权书允许对事项 {item} 执行“{action}”',
    'en-US': 'No valid authorisation letter allows "{action}" on item {item}',
  },
  'error.conflict': {
    'zh-CN': '数据已被他人修改,请刷新后重试',
    'en-US': 'Changed by someone else; reload and retry',
  },
  'error.idempotencyInProgress': {
    'zh-CN': '相同幂等键的请求正在处理',
    'en-US': 'A request with the same Idempotency-Key is in progress',
  },
  'error.idempotencyMismatch': {
    'zh-CN': '幂等键已用于另一个请求',
    'en-US': 'The Idempotency-Key was used for a different request',
  },
  'error.rateLimited': { 'zh-CN': '请求过于频繁,请稍后再试', 'en-US': 'Too many requests; try again later' },
  'error.payloadTooLarge': { 'zh-CN': '请求体过大', 'en-US': 'Request body too large' },
  'error.internal': { 'zh-CN': '服务器内部错误', 'en-US': 'Internal server error' },

  // Field rules. {field} is the field path.
  'rule.required': { 'zh-CN': '必填', 'en-US': 'is required' },
  'rule.type': { 'zh-CN': '应为{expected}类型', 'en-US': 'must be of type {expected}' },
  'rule.tooShort': { 'zh-CN': '长度或数值不能小于 {minimum}', 'en-US': 'must be at least {minimum}' },
  'rule.tooLong': { 'zh-CN': '长度或数值不能大于 {maximum}', 'en-US': 'must be at most {maximum}' },
  'rule.format': { 'zh-CN': '格式不正确', 'en-US': 'has the wrong format' },
  'rule.enum': { 'zh-CN': '取值应为:{options}', 'en-US': 'must be one of: {options}' },
  'rule.unknownKey': { 'zh-CN': '不允许的字段', 'en-US': 'is not an allowed field' },
  'rule.invalid': { 'zh-CN': '取值无效', 'en-US': 'is not valid' },
  'rule.residentId': {
    'zh-CN': '不是有效的居民身份证号码(GB 11643 格式、出生日期或校验位错误)',
    'en-US': 'is not a valid resident ID number (GB 11643 format, birth date or check digit)',
  },
  'rule.uscc': {
    'zh-CN': '不是有效的统一社会信用代码(GB 32100 校验码错误)',
    'en-US': 'is not a valid unified social credit code (GB 32100 check character)',
  },
  'rule.mobile': { 'zh-CN': '不是有效的手机号码', 'en-US': 'is not a valid mobile number' },
  'rule.regionCode': {
    'zh-CN': '不是有效的行政区划代码(6/9/12 位)',
    'en-US': 'is not a valid region code (6, 9 or 12 digits)',
  },
  'rule.regionExists': {
    'zh-CN': '行政区划代码 {value} 不存在',
    'en-US': 'region code {value} does not exist',
  },
  'rule.regionLevel': {
    'zh-CN': '区划代码与层级 {level} 不符',
    'en-US': 'the region code does not match level {level}',
  },
  'rule.regionParent': {
    'zh-CN': '上级区划应为 {expected}',
    'en-US': 'the parent region must be {expected}',
  },
  'rule.unique': { 'zh-CN': '{value} 已存在', 'en-US': '{value} already exists' },
  'rule.exists': { 'zh-CN': '{what} 不存在', 'en-US': '{what} does not exist' },
  'rule.departmentRequired': {
    'zh-CN': '部门窗口必须指定部门',
    'en-US': 'a departmental window needs a department',
  },
  'rule.sameRegion': {
    'zh-CN': '必须属于同一辖区 {region}',
    'en-US': 'must belong to the same region {region}',
  },
  'rule.sameDepartment': {
    'zh-CN': '必须属于同一部门',
    'en-US': 'must belong to the same department',
  },
  'rule.dateOrder': { 'zh-CN': '不能早于 {other}', 'en-US': 'must not be before {other}' },
  'rule.date': { 'zh-CN': '应为 YYYY-MM-DD 格式的日期', 'en-US': 'must be a date in YYYY-MM-DD form' },
  'rule.password': {
    'zh-CN': '密码至少 8 位,且须同时包含字母和数字',
    'en-US': 'a password needs at least 8 characters with letters and digits',
  },
  'rule.passwordWrong': { 'zh-CN': '当前密码不正确', 'en-US': 'the current password is wrong' },
  'rule.passwordSame': {
    'zh-CN': '新密码不能与当前密码相同',
    'en-US': 'must differ from the current password',
  },
  'rule.roleScope': {
    'zh-CN': '角色 {role} 需要指定部门或辖区',
    'en-US': 'role {role} needs a department or a region scope',
  },
  'rule.atLeastOne': { 'zh-CN': '至少需要一项', 'en-US': 'needs at least one entry' },
  'rule.itemsScope': {
    'zh-CN': '授权范围为“指定事项”时必须列出事项编码',
    'en-US': 'list the item codes when the scope is "items"',
  },
  'rule.notSelf': { 'zh-CN': 'A 岗与 B 岗不能是同一人', 'en-US': 'the primary and the backup must differ' },
  'rule.personFields': {
    'zh-CN': '自然人须填写身份证号码',
    'en-US': 'a natural person needs a resident ID number',
  },
  'rule.enterpriseFields': {
    'zh-CN': '法人须填写统一社会信用代码',
    'en-US': 'an enterprise needs a unified social credit code',
  },

  'what.region': { 'zh-CN': '行政区划', 'en-US': 'Region' },
  'what.department': { 'zh-CN': '部门', 'en-US': 'Department' },
  'what.hall': { 'zh-CN': '服务大厅', 'en-US': 'Hall' },
  'what.window': { 'zh-CN': '窗口', 'en-US': 'Window' },
  'what.staff': { 'zh-CN': '工作人员', 'en-US': 'Staff member' },
  'what.letter': { 'zh-CN': '授权书', 'en-US': 'Authorisation letter' },
  'what.abPost': { 'zh-CN': 'AB 岗', 'en-US': 'AB post' },
  'what.apiToken': { 'zh-CN': 'API 令牌', 'en-US': 'API token' },
  'what.override': { 'zh-CN': '日历调整', 'en-US': 'Calendar override' },

  'action.accept': { 'zh-CN': '受理', 'en-US': 'accept' },
  'action.review': { 'zh-CN': '审核', 'en-US': 'review' },
  'action.approve': { 'zh-CN': '审批', 'en-US': 'approve' },
  'action.issue': { 'zh-CN': '发证', 'en-US': 'issue' },
};

const whatKeys = new Set(Object.keys(messages).filter((k) => k.startsWith('what.')));

export function hasMessage(key: string): boolean {
  return key in messages;
}

export function messageKeys(): string[] {
  return Object.keys(messages);
}

/** Fill `{name}` placeholders; a parameter that is itself a `what.*` or `action.*` key is translated too. */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const entry = messages[key];
  const template = entry ? entry[locale] : key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) return `{${name}}`;
    const s = String(value);
    if ((whatKeys.has(s) || s.startsWith('action.')) && messages[s]) return messages[s][locale];
    return s;
  });
}

/** zh-CN unless the caller prefers English first. */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
