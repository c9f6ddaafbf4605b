import type { RouteObject } from 'react-router';
import { LoginPage } from './auth/LoginPage';
import { FullPageSpin, RequireAuth, RequireCapability } from './auth/RequireAuth';
import { HomePage } from './home/HomePage';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { NotFoundPage } from './layout/NotFoundPage';

/**
 * The console's routes. The resident phone page lives under `/r/` as a separate entry served by the
 * server, so nothing here claims that prefix; the catch-all only renders a not-found page inside the
 * console and never redirects.
 */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <ConsoleLayout />
      </RequireAuth>
    ),
    hydrateFallbackElement: <FullPageSpin />,
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'cases',
        lazy: async () => ({ Component: (await import('./cases/CaseListPage')).CaseListPage }),
      },
      {
        path: 'cases/new',
        lazy: async () => ({ Component: (await import('./cases/NewCasePage')).NewCasePage }),
      },
      {
        path: 'cases/:id',
        lazy: async () => ({ Component: (await import('./cases/CasePage')).CasePage }),
      },
      {
        path: 'notifications',
        lazy: async () => ({ Component: (await import('./notifications/InboxPage')).InboxPage }),
      },
      {
        path: 'whistle',
        lazy: async () => ({ Component: (await import('./whistle/WhistleListPage')).WhistleListPage }),
      },
      {
        path: 'whistle/:id',
        lazy: async () => ({ Component: (await import('./whistle/JointActionPage')).JointActionPage }),
      },
      {
        path: 'ledgers',
        lazy: async () => ({ Component: (await import('./ledgers/LedgerPage')).LedgerPage }),
      },
      {
        path: 'campaigns',
        lazy: async () => ({ Component: (await import('./ledgers/CampaignListPage')).CampaignListPage }),
      },
      {
        path: 'campaigns/:id',
        lazy: async () => ({ Component: (await import('./ledgers/CampaignPage')).CampaignPage }),
      },
      {
        path: 'hot-issues',
        lazy: async () => ({ Component: (await import('./intelligence/HotIssuesPage')).HotIssuesPage }),
      },
      {
        path: 'themes',
        lazy: async () => ({ Component: (await import('./intelligence/ThemesPage')).ThemesPage }),
      },
      {
        path: 'proactive',
        lazy: async () => ({ Component: (await import('./intelligence/ProactivePage')).ProactivePage }),
      },
      {
        path: 'hotline/unlocated',
        lazy: async () => ({ Component: (await import('./hotline/UnlocatedPage')).UnlocatedPage }),
      },
      {
        path: 'supervision',
        lazy: async () => ({ Component: (await import('./supervision/SupervisionPage')).SupervisionPage }),
      },
      {
        path: 'participation',
        lazy: async () => ({
          Component: (await import('./participation/ParticipationPage')).ParticipationPage,
        }),
      },
      {
        path: 'rankings',
        lazy: async () => ({ Component: (await import('./evaluation/RankingsPage')).RankingsPage }),
      },
      {
        path: 'evaluations',
        lazy: async () => ({ Component: (await import('./evaluation/EvaluationPage')).EvaluationPage }),
      },
      {
        path: 'bulletins/:quarter',
        lazy: async () => ({ Component: (await import('./evaluation/BulletinPage')).BulletinPage }),
      },
      {
        path: 'measures/:measure/cases',
        lazy: async () => ({ Component: (await import('./evaluation/MeasureCasesPage')).MeasureCasesPage }),
      },
      {
        path: 'territory',
        lazy: async () => ({ Component: (await import('./territory/TerritoryPage')).TerritoryPage }),
      },
      {
        path: 'territory/alleys/:id',
        lazy: async () => ({ Component: (await import('./territory/AlleyRegistryPage')).AlleyRegistryPage }),
      },
      {
        path: 'admin/users',
        lazy: async () => {
          const { UsersPage } = await import('./users/UsersPage');
          return {
            element: (
              <RequireCapability capability="user.read">
                <UsersPage />
              </RequireCapability>
            ),
          };
        },
      },
      {
        path: 'admin/open311',
        lazy: async () => {
          const { Open311ClientsPage } = await import('./open311/Open311ClientsPage');
          return {
            element: (
              <RequireCapability capability="open311_client.read">
                <Open311ClientsPage />
              </RequireCapability>
            ),
          };
        },
      },
      {
        path: 'admin/open311/attributes',
        lazy: async () => {
          const { Open311AttributesPage } = await import('./open311/Open311AttributesPage');
          return {
            element: (
              <RequireCapability capability="open311_client.read">
                <Open311AttributesPage />
              </RequireCapability>
            ),
          };
        },
      },
      {
        path: 'admin/taxonomy',
        lazy: async () => {
          const { TaxonomyPage } = await import('./taxonomy/TaxonomyPage');
          return {
            element: (
              <RequireCapability capability="taxonomy.write">
                <TaxonomyPage />
              </RequireCapability>
            ),
          };
        },
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
