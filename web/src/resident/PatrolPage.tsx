import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { searchCategories } from './api';
import { CategoryField } from './CategoryField';
import type { DraftPhoto } from './draft';
import { useI18n } from './i18n';
import { PhotoPicker } from './PhotoPicker';
import { flushBatches, indexedDbBatches, type TrackPoint } from './patrolQueue';
import { Link, paths } from './router';
import { useSession } from './session';
import type { PatrolFinished, PatrolStarted } from './types';

const BATCH_SIZE = 5;
const BATCH_MS = 15_000;
const PATROL_KEY = 'hutong-patrol-id';

/**
 * The phone page of the daily patrol (日巡): start, the track from `watchPosition` in batches kept in
 * IndexedDB while offline, problems filed on the way (or fixed on the spot), finish with the alleys
 * walked as the server counts them.
 */
export function PatrolPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const store = useRef(indexedDbBatches());
  const [patrolId, setPatrolId] = useState<string | null>(() => localStorage.getItem(PATROL_KEY));
  const [points, setPoints] = useState(0);
  const [waiting, setWaiting] = useState(0);
  const [online, setOnline] = useState(navigator.onLine);
  const [gpsError, setGpsError] = useState<string | null>(null);
  const [finished, setFinished] = useState<PatrolFinished | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [onSpot, setOnSpot] = useState(false);
  const [category, setCategory] = useState<{ key: string; name: string } | null>(null);
  const [photos, setPhotos] = useState<DraftPhoto[]>([]);
  const [afterPhotos, setAfterPhotos] = useState<DraftPhoto[]>([]);
  const [filing, setFiling] = useState(false);
  const last = useRef<TrackPoint | null>(null);
  const buffer = useRef<TrackPoint[]>([]);

  const flush = useCallback(async () => {
    const r = await flushBatches(store.current);
    setWaiting(r.waiting);
  }, []);

  const closeBatch = useCallback(async () => {
    if (!patrolId || buffer.current.length === 0) return;
    const pts = buffer.current;
    buffer.current = [];
    await store.current.put({
      id: `${pts[0]!.t}-${Math.random().toString(36).slice(2)}`,
      patrolId,
      points: pts,
    });
    await flush();
  }, [patrolId, flush]);

  useEffect(() => {
    const up = () => {
      setOnline(true);
      void flush();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [flush]);

  useEffect(() => {
    if (!patrolId) return;
    const watch = navigator.geolocation.watchPosition(
      (pos) => {
        const p = {
          lng: pos.coords.longitude,
          lat: pos.coords.latitude,
          t: new Date(pos.timestamp).toISOString(),
        };
        last.current = p;
        buffer.current.push(p);
        setPoints((n) => n + 1);
        if (buffer.current.length >= BATCH_SIZE) void closeBatch();
      },
      (err) => setGpsError(err.message),
      { enableHighAccuracy: true, maximumAge: 0 },
    );
    const timer = window.setInterval(() => void closeBatch(), BATCH_MS);
    return () => {
      navigator.geolocation.clearWatch(watch);
      window.clearInterval(timer);
    };
  }, [patrolId, closeBatch]);

  // Only those the server lets walk a patrol get its controls; anyone else is asked to sign in as one.
  if (!can('patrol.walk')) {
    return (
      <>
        <h1>{t('patrol.title')}</h1>
        <p>{t('patrol.signIn')}</p>
        <Link className="button button-primary" to={paths.login(paths.patrol)}>
          {t('nav.login')}
        </Link>
      </>
    );
  }

  const start = async () => {
    const { id } = await api.post<PatrolStarted>('/api/patrols', {});
    localStorage.setItem(PATROL_KEY, id);
    setFinished(null);
    setPoints(0);
    setPatrolId(id);
  };

  const finish = async () => {
    await closeBatch();
    const r = await flushBatches(store.current);
    setWaiting(r.waiting);
    if (r.waiting > 0 || !patrolId) return;
    const done = await api.post<PatrolFinished>(`/api/patrols/${encodeURIComponent(patrolId)}/finish`, {});
    localStorage.removeItem(PATROL_KEY);
    setPatrolId(null);
    setFinished(done);
  };

  const file = async () => {
    const at = last.current;
    const text = description.trim();
    if (!patrolId || !at || !text) return;
    setFiling(true);
    try {
      // The finder's choice, else the best match of the words: a finding is filed with a category, and
      // the dispatcher can still correct it.
      const categoryKey = category?.key ?? (await searchCategories(text))[0]?.key ?? 'event:06036';
      const fields: Record<string, string> = {
        lng: String(at.lng),
        lat: String(at.lat),
        description: text,
        categoryKey,
        onSpot: String(onSpot),
      };
      if (onSpot) {
        fields.onSpotNote = text;
        if (afterPhotos.length === 0) fields.noPhotoReason = '现场处置，未拍照';
      }
      const path = `/api/patrols/${encodeURIComponent(patrolId)}/findings`;
      const sent = onSpot ? [...photos, ...afterPhotos] : photos;
      let filed: { caseNumber: string };
      if (sent.length === 0) {
        filed = await api.post(path, { ...fields, lng: at.lng, lat: at.lat, onSpot });
      } else {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append('photoRoles', sent.map((_, i) => (i < photos.length ? 'report' : 'after')).join(','));
        for (const photo of sent) form.append('photos', photo.blob, photo.name);
        filed = await api.post(path, form);
      }
      setMessage(t('patrol.filed', { number: filed.caseNumber }));
      setDescription('');
      setCategory(null);
      setPhotos([]);
      setAfterPhotos([]);
      setOnSpot(false);
    } catch (error) {
      setMessage(t('patrol.fileFailed', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setFiling(false);
    }
  };

  return (
    <>
      <h1>{t('patrol.title')}</h1>
      {!online && <p role="status">{t('patrol.offline')}</p>}
      {gpsError && <p role="alert">{t('patrol.noGps', { message: gpsError })}</p>}
      {finished && (
        <p role="status" data-testid="patrol-done">
          {t('patrol.done', {
            length: Math.round(finished.lengthM),
            alleys: finished.coveredAlleys.length,
            excluded: finished.excluded.length,
          })}
        </p>
      )}
      {patrolId ? (
        <>
          <p role="status" data-testid="patrol-status">
            {t('patrol.running', { points, waiting })}
          </p>
          <section>
            <h2>{t('patrol.finding')}</h2>
            <label>
              {t('patrol.description')}
              <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
            </label>
            <CategoryField selected={category} onChange={setCategory} description={description} />
            <PhotoPicker photos={photos} onChange={setPhotos} />
            <label className="check">
              <input type="checkbox" checked={onSpot} onChange={(e) => setOnSpot(e.target.checked)} />{' '}
              {t('patrol.onSpot')}
            </label>
            {onSpot && (
              <PhotoPicker photos={afterPhotos} onChange={setAfterPhotos} legend={t('patrol.afterPhotos')} />
            )}
            <button
              type="button"
              className="button"
              disabled={filing || !description.trim() || !last.current}
              onClick={() => void file()}
            >
              {t('patrol.file')}
            </button>
            {message && <p role="status">{message}</p>}
          </section>
          <button type="button" className="button button-primary" onClick={() => void finish()}>
            {t('patrol.finish')}
          </button>
        </>
      ) : (
        <button type="button" className="button button-primary" onClick={() => void start()}>
          {t('patrol.start')}
        </button>
      )}
    </>
  );
}
