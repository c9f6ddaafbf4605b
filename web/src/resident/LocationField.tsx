import { lazy, Suspense, useState } from 'react';
import { ApiError } from '../api/client';
import { locate } from './api';
import { describe } from './errors';
import { useI18n } from './i18n';
import { Spinner } from './ui';
import { useLoad } from './useLoad';

// MapLibre is larger than the rest of this page together: it is fetched only when the map is opened.
const PinMap = lazy(() => import('./PinMap'));

export interface PickedPoint {
  lng: number;
  lat: number;
  accuracy?: number;
}

type GeoState = { kind: 'idle' } | { kind: 'locating' } | { kind: 'error'; message: string };

function round(value: number): number {
  // Six decimals is about 0.1 m, finer than any phone fix; it also keeps the locate request stable.
  return Math.round(value * 1e6) / 1e6;
}

/** What is served, from the server's refusal (`details.served`: district names), as one phrase. */
export function servedAreas(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const served = error.details.served;
  return Array.isArray(served) && served.length > 0 && served.every((s) => typeof s === 'string')
    ? served.join('、')
    : null;
}

function Located({ point, quiet }: { point: PickedPoint; quiet: boolean }) {
  const { t } = useI18n();
  const place = useLoad((signal) => locate(point.lng, point.lat, signal), [point.lng, point.lat]);
  if (place.loading) return <Spinner label={t('common.loading')} />;
  if (place.error) {
    const outside = place.error instanceof ApiError && place.error.code === 'OUTSIDE_TERRITORY';
    // The form's own error below says it already: once is enough.
    if (outside && quiet) return null;
    const areas = servedAreas(place.error);
    return (
      <p className={outside ? 'field-error' : 'hint'} role={outside ? 'alert' : undefined}>
        {outside
          ? areas
            ? t('report.outsideServed', { areas })
            : t('report.outside')
          : describe(t, place.error)}
      </p>
    );
  }
  if (!place.data) return null;
  const { street, community, alley } = place.data;
  return (
    <div className="located" aria-live="polite">
      <p className="located-street">
        {street.name}
        {community ? ` · ${community.name}` : ''}
      </p>
      {alley && (
        <p>{t('report.nearAlley', { alley: alley.name, meters: Math.round(alley.distanceMeters) })}</p>
      )}
    </div>
  );
}

export function LocationField({
  point,
  error,
  onChange,
}: {
  point: PickedPoint | null;
  error: string | null;
  onChange: (point: PickedPoint) => void;
}) {
  const { t } = useI18n();
  const [geo, setGeo] = useState<GeoState>({ kind: 'idle' });
  const [mapOpen, setMapOpen] = useState(false);

  const locateMe = () => {
    if (!('geolocation' in navigator)) {
      setGeo({ kind: 'error', message: t('report.locationUnsupported') });
      return;
    }
    setGeo({ kind: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setGeo({ kind: 'idle' });
        onChange({
          lng: round(position.coords.longitude),
          lat: round(position.coords.latitude),
          accuracy: position.coords.accuracy,
        });
      },
      (failure) => {
        const message =
          failure.code === failure.PERMISSION_DENIED
            ? t('report.locationDenied')
            : t('report.locationFailed', { message: failure.message });
        setGeo({ kind: 'error', message });
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  return (
    <fieldset className="section" aria-describedby={error ? 'location-error' : undefined}>
      <legend>{t('report.location')}</legend>
      <div className="button-row">
        <button
          type="button"
          className="button button-secondary"
          onClick={locateMe}
          disabled={geo.kind === 'locating'}
        >
          {geo.kind === 'locating' ? t('report.locating') : t('report.useMyLocation')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setMapOpen((open) => !open)}
          aria-expanded={mapOpen}
        >
          {mapOpen ? t('report.closeMap') : t('report.openMap')}
        </button>
      </div>
      {geo.kind === 'error' && (
        <p className="field-error" role="alert">
          {geo.message}
        </p>
      )}
      {point && (
        <>
          <p className="coordinates" data-testid="coordinates">
            {t('report.coordinates', { lng: point.lng.toFixed(5), lat: point.lat.toFixed(5) })}
            {point.accuracy !== undefined &&
              ` · ${t('report.accuracy', { meters: Math.round(point.accuracy) })}`}
          </p>
          <Located point={point} quiet={error !== null} />
        </>
      )}
      {mapOpen && (
        <Suspense fallback={<Spinner label={t('report.mapLoading')} />}>
          <PinMap point={point} onChange={(lng, lat) => onChange({ lng: round(lng), lat: round(lat) })} />
        </Suspense>
      )}
      {error && (
        <p id="location-error" className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
