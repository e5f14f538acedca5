export { recheckArticles, type RecheckDeps, type RecheckOptions, type RecheckReport } from './run.js';
export { judgeLook, redirectRule, normalize, dice, RENDERING_SIMILARITY, type PageLook, type PageVersion, type Verdict, type JudgeInput } from './verdict.js';
export { planCheck, planEarlyRechecks, type CheckPlan, type PlanCheckInput, type RemovalEvent } from './plan.js';
export { REMOVAL_RULES, GENERIC_REMOVAL_RULE, WEIBO_WECHAT_RULE, rulesForPage, findNotice, type RemovalRule } from './rules.js';
export { DEFAULT_RECHECK_SCHEDULE, DEFAULT_CONFIRM_HOURS, parseDuration, nextStepAt, type RecheckPolicy } from './schedule.js';
