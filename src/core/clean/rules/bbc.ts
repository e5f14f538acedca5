import type { CleanRule } from '../types.js';

/** BBC_RULE cleans BBC 中文 bodies: mpu ad slots, visually hidden labels, player fallbacks, embed notices. */
export const BBC_RULE: CleanRule = {
  site: 'bbc',
  sourceIds: ['bbc'],
  hosts: ['bbc.com', 'bbc.co.uk', 'bbci.co.uk'],
  remove: [
    { name: 'ad-slot', selector: '.bbccom_slot, .mpu-ad, .bbccom_advert, .dotcom-ad, [class*="AdContainer"]' },
    // `off-screen` spans are screen-reader labels ("图片版权", "Image caption", skip links).
    { name: 'hidden-label', selector: '.off-screen, [class*="VisuallyHiddenText"]' },
    { name: 'player-fallback', selector: '.player-with-placeholder__caption, .media-player-wrapper' },
    { name: 'player-fallback', selector: 'div, p, strong', text: /^你的(?:器材|设备)不支持播放多媒体材料$/, needle: '不支持播放' },
    { name: 'embed-notice', selector: '.embed-youtube-warning' },
    { name: 'promo', selector: 'img[alt="Around the BBC"], a[href*="xtor=CS8-1000-"]' },
    { name: 'separator-image', selector: 'img[alt^="Presentational"], img[alt="Transparent line"]' },
    // The 2020-10 redesign froze "19 分钟前" at fetch time; the publication time is in the metadata.
    { name: 'relative-time', selector: 'time', text: /^\d+\s*(?:秒|分钟|小时|天)前$/ },
  ],
};
