import type { ThemeConfig } from 'antd';

/**
 * The console's antd theme. Besides the brand colour it darkens the tokens antd uses for links,
 * danger labels and secondary, tertiary and description text: their defaults (#1677ff, #ff4d4f,
 * 45 % black) fall short of the 4.5:1 contrast that body-size text needs on white.
 * `a11y/contrast.test.ts` holds them to it.
 */
export const CONSOLE_COLOURS = {
  primary: '#a8071a',
  link: '#0958d9',
  error: '#cf1322',
  secondaryText: '#595959',
  background: '#ffffff',
  layoutBackground: '#f5f5f5',
} as const;

export const CONSOLE_THEME: ThemeConfig = {
  token: {
    colorPrimary: CONSOLE_COLOURS.primary,
    colorLink: CONSOLE_COLOURS.link,
    // Danger buttons ("reject", "send back") write their label in this colour.
    colorError: CONSOLE_COLOURS.error,
    colorTextSecondary: CONSOLE_COLOURS.secondaryText,
    colorTextTertiary: CONSOLE_COLOURS.secondaryText,
    colorTextDescription: CONSOLE_COLOURS.secondaryText,
  },
};
