import { Result } from 'antd';
import { useT } from '../i18n/i18n';
import { LanguageSwitch } from '../shell/language-switch';

/** Placeholder for the hall terminals (ticket kiosk, window caller, LED board); none exists yet. */
export default function HallPage() {
  const t = useT();
  return (
    <main style={{ padding: 24 }}>
      <div style={{ textAlign: 'right' }}>
        <LanguageSwitch />
      </div>
      <Result status="info" title={t('hallFace.title')} subTitle={t('hallFace.empty')} />
    </main>
  );
}
