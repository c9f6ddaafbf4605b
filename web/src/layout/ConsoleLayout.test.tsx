import { screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Capability, User } from '../api/types';
import { changeLanguage } from '../i18n';
import { renderConsoleRoute } from '../test-render';
import { json } from '../test-support';
import { ConsoleLayout } from './ConsoleLayout';

const dispatcher: User = {
  id: 'usr_d',
  username: 'demo-street_dispatcher',
  displayName: '西长安街指挥中心',
  role: 'street_dispatcher',
  scopeCode: '110102001',
  scopeName: '西长安街街道',
  organisationId: null,
  organisationName: null,
  phone: null,
  active: true,
};

beforeAll(async () => {
  await changeLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function navLabels(capabilities: readonly Capability[], user: User = dispatcher): string[] {
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async () => json(200, { items: [], unread: 0 })),
  );
  renderConsoleRoute({ user, capabilities, element: <ConsoleLayout /> });
  const nav = screen.getByRole('navigation', { name: '主导航' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.getAttribute('href') ?? '');
}

describe('the console nav', () => {
  it('shows only the areas the server granted, whatever the role is called', () => {
    expect(navLabels(['case.read', 'hotline.import'])).toEqual([
      '/',
      '/cases',
      '/whistle',
      '/hotline/unlocated',
      '/territory',
    ]);
  });

  it('shows a role with no capabilities only its home and the territory', () => {
    expect(navLabels([])).toEqual(['/', '/territory']);
  });

  it('opens the administration areas for their capabilities', () => {
    expect(navLabels(['user.read', 'taxonomy.write', 'open311_client.read', 'measure.read'])).toEqual([
      '/',
      '/rankings',
      '/evaluations',
      '/territory',
      '/admin/users',
      '/admin/taxonomy',
      '/admin/open311',
    ]);
  });

  it.each<Capability>(['visit.manage', 'frontage.read', 'parking.manage', 'volunteer.manage'])(
    'opens participation for any of its tabs’ capabilities (%s), not the volunteers’ alone',
    (capability) => {
      expect(navLabels([capability])).toEqual(['/', '/participation', '/territory']);
    },
  );
});
