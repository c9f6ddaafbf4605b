import { Alert, Button, Flex, Result, Skeleton, Space, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import type { AlleyDetail } from '../api/types';
import { AlleyRegistryForm, type SaveOutcome } from './AlleyRegistryForm';
import { AlleyRegistryView } from './AlleyRegistryView';
import { ComplianceCount } from './ChecklistPanels';
import { countCompliance } from './checklist';
import { AlleyTypeTag, ApproximateTag } from './labels';
import { useAlley } from './territoryApi';

type Notice = 'conflict' | 'forbidden' | null;

function RegistryHeader({ alley, actions }: { alley: AlleyDetail; actions: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Space wrap>
        <Typography.Text type="secondary">{t('alley.registryTitle')}</Typography.Text>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {alley.name}
        </Typography.Title>
        <AlleyTypeTag alleyType={alley.alleyType} />
        <ApproximateTag approximate={alley.approximate} />
        <ComplianceCount compliance={countCompliance(alley.checklist)} />
        <Typography.Text type="secondary">{t('alley.version', { version: alley.version })}</Typography.Text>
      </Space>
      {actions}
    </Flex>
  );
}

export function AlleyRegistryPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const alley = useAlley(id);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  if (alley.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (alley.isError) {
    const notFound = alley.error instanceof ApiError && alley.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('alley.notFound') : describeError(t, alley.error)}
        extra={<Link to="/territory">{t('alley.backToList')}</Link>}
      />
    );
  }

  const data = alley.data;
  const canEdit = data.permissions?.edit === true && notice !== 'forbidden';

  const finish = (outcome: SaveOutcome) => {
    // After a conflict the form stays open so the user can still see (and copy) what they typed.
    if (outcome !== 'conflict') setEditing(false);
    setNotice(outcome === 'saved' ? null : outcome);
  };

  const reload = async () => {
    await alley.refetch();
    setNotice(null);
  };

  return (
    <Flex vertical gap={16}>
      <Link to={`/territory?street=${encodeURIComponent(data.streetCode)}`}>← {t('alley.backToList')}</Link>
      <RegistryHeader
        alley={data}
        actions={
          canEdit && !editing ? (
            <Button type="primary" onClick={() => setEditing(true)}>
              {t('alley.edit')}
            </Button>
          ) : null
        }
      />
      {notice === 'conflict' && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={t('alley.conflict')}
          action={<Button onClick={() => void reload()}>{t('common.reload')}</Button>}
        />
      )}
      {notice === 'forbidden' && <Alert type="info" showIcon role="alert" title={t('alley.readOnly')} />}
      {data.approximate && <Alert type="warning" title={t('common.approximateHint')} />}
      {editing ? (
        <AlleyRegistryForm
          key={data.version}
          alley={data}
          onDone={finish}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <AlleyRegistryView alley={data} />
      )}
    </Flex>
  );
}
