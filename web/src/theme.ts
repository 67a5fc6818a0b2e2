import type { ThemeConfig } from 'antd';

/**
 * antd's default blue, green, orange and red, its grey secondary text and select placeholders fall short of
 * WCAG AA contrast (4.5:1) on white and on their own light tag backgrounds; these darker shades meet it.
 * Tags use the status colours (success, processing, warning, error), which follow these tokens.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0a52c4',
    colorLink: '#0a52c4',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    colorSuccess: '#2a6e0c',
    colorWarning: '#a14b00',
    colorError: '#c0161f',
    colorInfo: '#0a52c4',
    // Derived from the darker shades above, antd's tag backgrounds turn grey: name them.
    colorSuccessBg: '#eef6e9',
    colorWarningBg: '#fff4e5',
    colorErrorBg: '#fff0f0',
    colorInfoBg: '#e8f0fd',
    borderRadius: 4,
  },
};
