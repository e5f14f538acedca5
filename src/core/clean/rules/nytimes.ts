import type { CleanRule } from '../types.js';

/** NYTIMES_RULE cleans NYT 中文网 bodies: the "subscribe to NYT简报" promo line. */
export const NYTIMES_RULE: CleanRule = {
  site: 'nytimes',
  sourceIds: ['nytimes', 'nyt'],
  hosts: ['nytimes.com', 'nytcn.me'],
  remove: [{ name: 'newsletter-promo', selector: 'p', text: /订阅.{0,6}NYT简报|^（欢迎点击此处订阅/, needle: '订阅' }],
};
