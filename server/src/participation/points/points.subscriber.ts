import type { CaseEventSubscriber } from '../../cases/case.apply.ts';
import { pointsRepository } from './points.repository.ts';
import { EARNING_ROLES, type PointsService } from './points.service.ts';

/** The trail actions that mean a report passed verification: an inspector's or reporter's check, or a joint action's acceptance. */
export const VERIFIED_ACTIONS = ['verify_pass', 'accept_joint_action'] as const;

/**
 * Awards the district's `report_verified` points to the reporter of a case that passes verification,
 * in the transaction that appends the event (like the measure rollups): the award commits with the
 * event or not at all. Only reports filed by a signed-in resident or volunteer earn; anonymous reports
 * and staff filings do not. The case is the source, so a case verified again after a reopening earns
 * nothing more.
 */
export function civicPointsSubscriber(points: PointsService): CaseEventSubscriber {
  return {
    name: 'civic-points',
    actions: VERIFIED_ACTIONS,
    async onEvent(trx, _event, _before, after) {
      const reporter = after.reporter_user_id;
      if (!reporter) return;
      const role = await pointsRepository(trx).userRole(reporter);
      if (!role || !EARNING_ROLES.has(role)) return;
      const earned = await points.earn(trx, after.district_code, { kind: 'report_verified' });
      if (earned.points <= 0) return;
      await points.postAward(trx, {
        districtCode: after.district_code,
        poolScope: after.community_code ?? after.street_code,
        userId: reporter,
        points: earned.points,
        sourceKind: 'case',
        sourceRef: after.id,
        reason: `上报问题核查通过 ${after.case_number ?? after.id}`,
        ruleVersionId: earned.ruleVersionId,
        actorUserId: null,
      });
    },
  };
}
