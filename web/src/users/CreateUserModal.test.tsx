import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoleRules } from '../api/types';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { DISTRICT_ADMIN, json, requestUrl } from '../test-support';
import { CreateUserModal } from './CreateUserModal';

const admin = DISTRICT_ADMIN;

const organisations = [
  { id: 'org_dept', name: '城管执法队', kind: 'department', scopeCode: '110102001' },
  { id: 'org_clean', name: '示例保洁公司', kind: 'contractor', scopeCode: '110102' },
  { id: 'org_street', name: '西长安街街道办事处', kind: 'street_office', scopeCode: '110102001' },
];

/** A fake server whose role rules are whatever the test says: the form must follow them, not its own. */
function serve(rules: RoleRules[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input) => {
      const url = requestUrl(input);
      if (url.startsWith('/api/users/roles')) return json(200, { items: rules });
      if (url.startsWith('/api/organisations')) return json(200, organisations);
      if (url.startsWith('/api/territory/streets')) return json(200, []);
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
}

const t = zhCN.users;

async function pickRole(label: string) {
  fireEvent.mouseDown(await screen.findByLabelText(t.role));
  fireEvent.click(await screen.findByTitle(label));
}

/** The organisations the organisation field offers (its own list: the role list stays in the page). */
async function organisationChoices(): Promise<string[]> {
  const field = screen.getByLabelText(t.organisation);
  fireEvent.mouseDown(field);
  const list = await waitFor(() => {
    const id = field.getAttribute('aria-controls') ?? field.getAttribute('aria-owns');
    const found = id ? document.getElementById(id) : null;
    if (!found?.parentElement) throw new Error('the organisation list is not open');
    return found.parentElement;
  });
  return [...list.querySelectorAll('.ant-select-item-option')].map((o) => o.getAttribute('title') ?? '');
}

describe('CreateUserModal', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers only the organisations of the kind the server names for the role, and asks for one', async () => {
    serve([
      { role: 'contractor', needsJurisdiction: true, organisationKind: 'contractor' },
      { role: 'grid_worker', needsJurisdiction: true, organisationKind: null },
    ]);
    renderConsoleRoute({ user: admin, element: <CreateUserModal open onClose={() => {}} /> });
    await pickRole(zhCN.role.contractor);
    await waitFor(async () => expect(await organisationChoices()).toEqual(['示例保洁公司']));
    fireEvent.click(screen.getByRole('button', { name: t.create }));
    expect(await screen.findByText(t.required.replace('{{field}}', t.organisation))).toBeTruthy();
  }, 60_000);

  it('offers every organisation where the server names no kind for the role', async () => {
    serve([{ role: 'grid_worker', needsJurisdiction: true, organisationKind: null }]);
    renderConsoleRoute({ user: admin, element: <CreateUserModal open onClose={() => {}} /> });
    await pickRole(zhCN.role.grid_worker);
    await waitFor(async () =>
      expect((await organisationChoices()).sort()).toEqual(
        ['城管执法队', '示例保洁公司', '西长安街街道办事处'].sort(),
      ),
    );
  }, 60_000);
});
