import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isChallengePage } from './challenge.js';

describe('isChallengePage', () => {
  it('CH-01 recognises Cloudflare, DDoS-Guard and captcha walls', () => {
    assert.ok(isChallengePage({}, '<html><head><title>Just a moment...</title>'));
    assert.ok(isChallengePage({}, '<title>Attention Required! | Cloudflare</title>'));
    assert.ok(isChallengePage({}, '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>'));
    assert.ok(isChallengePage({}, '<div class="g-recaptcha" data-sitekey="x"></div>'));
    assert.ok(isChallengePage({}, 'Checking your browser before accessing example.com. DDoS-Guard'));
    assert.ok(isChallengePage({ 'cf-mitigated': 'challenge' }, ''));
  });

  it('CH-02 leaves feeds and ordinary error pages alone', () => {
    assert.ok(!isChallengePage({ server: 'cloudflare' }, '<?xml version="1.0"?><rss><channel><title>Just a moment</title></channel></rss>'));
    assert.ok(!isChallengePage({}, '<html><title>403 Forbidden</title><body>nginx</body></html>'));
    assert.ok(!isChallengePage({}, '<html><title>503 Service Unavailable</title></html>'));
  });
});
