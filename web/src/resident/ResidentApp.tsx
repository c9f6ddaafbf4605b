import { useEffect } from 'react';
import { AlleyBoard } from './AlleyBoard';
import { AlleyPoster } from './AlleyPoster';
import { CertificatePage } from './CertificatePage';
import { I18nProvider, useI18n } from './i18n';
import { LoginPage } from './LoginPage';
import { ParkingPage } from './ParkingPage';
import { PatrolPage } from './PatrolPage';
import { PointsPage } from './PointsPage';
import { ProposalsPage } from './ProposalsPage';
import { ReportPage } from './ReportPage';
import { startOutbox } from './residentOutbox';
import { Link, paths, type Route, useRoute } from './router';
import { SessionProvider, useSession } from './session';
import { TrackLookup, TrackPage } from './TrackPage';

function Page({ route }: { route: Route }) {
  const { t } = useI18n();
  switch (route.name) {
    case 'report':
      return <ReportPage key={route.alley ?? ''} alleyId={route.alley} />;
    case 'trackLookup':
      return <TrackLookup />;
    case 'track':
      return <TrackPage key={route.code} code={route.code} />;
    case 'login':
      return <LoginPage next={route.next} />;
    case 'alley':
      return <AlleyBoard key={route.id} id={route.id} />;
    case 'poster':
      return <AlleyPoster key={route.id} id={route.id} />;
    case 'patrol':
      return <PatrolPage />;
    case 'points':
      return <PointsPage />;
    case 'proposals':
      return <ProposalsPage />;
    case 'certificate':
      return <CertificatePage />;
    case 'parking':
      return <ParkingPage />;
    case 'notFound':
      return (
        <>
          <h1>{t('notFound.title')}</h1>
          <Link className="button button-primary" to={paths.report}>
            {t('notFound.home')}
          </Link>
        </>
      );
  }
}

function Header({ route }: { route: Route }) {
  const { t, language, setLanguage } = useI18n();
  const current = (names: Route['name'][]) => (names.includes(route.name) ? 'page' : undefined);
  const { user, can, signOut } = useSession();
  return (
    <header className="top no-print">
      <div className="top-row">
        <Link to={paths.report} className="brand">
          {t('app.title')}
        </Link>
        <button
          type="button"
          className="button-link lang"
          lang={language === 'zh-CN' ? 'en' : 'zh-CN'}
          aria-label={t('lang.label')}
          onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t('lang.switch')}
        </button>
      </div>
      <nav aria-label={t('nav.label')} className="nav">
        <Link to={paths.report} aria-current={current(['report'])}>
          {t('nav.report')}
        </Link>
        <Link to={paths.trackLookup} aria-current={current(['trackLookup', 'track'])}>
          {t('nav.track')}
        </Link>
        {can('points.own') && (
          <Link to={paths.points} aria-current={current(['points'])}>
            {t('nav.points')}
          </Link>
        )}
        {can('proposal.take_part') && (
          <Link to={paths.proposals} aria-current={current(['proposals'])}>
            {t('nav.proposals')}
          </Link>
        )}
        {can('parking.book') && (
          <Link to={paths.parking} aria-current={current(['parking'])}>
            {t('nav.parking')}
          </Link>
        )}
        {can('patrol.walk') && (
          <Link to={paths.patrol} aria-current={current(['patrol'])}>
            {t('nav.patrol')}
          </Link>
        )}
        {user ? (
          <button type="button" className="button-link" onClick={() => void signOut()}>
            {t('nav.logout')}
            <span className="visually-hidden"> {t('nav.signedInAs', { name: user.displayName })}</span>
          </button>
        ) : (
          <Link to={paths.login()} aria-current={current(['login'])}>
            {t('nav.login')}
          </Link>
        )}
      </nav>
    </header>
  );
}

function Shell() {
  const route = useRoute();
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <>
      <Header route={route} />
      <main className={route.name === 'poster' ? 'main main-poster' : 'main'}>
        <Page route={route} />
      </main>
    </>
  );
}

export function ResidentApp() {
  useEffect(startOutbox, []);
  return (
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}
