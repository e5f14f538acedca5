/**
 * Debian's Chromium driven by playwright-core, launched the one way that works on these machines: as
 * root (no sandbox), with the background networking that a closed network refuses turned off.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** CHROMIUM is Debian's browser (`apt-get install chromium`); playwright downloads none of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** chromiumSkip is why browser tests skip here, or false; under CI a missing browser throws instead. */
export function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing; CI must run the browser tests (apt-get install chromium)`);
  return `${CHROMIUM} is not installed`;
}

/** launchChromium starts a headless Chromium with the flags this workplace needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
