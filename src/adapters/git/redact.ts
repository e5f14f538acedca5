import { redactText } from '../../core/errors.js';

/** Redactor removes every credential the git adapter knows about from a piece of text. */
export type Redactor = (text: string) => string;

/** SSH options whose value names a secret file. */
const SSH_SECRET_OPTIONS = /^(?:identityfile|certificatefile|userknownhostsfile|globalknownhostsfile|identityagent)$/i;

/**
 * createRedactor builds a redactor for the given remote URLs and environment.
 *
 * `redactText` already blanks `scheme://user:secret@` in URLs, but git and ssh also print secrets in
 * other shapes: ssh names the key file from GIT_SSH_COMMAND (`Warning: Identity file /keys/x not
 * accessible`), and a token may come back percent-decoded. So every literal secret taken from the
 * remote URLs (user info) and from GIT_SSH_COMMAND (the `-i` key path, file-valued `-o` options, and
 * the whole command) is also replaced wherever it appears.
 */
export function createRedactor(remoteUrls: readonly string[], env: Record<string, string | undefined> = {}): Redactor {
  const secrets = new Set<string>();
  for (const raw of remoteUrls) {
    for (const secret of urlSecrets(raw)) addSecret(secrets, secret);
  }
  for (const key of ['GIT_SSH_COMMAND', 'GIT_SSH']) {
    const command = env[key];
    if (command === undefined || command === '') continue;
    addSecret(secrets, command);
    for (const path of sshSecretPaths(command)) addSecret(secrets, path);
  }
  // Longest first, so a path is replaced whole before any shorter secret inside it.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let result = text;
    for (const secret of ordered) result = result.split(secret).join('***');
    return redactText(result);
  };
}

function addSecret(secrets: Set<string>, value: string): void {
  // Very short values (a one-letter user name) would blank ordinary words in messages.
  if (value.length < 4) return;
  secrets.add(value);
  try {
    const decoded = decodeURIComponent(value);
    if (decoded.length >= 4) secrets.add(decoded);
  } catch {
    // Not percent-encoded: the literal form is already recorded.
  }
}

/** urlSecrets returns the user info of a `scheme://user:password@host` URL; the scp form `git@host:path` holds no secret. */
function urlSecrets(raw: string): string[] {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]*)@/i.exec(raw);
  if (!match) return [];
  const userInfo = match[1] ?? '';
  const colon = userInfo.indexOf(':');
  if (colon < 0) return [userInfo];
  return [userInfo.slice(0, colon), userInfo.slice(colon + 1)].filter((part) => part !== '');
}

/** sshSecretPaths reads the key and other file paths out of an ssh command line. */
function sshSecretPaths(command: string): string[] {
  const words = command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  const unquote = (word: string) => word.replace(/^(["'])(.*)\1$/, '$2');
  const paths: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = unquote(words[i] ?? '');
    if (word === '-i' || word === '-F') {
      paths.push(unquote(words[i + 1] ?? ''));
    } else if (word.startsWith('-i') && word.length > 2) {
      paths.push(word.slice(2));
    } else if (word === '-o' || (word.startsWith('-o') && word.length > 2)) {
      const option = word === '-o' ? unquote(words[i + 1] ?? '') : word.slice(2);
      const [name, ...rest] = option.split(/[=\s]/);
      if (name !== undefined && SSH_SECRET_OPTIONS.test(name)) paths.push(rest.join('=').trim());
    }
  }
  return paths.filter((path) => path !== '');
}
