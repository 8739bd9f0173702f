// Chinese first; English by the switch in the header, remembered in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zh from './zh.json';
import en from './en.json';

export type Lang = 'zh' | 'en';
const KEY = 'jingzhun.lang';

function saved(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: saved(),
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = saved() === 'en' ? 'en' : 'zh-CN';

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* private mode: the switch still works for this visit */
  }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  void i18n.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh';
}

/** The text of a bilingual message (API errors, code labels) in the current language. */
export function pick(m: { zh: string; en: string } | undefined | null): string {
  if (!m) return '';
  return currentLang() === 'en' ? m.en : m.zh;
}

export default i18n;
