import { pageMessages } from '../i18n/messages';

/** The dashboard page's texts (the dashboards work replaces this placeholder's). */
export const dashboardMessages = pageMessages(
  { 'dashboard.title': '经营看板', 'dashboard.placeholder': '经营看板正在建设中。' },
  { 'dashboard.title': 'Dashboard', 'dashboard.placeholder': 'The dashboard is being built.' },
);
