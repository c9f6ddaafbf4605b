import { describe, expect, it } from 'vitest';
import type { Street } from '../api/types';
import { filterProblem, ledgerSelection, streetsInScope } from './ledgerFilters';
import { ledgerExportUrl } from './ledgersApi';

const street = (code: string): Street => ({
  code,
  name: code,
  districtCode: code.slice(0, 6),
  center: [116.37, 39.9],
  approximate: true,
  communityCount: 1,
  alleyCount: 1,
});

describe('the ledger filters', () => {
  it('catches a backwards period and a malformed category before asking the server', () => {
    expect(filterProblem({ state: 'open', from: '2026-12-02', to: '2026-12-01' })).toBe('badPeriod');
    expect(filterProblem({ state: 'open', category: '0601' })).toBe('categoryInvalid');
    expect(
      filterProblem({ state: 'all', from: '2026-12-01', to: '2026-12-01', category: 'event:06010' }),
    ).toBeNull();
  });

  it('sends only what is set, the responsible unit included', () => {
    expect(ledgerSelection({ state: 'closed', category: ' 06010 ' })).toEqual({
      state: 'closed',
      category: '06010',
    });
    expect(ledgerSelection({ state: 'all', unit: 'org-cg-110102001', street: '110102001' })).toEqual({
      state: 'all',
      street: '110102001',
      unit: 'org-cg-110102001',
    });
  });

  it('asks the server for the unit, in the list and in the workbook alike', () => {
    const selection = ledgerSelection({ state: 'open', unit: 'org-housing' });
    const url = new URL(ledgerExportUrl(selection), 'http://localhost');
    expect(url.pathname).toBe('/api/ledgers/cases.xlsx');
    expect(url.searchParams.get('unit')).toBe('org-housing');
    expect(new URL(ledgerExportUrl(ledgerSelection({ state: 'open' })), 'http://localhost').search).toBe(
      '?state=open',
    );
  });

  it('offers the streets of the jurisdiction, or every street to a unit bound by organisation', () => {
    const all = [street('110102001'), street('110102012'), street('110105001')];
    expect(streetsInScope(all, '110102001', false).map((s) => s.code)).toEqual(['110102001']);
    expect(streetsInScope(all, '110102001001', false).map((s) => s.code)).toEqual(['110102001']);
    expect(streetsInScope(all, '110102', false).map((s) => s.code)).toEqual(['110102001', '110102012']);
    expect(streetsInScope(all, '110102001', true)).toHaveLength(3);
    expect(streetsInScope(all, null, false)).toHaveLength(3);
  });
});
