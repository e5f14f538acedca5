/**
 * CHALLENGE_MARKERS are texts that anti-bot walls put in their interstitial pages (Cloudflare,
 * DDoS-Guard, Incapsula/Imperva, Sucuri, PerimeterX, hCaptcha/reCAPTCHA). A feed never contains
 * them in its first few kilobytes, so finding one means we were served a wall, not content.
 */
const CHALLENGE_MARKERS: readonly RegExp[] = [
  /<title>\s*just a moment\.\.\.\s*<\/title>/i,
  /<title>\s*attention required!?\s*\|\s*cloudflare\s*<\/title>/i,
  /\/cdn-cgi\/challenge-platform\//i,
  /\bcf[-_]chl[-_]/i,
  /checking (?:if the site connection is secure|your browser before accessing)/i,
  /ddos-guard/i,
  /_incapsula_resource/i,
  /sucuri website firewall/i,
  /px-captcha/i,
  /\b(?:h-captcha|g-recaptcha|cf-turnstile)\b/i,
];

/**
 * isChallengePage tells whether a response is an anti-bot challenge rather than the resource:
 * Cloudflare's `cf-mitigated: challenge` header, or a known marker in the start of the body.
 * The client applies it to 403, 429 and 503 answers; a caller that expected a feed and got a 200
 * HTML page can apply it too.
 */
export function isChallengePage(headers: Record<string, string>, bodyStart: string): boolean {
  if ((headers['cf-mitigated'] ?? '').toLowerCase() === 'challenge') return true;
  return CHALLENGE_MARKERS.some((marker) => marker.test(bodyStart));
}
