import { Button, Result } from 'antd';
import { Link, useParams } from 'react-router';
import { useT } from '../../i18n/i18n';

/**
 * /portal/apply/:itemCode until the case module brings the online application: the applicant arrives here
 * from a guide's apply button (through the login page when not signed in) and is told it opens soon.
 */
export function ApplySoonPage() {
  const t = useT();
  const { itemCode = '' } = useParams();
  return (
    <div data-testid="apply-soon">
      <Result
        status="info"
        title={t('catalog.applySoon.title')}
        subTitle={t('catalog.applySoon.body')}
        extra={
          <Link to={`/portal/catalog/items/${encodeURIComponent(itemCode)}`}>
            <Button type="primary">{t('catalog.applySoon.back')}</Button>
          </Link>
        }
      />
    </div>
  );
}
