import { describe, expect, it } from 'vitest';
import type { Organisation } from '../api/types';
import { raiseActionFor, raiseRequests, unitsServingAll } from './raise';

const org = (id: string, scopeCode: string, kind: Organisation['kind'] = 'department') =>
  ({ id, name: id, kind, scopeCode, districtCode: '110102', active: true }) as Organisation;

describe('raising a whistle from what the server allows', () => {
  it('dispatches or redispatches as the case allows, and skips cases that allow neither', () => {
    expect(raiseActionFor(['dispatch', 'suspend'])).toBe('dispatch');
    expect(raiseActionFor(['redispatch'])).toBe('redispatch');
    expect(raiseActionFor(['sign'])).toBeNull();
    expect(
      raiseRequests(
        [
          { id: 'a', allowedActions: ['dispatch'] },
          { id: 'b', allowedActions: ['redispatch'] },
          { id: 'c', allowedActions: [] },
        ],
        ['u1', 'u2'],
        ' 召集 ',
      ),
    ).toEqual([
      { caseId: 'a', action: 'dispatch', body: { tier: 3, unitIds: ['u1', 'u2'] } },
      { caseId: 'b', action: 'redispatch', body: { tier: 3, unitIds: ['u1', 'u2'], note: '召集' } },
    ]);
  });

  it('offers the units that serve every chosen street', () => {
    const orgs = [
      org('district', '110102'),
      org('street-1', '110102001'),
      org('office', '110102001', 'street_office'),
    ];
    expect(unitsServingAll(orgs, ['110102001', '110102003']).map((o) => o.id)).toEqual(['district']);
    expect(unitsServingAll(orgs, ['110102001']).map((o) => o.id)).toEqual(['district', 'street-1']);
  });
});
