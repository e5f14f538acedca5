import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/**
 * Resolver turns a host name into every address it resolves to. It is injected so tests can
 * point made-up host names at 127.0.0.1 without touching /etc/hosts or the network.
 */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** resolveWithSystem is the default Resolver: the operating system's resolver (getaddrinfo). */
export const resolveWithSystem: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * PRIVATE_IPV4 lists the IPv4 ranges a news feed has no business living in: "this network",
 * RFC 1918, CGNAT (RFC 6598), loopback, link-local, IETF protocol assignments, documentation,
 * benchmarking, multicast, reserved and broadcast (IANA special-purpose registry).
 */
const PRIVATE_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const PRIVATE_IPV4_RANGES = PRIVATE_IPV4.map(([base, bits]) => ({ base: parseIPv4(base) ?? 0, bits }));

/**
 * isPrivateAddress tells whether an IP address (v4 or v6, with or without brackets or a zone id)
 * is private, loopback, link-local, unique-local, CGNAT, multicast, unspecified or otherwise not
 * a public unicast address. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64,
 * 6to4) are judged by the embedded address. Anything that does not parse counts as private, so a
 * surprise never opens the door.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = isIP(bare);
  if (kind === 4) return isPrivateIPv4(parseIPv4(bare));
  if (kind === 6) return isPrivateIPv6(parseIPv6(bare));
  return true;
}

function isPrivateIPv4(value: number | undefined): boolean {
  if (value === undefined) return true;
  return PRIVATE_IPV4_RANGES.some(({ base, bits }) => inPrefix(value, base, bits));
}

function inPrefix(value: number, base: number, bits: number): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((value & mask) >>> 0) === ((base & mask) >>> 0);
}

function isPrivateIPv6(groups: number[] | undefined): boolean {
  if (groups === undefined) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = ((g6 << 16) | g7) >>> 0;
  const leadingZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::/128 unspecified, ::1 loopback, ::/96 IPv4-compatible (deprecated) and ::ffff:0:0/96 mapped.
  if (leadingZero && g5 === 0) return g6 === 0 ? true : isPrivateIPv4(embedded);
  if (leadingZero && g5 === 0xffff) return isPrivateIPv4(embedded);
  // 64:ff9b::/96 is NAT64: the gateway would connect to the embedded IPv4 address.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPrivateIPv4(embedded);
  // 2002::/16 is 6to4, the IPv4 address sits in groups 1 and 2.
  if (g0 === 0x2002) return isPrivateIPv4(((g1 << 16) | g2) >>> 0);
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated, still routable inside sites)
  if ((g0 & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // 2001:db8::/32 documentation
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // 100::/64 discard
  return false;
}

function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function parseIPv6(text: string): number[] | undefined {
  let hex = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    // A trailing dotted quad (::ffff:10.0.0.1) stands for the last two groups.
    const v4 = parseIPv4(dotted[1]);
    if (v4 === undefined) return undefined;
    hex = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = toGroups(halves[0]);
  const right = toGroups(halves[1]);
  const missing = halves.length === 1 ? 0 : 8 - left.length - right.length;
  if (missing < 0) return undefined;
  const all = [...left, ...new Array<number>(missing).fill(0), ...right];
  return all.length === 8 && all.every(Number.isFinite) ? all : undefined;
}

/** PRIVATE_ADDRESS_CODE marks the error a guarded lookup raises, so the client can map it. */
export const PRIVATE_ADDRESS_CODE = 'ENEWSMIRROR_PRIVATE_ADDRESS';

/** PrivateAddressError is raised inside the socket connect path when a name resolves to a private address. */
export class PrivateAddressError extends Error {
  /** code is PRIVATE_ADDRESS_CODE, for mapping without instanceof across realms. */
  readonly code = PRIVATE_ADDRESS_CODE;
  /** address is the refused IP address. */
  readonly address: string;

  constructor(hostname: string, address: string) {
    super(
      hostname === address
        ? `${address} is a private or reserved address`
        : `${hostname} resolves to ${address}, a private or reserved address`,
    );
    this.name = 'PrivateAddressError';
    this.address = address;
  }
}

/**
 * checkResolved resolves a host name (or takes an IP literal as is) and fails with a
 * PrivateAddressError when any of its addresses is private. It serves the proxied path, where the
 * proxy makes the connection and the check can only be made on our own resolution of the name.
 */
export async function checkResolved(hostname: string, resolve: Resolver): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await resolve(bare);
  const refused = addresses.find((entry) => isPrivateAddress(entry.address));
  if (refused) throw new PrivateAddressError(bare, refused.address);
}

/**
 * createGuardedLookup builds the `lookup` function handed to net.connect through undici's Agent.
 * The addresses it checks are the addresses the socket then connects to, so a DNS answer that
 * changes between a check and the connection (DNS rebinding) cannot slip through.
 */
export function createGuardedLookup(resolve: Resolver, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = family === undefined ? found : found.filter((entry) => entry.family === family);
        const first = addresses[0];
        if (first === undefined) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = 'ENOTFOUND';
          callback(error, '', 0);
          return;
        }
        const refused = allowPrivate ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
        if (refused) {
          callback(new PrivateAddressError(hostname, refused.address), '', 0);
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
