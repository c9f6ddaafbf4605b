import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';

/** The server's refusal or failure, in the page's language. */
export function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return error ? <Alert type="warning" showIcon message={describeError(t, error)} /> : null;
}
