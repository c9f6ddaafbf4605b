import { useEffect, useState } from 'react';
import { AlleyLoadError, Checklist, ChiefCard, tierText, useAlley } from './AlleyBoard';
import { fetchPublicUrl } from './api';
import { useI18n } from './i18n';
import { Link, paths } from './router';
import { Spinner } from './ui';
import { useLoad } from './useLoad';

type Qr = { kind: 'loading' } | { kind: 'ready'; dataUrl: string } | { kind: 'failed' };

/** The QR encoder is loaded with the poster only; nobody else on this page needs it. */
function useQrCode(text: string): Qr {
  const [qr, setQr] = useState<Qr>({ kind: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setQr({ kind: 'loading' });
    // Nothing to encode until the site's address is known.
    if (!text) return;
    import('qrcode')
      .then((module) => module.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: 480 }))
      .then(
        (dataUrl) => {
          if (!cancelled) setQr({ kind: 'ready', dataUrl });
        },
        () => {
          if (!cancelled) setQr({ kind: 'failed' });
        },
      );
    return () => {
      cancelled = true;
    };
  }, [text]);
  return qr;
}

/** An A4 poster of the notice board for the alley's wall, with a QR code leading back to the board. */
export function AlleyPoster({ id }: { id: string }) {
  const { t } = useI18n();
  const alley = useAlley(id);
  // The configured public address, not whichever host this browser used (an intranet name, localhost).
  const site = useLoad((signal) => fetchPublicUrl(signal), []);
  const base = site.loading ? null : (site.data ?? window.location.origin);
  const boardUrl = base ? `${base}${paths.alley(id)}` : '';
  const qr = useQrCode(boardUrl);

  if (alley.loading) return <Spinner label={t('common.loading')} />;
  if (alley.error || !alley.data) return <AlleyLoadError error={alley.error} />;
  const data = alley.data;

  return (
    <article className="poster">
      <div className="poster-tools no-print button-row">
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('poster.print')}
        </button>
        <Link className="button button-secondary" to={paths.alley(id)}>
          {t('poster.back')}
        </Link>
      </div>
      <header className="poster-head">
        <p className="eyebrow">{t('board.title')}</p>
        <h1>{data.name}</h1>
        <p>
          {data.streetName}
          {data.communityName ? ` · ${data.communityName}` : ''} · {t(`alleyType.${data.alleyType}`)} ·{' '}
          {tierText(t, data)}
        </p>
      </header>
      <div className="poster-body">
        <ChiefCard alley={data} />
        <figure className="poster-qr">
          {qr.kind === 'ready' && (
            <img src={qr.dataUrl} alt={t('poster.qrAlt', { url: boardUrl })} width={240} height={240} />
          )}
          {qr.kind === 'loading' && <Spinner label={t('poster.qrLoading')} />}
          {qr.kind === 'failed' && <p>{t('poster.qrFailed', { url: boardUrl })}</p>}
          <figcaption>
            {t('poster.scan')}
            <br />
            <span className="poster-url">{boardUrl}</span>
          </figcaption>
        </figure>
      </div>
      <Checklist alley={data} />
      {data.residentsPact && (
        <section className="card">
          <h2>{t('board.pact')}</h2>
          <p>{data.residentsPact}</p>
        </section>
      )}
    </article>
  );
}
