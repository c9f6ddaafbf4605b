import { Card, Descriptions, type DescriptionsProps, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlleyDetail } from '../api/types';
import { ChecklistView } from './ChecklistPanels';
import { AlleyTypeTag, Length, TierTag } from './labels';

function Text({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <Typography.Text type="secondary">{t('common.notSet')}</Typography.Text>;
  // Plans and pacts are written as paragraphs; keep the author's line breaks.
  return <span style={{ whiteSpace: 'pre-wrap' }}>{value}</span>;
}

function Section({ title, items }: { title: string; items: DescriptionsProps['items'] }) {
  return (
    <Card size="small" title={title}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} items={items} />
    </Card>
  );
}

function item(key: string, label: string, children: ReactNode, span?: number | 'filled') {
  return { key, label, children, span };
}

export function AlleyRegistryView({ alley }: { alley: AlleyDetail }) {
  const { t } = useTranslation();
  return (
    <>
      <Section
        title={t('alley.basics')}
        items={[
          item('type', t('alley.type'), <AlleyTypeTag alleyType={alley.alleyType} />),
          item('length', t('alley.length'), <Length meters={alley.lengthM} />),
          item('street', t('alley.street'), alley.streetName),
          item('community', t('alley.community'), <Text value={alley.communityName} />),
          item('currentTier', t('alley.currentTier'), <TierTag tier={alley.currentTier} />),
          item('targetTier', t('alley.targetTier'), <TierTag tier={alley.targetTier} />),
        ]}
      />
      <Section
        title={t('alley.chiefSection')}
        items={[
          item('chiefName', t('alley.chiefName'), <Text value={alley.chief?.name} />),
          item('chiefTitle', t('alley.chiefTitle'), <Text value={alley.chief?.title} />),
          item('chiefPhone', t('alley.chiefPhone'), <Text value={alley.chief?.phone} />),
          item('chiefDuties', t('alley.chiefDuties'), <Text value={alley.chief?.duties} />, 'filled'),
        ]}
      />
      <Section
        title={t('alley.governance')}
        items={[
          item('council', t('alley.council'), <Text value={alley.council} />),
          item('contractor', t('alley.contractor'), <Text value={alley.contractorName} />),
          item('volunteerTeam', t('alley.volunteerTeam'), <Text value={alley.volunteerTeam} />),
          item('plan', t('alley.plan'), <Text value={alley.plan} />, 'filled'),
          item('residentsPact', t('alley.residentsPact'), <Text value={alley.residentsPact} />, 'filled'),
          item('noticeBoard', t('alley.noticeBoard'), <Text value={alley.noticeBoard} />, 'filled'),
          item('cultureNote', t('alley.cultureNote'), <Text value={alley.cultureNote} />, 'filled'),
        ]}
      />
      <Card size="small" title={t('alley.checklist')}>
        <ChecklistView checklist={alley.checklist} />
      </Card>
    </>
  );
}
