import type { Street } from '../api/types';
import type { LedgerSelection, LedgerState } from './ledgerTypes';

/** What the ledger page's filter form holds; every field is a filter of the server's query. */
export interface LedgerFilterValues {
  street?: string;
  state: LedgerState;
  /** The responsible unit's organisation id. */
  unit?: string;
  from?: string;
  to?: string;
  category?: string;
}

export type FilterProblem = 'badPeriod' | 'categoryInvalid' | null;

/** A problem the server would refuse anyway, caught before asking: a period backwards, a bad code. */
export function filterProblem(values: LedgerFilterValues): FilterProblem {
  if (values.from && values.to && values.from > values.to) return 'badPeriod';
  const category = values.category?.trim();
  if (category && !/^((component|event):)?\d{5}$/.test(category)) return 'categoryInvalid';
  return null;
}

export function ledgerSelection(values: LedgerFilterValues): LedgerSelection {
  const category = values.category?.trim();
  return {
    state: values.state,
    ...(values.street ? { street: values.street } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(category ? { category } : {}),
    ...(values.unit ? { unit: values.unit } : {}),
  };
}

/**
 * The streets a user may narrow the ledger to: those inside or around their jurisdiction. A user with
 * no territorial scope (a system administrator) or bound to an organisation may pick any street.
 */
export function streetsInScope(
  streets: readonly Street[],
  scopeCode: string | null,
  boundToOrganisation: boolean,
): Street[] {
  if (!scopeCode || boundToOrganisation) return [...streets];
  return streets.filter((street) => street.code.startsWith(scopeCode) || scopeCode.startsWith(street.code));
}
