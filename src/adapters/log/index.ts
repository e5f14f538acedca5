import type { Logger } from '../../core/ports.js';
import { redactText } from '../../core/errors.js';

function formatFields(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** createStreamLogger writes one redacted line per event (`level message key=value …`). */
export function createStreamLogger(write: (line: string) => void, options: { quiet?: boolean } = {}): Logger {
  const emit = (level: string, message: string, fields?: Record<string, unknown>) =>
    write(redactText(`${level} ${message}${formatFields(fields)}\n`));
  return {
    info: (message, fields) => {
      if (!options.quiet) emit('info', message, fields);
    },
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
