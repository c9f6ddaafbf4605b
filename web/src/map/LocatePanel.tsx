import { Alert, Button, Descriptions, type DescriptionsProps, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { useLocate } from '../territory/territoryApi';

export interface LocatePoint {
  lng: number;
  lat: number;
}

interface LocatePanelProps {
  point: LocatePoint;
  onSelectStreet: (code: string) => void;
}

/** What `/api/territory/locate` says about the clicked point; announced politely to screen readers. */
export function LocatePanel({ point, onSelectStreet }: LocatePanelProps) {
  const { t } = useTranslation();
  const locate = useLocate(point);
  const coordinates = t('map.point', { lng: point.lng.toFixed(6), lat: point.lat.toFixed(6) });

  let body: ReactNode;
  if (locate.isPending) {
    body = <Spin size="small" description={t('map.locating')} />;
  } else if (locate.isError) {
    const outside = locate.error instanceof ApiError && locate.error.code === 'OUTSIDE_TERRITORY';
    body = (
      <Alert
        type={outside ? 'warning' : 'error'}
        title={outside ? t('map.outside') : describeError(t, locate.error)}
      />
    );
  } else {
    const { street, community, grid, alley } = locate.data;
    const items: DescriptionsProps['items'] = [
      {
        key: 'street',
        label: t('map.street'),
        children: (
          <>
            {street.name}{' '}
            <Button size="small" type="link" onClick={() => onSelectStreet(street.code)}>
              {t('map.showStreet')}
            </Button>
          </>
        ),
      },
      { key: 'community', label: t('map.community'), children: community?.name ?? t('common.none') },
      { key: 'grid', label: t('map.grid'), children: grid?.code ?? t('common.none') },
      {
        key: 'alley',
        label: t('map.alley'),
        children: alley ? (
          <Link to={`/territory/alleys/${encodeURIComponent(alley.id)}`} title={t('map.openAlley')}>
            {t('map.alleyDistance', { name: alley.name, meters: Math.round(alley.distanceMeters) })}
          </Link>
        ) : (
          t('common.none')
        ),
      },
    ];
    body = <Descriptions size="small" column={1} items={items} />;
  }

  return (
    <section aria-live="polite" aria-label={t('map.resultTitle')}>
      <Typography.Title level={3} style={{ fontSize: 14, marginTop: 0 }}>
        {t('map.resultTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{coordinates}</Typography.Paragraph>
      {body}
    </section>
  );
}
