import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlleyTier, AlleyType } from '../api/types';

const TIER_COLOURS: Record<AlleyTier, string> = { exemplary: 'gold', fine: 'green', compliant: 'blue' };
const TYPE_COLOURS: Record<AlleyType, string> = {
  major_street: 'purple',
  main_street: 'geekblue',
  lane: 'default',
};

export function TierTag({ tier }: { tier: AlleyTier | null }) {
  const { t } = useTranslation();
  if (!tier) return <Tag>{t('tier.none')}</Tag>;
  return <Tag color={TIER_COLOURS[tier]}>{t(`tier.${tier}`)}</Tag>;
}

export function AlleyTypeTag({ alleyType }: { alleyType: AlleyType }) {
  const { t } = useTranslation();
  return <Tag color={TYPE_COLOURS[alleyType]}>{t(`alleyType.${alleyType}`)}</Tag>;
}

export function ApproximateTag({ approximate }: { approximate: boolean }) {
  const { t } = useTranslation();
  if (!approximate) return null;
  return (
    <Tooltip title={t('common.approximateHint')}>
      {/* Focusable so keyboard users can reach the explanation too. */}
      <Tag color="orange" tabIndex={0}>
        {t('common.approximate')}
      </Tag>
    </Tooltip>
  );
}

export function Length({ meters }: { meters: number }) {
  const { t, i18n } = useTranslation();
  return <>{t('common.meters', { value: Math.round(meters).toLocaleString(i18n.language) })}</>;
}
