import type { CaseState } from './case.state.ts';

/**
 * The words the public sees for a case: the steps of its tracking page and its status. Every public
 * surface (the tracking page, the alley board, Open311) uses these, so a resident reads the same words
 * wherever the case is shown.
 */

/** Trail actions shown as public steps; actions not listed here are internal and not shown. */
export const PUBLIC_STEP_LABELS: Readonly<Record<string, string>> = {
  report: '已上报',
  accept: '已立案',
  reject: '不予立案',
  merge: '已并案',
  dispatch: '已派遣',
  sign: '已签收',
  send_back: '已退回重派',
  redispatch: '已重新派遣',
  feedback: '已处置待核查',
  verify_pass: '核查通过，已结案',
  verify_fail: '核查未通过，返工',
  reopen: '已重新打开',
  rate: '已评价',
  suspend: '已挂起',
  resume: '已恢复办理',
  extension_approve: '已批准延期',
  whistle: '已吹哨',
  accept_joint_action: '联合处置已验收',
  refuse_joint_action: '验收未通过，继续处置',
  report_in: '部门已报到',
};

/** Case states as the public reads them, one for every state. */
export const PUBLIC_STATE_LABELS: Readonly<Record<CaseState, string>> = {
  reported: '待受理',
  accepted: '已立案',
  rejected: '不予立案',
  merged: '已并案',
  dispatched: '已派遣',
  handling: '处置中',
  returned: '退回待重派',
  suspended: '已挂起',
  joint_action: '联合处置中',
  awaiting_verification: '待核查',
  awaiting_acceptance: '待验收',
  closed: '已结案',
};

/** The same, looked up by a state read from storage (a plain string). */
export const PUBLIC_STATUS_LABELS: Readonly<Record<string, string>> = PUBLIC_STATE_LABELS;
