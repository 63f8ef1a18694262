import { useDirection } from '@mantine/core';
import { useEffect } from 'react';
import { useI18n } from './index';

/**
 * Keeps `<html lang dir>` and Mantine's direction in step with the chosen language, so Persian
 * lays out right-to-left (README, "Right-to-left"). Renders nothing.
 */
export function LanguageSync() {
  const { language, dir } = useI18n();
  const { setDirection } = useDirection();
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = dir;
    setDirection(dir);
  }, [language, dir, setDirection]);
  return null;
}
