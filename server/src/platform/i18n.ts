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

  'rule.materialMissing': {
    'zh-CN': '缺少必要材料“{name}”',
    'en-US': 'the required material "{name}" is missing',
  },
  'rule.materialNoDeficiency': {
    'zh-CN': '材料“{name}”不允许容缺受理',
    'en-US': 'the material "{name}" may not be accepted missing (容缺)',
  },
  'rule.commitmentRequired': {
    'zh-CN': '容缺受理需要申请人的书面承诺',
    'en-US': "accepting with a missing material needs the applicant's written commitment",
  },
  'rule.immediateOnly': {
    'zh-CN': '仅即办件可当场办结',
    'en-US': 'only an immediate item can be completed on the spot',
  },
  'rule.commitmentApproval': {
    'zh-CN': '该事项不适用告知承诺,或缺少申请人承诺',
    'en-US': 'the item does not allow approval on commitment, or the commitment is missing',
  },
  'rule.supplyByLate': {
    'zh-CN': '补齐期限不能晚于承诺办结日期 {other}',
    'en-US': 'must not be after the promised deadline {other}',
  },
  'rule.deficiencyPending': {
    'zh-CN': '容缺材料尚未补齐,不能作出审批决定',
    'en-US': 'a material accepted missing (容缺) has not arrived yet: no approval before it does',
  },
  'rule.serviceObject': {
    'zh-CN': '该事项不受理此类申请人({value})',
    'en-US': 'the item is not for applicants of kind {value}',
  },
  'error.actionNotAllowed': {
    'zh-CN': '办件当前状态({status})不能执行“{action}”',
    'en-US': 'The action "{action}" is not allowed while the case is {status}',
  },
  'error.progressNotFound': {
    'zh-CN': '未找到与办件编号和查询码相符的办件',
    'en-US': 'No case matches this number and code',
  },
  'rule.fileTooLarge': {
    'zh-CN': '文件超过 {maximum} 字节的上限',
    'en-US': 'the file exceeds the limit of {maximum} bytes',
  },
  'rule.fileEmpty': { 'zh-CN': '文件为空', 'en-US': 'the file is empty' },
  'rule.fileType': {
    'zh-CN': '只接受 PDF、JPEG、PNG 或 OFD 文件',
    'en-US': 'only PDF, JPEG, PNG or OFD files are accepted',
  },
  'rule.fileMismatch': {
    'zh-CN': '文件内容与扩展名不符',
    'en-US': 'the content of the file does not match its extension',
  },
  'rule.fileOverLimit': {
    'zh-CN': '文件超过 {maximum} 的上限',
    'en-US': 'the file is over the limit of {maximum}',
  },
  'rule.fileIsOtherKind': {
    'zh-CN': '扩展名是 .{ext},但文件内容是 {actual}',
    'en-US': 'the extension is .{ext} but the content is {actual}',
  },
  'rule.fileDeclaredType': {
    'zh-CN': '声明的类型 {declared} 与文件内容({actual})不符',
    'en-US': 'the declared type {declared} does not match the content ({actual})',
  },
  'error.claimedByOther': { 'zh-CN': '该办件已被他人认领', 'en-US': 'Someone else has claimed this case' },
  'error.notClaimedByYou': { 'zh-CN': '该办件不在你的名下', 'en-US': 'You have not claimed this case' },
  'what.case': { 'zh-CN': '办件', 'en-US': 'Case' },
  'what.material': { 'zh-CN': '材料', 'en-US': 'Material' },
  'what.document': { 'zh-CN': '文书', 'en-US': 'Document' },
  'what.region': { 'zh-CN': '行政区划', 'en-US': 'Region' },
  'what.department': { 'zh-CN': '部门', 'en-US': 'Department' },
  'what.hall': { 'zh-CN': '服务大厅', 'en-US': 'Hall' },
  'what.window': { 'zh-CN': '窗口', 'en-US': 'Window' },
  'what.staff': { 'zh-CN': '工作人员', 'en-US': 'Staff member' },
  'what.letter': { 'zh-CN': '授权书', 'en-US': 'Authorisation letter' },
  'what.abPost': { 'zh-CN': 'AB 岗', 'en-US': 'AB post' },
  'what.apiToken': { 'zh-CN': 'API 令牌', 'en-US': 'API token' },
  'what.override': { 'zh-CN': '日历调整', 'en-US': 'Calendar override' },
  'what.message': { 'zh-CN': '消息', 'en-US': 'Message' },
  'error.noInbox': {
    'zh-CN': '只有工作人员和申请人有站内消息',
    'en-US': 'Only staff and applicants have an in-app inbox',
  },

  // Service catalog (issue 3).
  'what.catalogItem': { 'zh-CN': '政务服务事项', 'en-US': 'Service item' },
  'what.catalogPower': { 'zh-CN': '权责清单事项', 'en-US': 'Power-list entry' },
  'what.catalogFee': { 'zh-CN': '收费项目', 'en-US': 'Fee-list entry' },
  'what.catalogFund': { 'zh-CN': '政府性基金项目', 'en-US': 'Fund-list entry' },
  'what.catalogNegative': { 'zh-CN': '负面清单事项', 'en-US': 'Negative-list entry' },
  'what.catalogPermission': { 'zh-CN': '准许清单事项', 'en-US': 'Permission-list entry' },
  'what.catalogSupervision': { 'zh-CN': '监管清单事项', 'en-US': 'Supervision-list entry' },
  'what.catalogIntermediary': { 'zh-CN': '中介服务事项', 'en-US': 'Intermediary service' },
  'what.catalogVersion': { 'zh-CN': '清单版本', 'en-US': 'Catalog version' },
  'what.catalogFile': { 'zh-CN': '文件', 'en-US': 'File' },
  // Electronic supervision (modules/supervision).
  'what.alert': { 'zh-CN': '监察预警', 'en-US': 'Alert' },
  'what.card': { 'zh-CN': '监察卡', 'en-US': 'Supervision card' },
  'error.alertState': {
    'zh-CN': '预警当前状态为 {status},不能执行 {action}',
    'en-US': 'The alert is {status}; {action} is not possible now',
  },
  'error.cardState': {
    'zh-CN': '监察卡当前状态为 {status},不能执行 {action}',
    'en-US': 'The card is {status}; {action} is not possible now',
  },
  'rule.rangeTooLong': {
    'zh-CN': '时间范围不能超过 {maximum} 年',
    'en-US': 'must span at most {maximum} years',
  },
  'rule.alertOfDepartment': {
    'zh-CN': '预警 {id} 不存在或不属于该部门',
    'en-US': 'alert {id} does not exist or is not addressed to this department',
  },
  // Parallel approval, packages, projects (modules/joint).
  'what.jointTemplate': { 'zh-CN': '并联审批模板', 'en-US': 'Joint-approval template' },
  'what.jointCase': { 'zh-CN': '联办件', 'en-US': 'Joint case' },
  'what.project': { 'zh-CN': '重大项目', 'en-US': 'Major project' },
  'what.projectApproval': { 'zh-CN': '项目审批事项', 'en-US': 'Project approval' },
  'rule.jointItemPublished': {
    'zh-CN': '事项 {value} 不存在或未发布',
    'en-US': 'item {value} does not exist or is not published',
  },
  'rule.jointDuplicateMember': {
    'zh-CN': '事项 {value} 重复(已是第 {other} 项)',
    'en-US': 'item {value} is listed twice (already member {other})',
  },
  'rule.jointItemLevel': {
    'zh-CN': '事项“{value}”不能在本模板的层级({level})办理',
    'en-US': 'item "{value}" is not handled at the template\'s level ({level})',
  },
  'rule.jointTwoDepartments': {
    'zh-CN': '并联审批至少涉及两个部门的事项',
    'en-US': 'a joint approval needs items of at least two departments',
  },
  'rule.jointFieldUnmapped': {
    'zh-CN': '表单字段“{value}”没有对应任何成员事项的字段',
    'en-US': 'form field "{value}" is mapped to no member item field',
  },
  'rule.jointFieldNotMember': {
    'zh-CN': '映射到的事项 {value} 不是本模板的成员事项',
    'en-US': 'the mapping names item {value}, which is not a member of the template',
  },
  'rule.jointLegalCap': {
    'zh-CN': '并联审批时限不能超过 {maximum} 个工作日(法定 45 日,经批准可延长 15 日)',
    'en-US': 'a joint deadline may not exceed {maximum} working days (45 by law, 15 more with approval)',
  },
  'rule.jointTemplatePublished': {
    'zh-CN': '该模板已停用',
    'en-US': 'this template is withdrawn',
  },
  'rule.jointNotMember': {
    'zh-CN': '该办件不属于本联办件',
    'en-US': 'this case is not a member of the joint case',
  },
  'rule.jointMaterialOfMember': {
    'zh-CN': '材料“{value}”不是本部门事项所需的材料',
    'en-US': 'material "{value}" is not one your department\'s item needs',
  },
  'rule.negativeProhibited': {
    'zh-CN': '属于负面清单禁止准入事项:{value}',
    'en-US': 'prohibited by the negative list: {value}',
  },
  'rule.negativeRestricted': {
    'zh-CN': '属于负面清单限制准入事项,须先取得:{value}',
    'en-US': 'restricted by the negative list; first obtain: {value}',
  },
  'rule.projectAgent': {
    'zh-CN': '代办员须具有代办员角色',
    'en-US': 'the agent must hold the proxy agent role',
  },
  'rule.projectSameItem': {
    'zh-CN': '该办件不是“{value}”的办件',
    'en-US': 'that case is not a case of "{value}"',
  },
  'rule.projectApprovalFiled': {
    'zh-CN': '“{value}”已经申报办件,不能从跟踪卡中移除',
    'en-US': '"{value}" has a case filed and cannot be taken off the card',
  },
  'error.catalogAlreadyPublished': { 'zh-CN': '该版本已发布', 'en-US': 'This version is already published' },
  'error.catalogNotLatest': {
    'zh-CN': '只能发布最新版本(当前最新为第 {seq} 版)',
    'en-US': 'Only the newest version can be published (the newest is version {seq})',
  },
  'error.catalogStale': {
    'zh-CN': '该事项已有更新的版本({seq}),请刷新后重新编辑',
    'en-US': 'A newer version ({seq}) exists; reload and edit again',
  },
  'error.catalogNotLive': {
    'zh-CN': '该事项没有可废止的已发布版本',
    'en-US': 'The entry has no published version left to repeal',
  },
  'error.catalogImportInvalid': {
    'zh-CN': '导入文件有 {count} 处错误,未导入任何数据',
    'en-US': 'The workbook has {count} errors; nothing was imported',
  },
  'catalog.importReason': { 'zh-CN': '批量导入 {file}', 'en-US': 'Imported from {file}' },
  'catalog.importCell': { 'zh-CN': '{message}', 'en-US': '{message}' },
  'rule.catalogCode': {
    'zh-CN': '编码只能包含字母、数字、“.”“_”“-”,长度 2–64',
    'en-US': 'a code has 2–64 letters, digits, ".", "_" or "-"',
  },
  'rule.promisedWithinLegal': {
    'zh-CN': '承诺时限不能超过法定时限({legal} 个工作日)',
    'en-US': 'the promised limit must not exceed the legal limit ({legal} working days)',
  },
  'rule.immediateLimit': {
    'zh-CN': '即办件的承诺时限应为 0–1 个工作日',
    'en-US': 'an immediate item (即办件) promises 0–1 working day',
  },
  'rule.fullyOnlineVisits': {
    'zh-CN': '网办深度为Ⅳ级(全程网办)的事项到现场次数应为 0',
    'en-US': 'a fully online item (depth IV) needs zero visits',
  },
  'rule.mailRequired': {
    'zh-CN': '零跑动且不能网上办理的事项必须支持快递办理',
    'en-US': 'zero visits without online handling needs handling by mail',
  },
  'rule.licensingSteps': {
    'zh-CN': '行政许可事项的流程至少包括受理、审核或审批、办结、送达,缺少:{missing}',
    'en-US': 'a licensing item needs the steps 受理, 审核 or 审批, 办结 and 送达; missing: {missing}',
  },
  'rule.conditionRequired': {
    'zh-CN': '视情形提交的材料须写明适用情形',
    'en-US': 'a conditional material needs its condition',
  },
  'rule.deficiencyEssential': {
    'zh-CN': '关键材料不能容缺',
    'en-US': 'an essential material cannot be accepted missing (容缺)',
  },
  'rule.deficiencyNotAllowed': {
    'zh-CN': '事项未开通容缺受理,材料不能设为容缺',
    'en-US': 'the item does not allow 容缺受理, so no material may be marked 容缺',
  },
  'rule.licenceTypeRequired': {
    'zh-CN': '从电子证照库获取的材料须指明证照类型',
    'en-US': 'a material from the e-licence library needs its licence type',
  },
  'rule.feeStandard': {
    'zh-CN': '须填写收费标准金额或标准说明',
    'en-US': 'give a fixed amount or a rule for the standard',
  },
  'rule.feeExists': {
    'zh-CN': '收费项目 {value} 不在收费清单或政府性基金清单中(或未发布、已废止)',
    'en-US': 'fee {value} is not in the fee or fund list (or not published, or repealed)',
  },
  'rule.powerExists': {
    'zh-CN': '权责清单中没有编码为 {value} 的有效事项',
    'en-US': 'the power list has no live entry {value}',
  },
  'rule.intermediaryExists': {
    'zh-CN': '中介服务清单中没有编码为 {value} 的有效事项',
    'en-US': 'the intermediary list has no live entry {value}',
  },
  'rule.itemExists': {
    'zh-CN': '没有实施编码为 {value} 的有效事项',
    'en-US': 'there is no live item with implementation code {value}',
  },
  'rule.effectiveOrder': {
    'zh-CN': '生效日期不能早于上一个已发布版本的生效日期 {date}',
    'en-US': 'must not be before the effective date of the previous published version ({date})',
  },
  'rule.inUse': {
    'zh-CN': '{value} 仍被现行事项引用:{users}',
    'en-US': '{value} is still referenced by entries in effect: {users}',
  },
  'rule.diffFirst': {
    'zh-CN': '第一个版本没有可比较的前一版本',
    'en-US': 'the first version has no version before it',
  },
  'rule.sameEntry': {
    'zh-CN': '只能比较同一事项的两个版本',
    'en-US': 'both versions must belong to the same entry',
  },
  'rule.base64': { 'zh-CN': '不是有效的 base64 编码', 'en-US': 'is not valid base64' },
  'rule.csvOneSheet': {
    'zh-CN': 'CSV 一次只能导出一个工作表',
    'en-US': 'CSV holds one sheet: name exactly one',
  },
  'rule.importFile': { 'zh-CN': '不是有效的 .xlsx 文件', 'en-US': 'is not a valid .xlsx workbook' },
  'rule.importNoSheets': {
    'zh-CN': '文件中没有可识别的工作表(事项、材料、流程、权责清单……)',
    'en-US': 'the workbook has no known sheet (事项, 材料, 流程, 权责清单 …)',
  },
  'rule.importHeader': {
    'zh-CN': '缺少必填列“{header}”',
    'en-US': 'the required column "{header}" is missing',
  },
  'rule.importInteger': { 'zh-CN': '“{value}”不是非负整数', 'en-US': '"{value}" is not a whole number' },
  'rule.importAmount': {
    'zh-CN': '“{value}”不是有效金额(元,最多两位小数)',
    'en-US': '"{value}" is not an amount in yuan',
  },
  'rule.importBoolean': {
    'zh-CN': '“{value}”应为“是”或“否”',
    'en-US': '"{value}" must be 是 (yes) or 否 (no)',
  },
  'rule.importFeeRef': {
    'zh-CN': '“{value}”应为收费编码,可带括号备注,如 SF001(住宅)',
    'en-US': '"{value}" must be a fee code, optionally with a note: SF001(住宅)',
  },
  'rule.importDuplicate': {
    'zh-CN': '编码 {value} 与第 {row} 行重复',
    'en-US': 'code {value} repeats row {row}',
  },
  'rule.importUnknownItem': {
    'zh-CN': '“事项”表中没有实施编码为 {value} 的事项',
    'en-US': 'the 事项 sheet has no item with implementation code {value}',
  },
  'rule.departmentName': { 'zh-CN': '没有名为“{value}”的部门', 'en-US': 'no department is named "{value}"' },
  'guide.start': { 'zh-CN': '提交申请', 'en-US': 'Apply' },
  'guide.end': { 'zh-CN': '结束', 'en-US': 'Done' },
  'guide.correction': { 'zh-CN': '一次性告知补正材料', 'en-US': 'Told at once what to correct' },
  'guide.refused': { 'zh-CN': '不予受理(书面告知理由)', 'en-US': 'Not accepted (reasons in writing)' },
  'guide.incomplete': {
    'zh-CN': '材料不齐全或不符合法定形式',
    'en-US': 'Materials incomplete or not in due form',
  },
  'guide.corrected': { 'zh-CN': '补正后', 'en-US': 'Corrected' },
  'guide.notEligible': { 'zh-CN': '不属于受理范围', 'en-US': 'Outside the scope' },
  'guide.denied': { 'zh-CN': '不予批准(书面说明理由)', 'en-US': 'Not approved (reasons in writing)' },
  'guide.notApproved': { 'zh-CN': '不符合条件', 'en-US': 'Conditions not met' },

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
