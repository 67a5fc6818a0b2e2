import { Segmented } from 'antd';
import { type Locale, useI18n } from '../i18n/i18n';

/** Each language is named in itself, so that a reader of the other one can still find theirs. */
const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', 'en-US': 'English' };

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <Segmented<Locale>
      data-testid="language-switch"
      aria-label={t('lang.label')}
      size="small"
      value={locale}
      onChange={setLocale}
      options={(Object.keys(LANGUAGE_NAMES) as Locale[]).map((value) => ({
        value,
        label: <span lang={value}>{LANGUAGE_NAMES[value]}</span>,
      }))}
    />
  );
}
