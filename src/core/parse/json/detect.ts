/** detectJson tells whether a parsed JSON value is a JSON Feed and returns its version. */
export function detectJson(value: unknown): { version: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const version = typeof record.version === 'string' ? record.version : '';
  const match = /^https?:\/\/jsonfeed\.org\/version\/(\d+(?:\.\d+)?)\/?$/.exec(version.trim());
  if (match) return { version: match[1] === '1' ? '1.0' : (match[1] as string) };
  if (Array.isArray(record.items) && (typeof record.title === 'string' || typeof record.home_page_url === 'string')) {
    return { version: '' };
  }
  return undefined;
}
