export { recheckArticles, type RecheckDeps, type RecheckOptions, type RecheckReport } from './run.js';
export { judgeLook, type PageLook, type Verdict } from './verdict.js';
export { planCheck, planEarlyRechecks, type CheckPlan, type RemovalEvent } from './plan.js';
export { REMOVAL_RULES, type RemovalRule } from './rules.js';
export { DEFAULT_RECHECK_SCHEDULE, DEFAULT_CONFIRM_HOURS, parseDuration, type RecheckPolicy } from './schedule.js';
