import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, isLanguage, LANGUAGES } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      aria-label={t('language.label')}
      value={isLanguage(i18n.language) ? i18n.language : undefined}
      onChange={(language) => void changeLanguage(language)}
      options={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
      style={{ width: 110 }}
      size="small"
    />
  );
}
