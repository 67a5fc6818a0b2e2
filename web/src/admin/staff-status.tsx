import { Tag, Tooltip } from 'antd';
import type { Staff } from '../api/types';
import { useT } from '../i18n/i18n';

export function StaffStatusTags({ staff }: { staff: Staff }) {
  const t = useT();
  return (
    <>
      {staff.active ? <Tag color="success">{t('staff.active')}</Tag> : <Tag>{t('staff.inactive')}</Tag>}
      {staff.absent ? (
        <Tooltip title={staff.absentNote}>
          <Tag color="warning">{t('staff.absent')}</Tag>
        </Tooltip>
      ) : null}
      {staff.locked ? <Tag color="error">{t('staff.locked')}</Tag> : null}
    </>
  );
}
