import { Alert, Card, Col, Row, Spin, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { AlleyTable } from './AlleyTable';
import { StreetTable } from './StreetTable';
import { useStreets } from './territoryApi';

// MapLibre is about as large as the rest of the console together: it loads only with this page.
const TerritoryMap = lazy(() => import('../map/TerritoryMap'));

function MapFallback() {
  const { t } = useTranslation();
  return (
    <div style={{ height: 480, display: 'grid', placeItems: 'center' }}>
      <Spin description={t('map.loading')} />
    </div>
  );
}

/** The selected street, search text and page live in the URL so a view can be reloaded and shared. */
function useTerritoryParams() {
  const [params, setParams] = useSearchParams();
  const street = params.get('street');
  const search = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);

  const update = (changes: Record<string, string | null>) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  };

  return {
    street,
    search,
    page,
    selectStreet: (code: string) => update({ street: code, q: null, page: null }),
    setSearch: (text: string) => update({ q: text, page: null }),
    setPage: (value: number) => update({ page: value > 1 ? String(value) : null }),
  };
}

export function TerritoryPage() {
  const { t } = useTranslation();
  const params = useTerritoryParams();
  const streets = useStreets();
  const selectedStreet = streets.data?.find((street) => street.code === params.street);

  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('territory.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card title={t('territory.streets')} size="small">
            <StreetTable selected={params.street} onSelect={params.selectStreet} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small">
            {params.street ? (
              <AlleyTable
                streetCode={params.street}
                streetName={selectedStreet?.name ?? params.street}
                search={params.search}
                page={params.page}
                onSearch={params.setSearch}
                onPage={params.setPage}
              />
            ) : (
              <Alert type="info" title={t('territory.pickStreet')} />
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('map.title')} size="small">
            <Suspense fallback={<MapFallback />}>
              <TerritoryMap streetCode={params.street} onSelectStreet={params.selectStreet} />
            </Suspense>
          </Card>
        </Col>
      </Row>
    </>
  );
}
