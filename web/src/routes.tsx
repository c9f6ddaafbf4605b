import type { RouteObject } from 'react-router';
import { LoginPage } from './auth/LoginPage';
import { FullPageSpin, RequireAuth, RequireRole } from './auth/RequireAuth';
import { USER_ADMIN_ROLES } from './auth/roles';
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
        path: 'cases/:id',
        lazy: async () => ({ Component: (await import('./cases/CasePage')).CasePage }),
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
              <RequireRole roles={USER_ADMIN_ROLES}>
                <UsersPage />
              </RequireRole>
            ),
          };
        },
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
