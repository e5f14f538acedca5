import type { Person } from '../../model/feed.js';
import { cleanText } from './text.js';

/**
 * parsePerson reads the free-form author strings of RSS: `jo@example.com (Jo Doe)`,
 * `Jo Doe <jo@example.com>`, `Jo Doe (jo@example.com)`, a bare address or a bare name.
 */
export function parsePerson(raw: string): Person | undefined {
  const value = cleanText(raw);
  if (value === '') return undefined;
  const email = EMAIL.exec(value);
  if (!email) return { name: value };
  const rest = (value.slice(0, email.index) + value.slice(email.index + email[0].length))
    .replace(/\(\s*\)|<\s*>|\[\s*\]/g, ' ')
    .replace(/^[\s(<[]+|[\s)>\]]+$/g, '');
  return withName({ email: email[1] as string }, rest);
}

const EMAIL = /(?:mailto:)?([^\s()<>[\]"',;:]+@[^\s()<>[\]"',;:]+\.[^\s()<>[\]"',;:]+)/i;

function withName(person: Person, name: string | undefined): Person {
  const clean = name === undefined ? '' : cleanText(name.replace(/^["']|["']$/g, ''));
  if (clean !== '') person.name = clean;
  return person;
}

/** addPerson appends a person unless an equal one is already listed. */
export function addPerson(list: Person[], person: Person | undefined): void {
  if (!person || (!person.name && !person.email && !person.url)) return;
  if (list.some((p) => p.name === person.name && p.email === person.email && p.url === person.url)) return;
  list.push(person);
}

/** addUnique appends a non-empty string unless it is already listed. */
export function addUnique(list: string[], value: string | undefined): void {
  if (value === undefined) return;
  const clean = cleanText(value);
  if (clean !== '' && !list.includes(clean)) list.push(clean);
}
