import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { checkResolved, createGuardedLookup, isPrivateAddress, PrivateAddressError } from './address.js';

describe('isPrivateAddress', () => {
  const privateAddresses = [
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.255.255.255',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '192.0.0.8',
    '198.18.0.1',
    '224.0.0.251',
    '239.255.255.250',
    '255.255.255.255',
    '::',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    '2002:c0a8:0101::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '2001:db8::1',
    'not-an-ip',
    '1.2.3',
  ];
  const publicAddresses = [
    '1.1.1.1',
    '8.8.8.8',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '2606:4700::6810:85e5',
    '2a00:1450:4001:82b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:0808:0808::1',
  ];
  for (const address of privateAddresses) {
    it(`ADDR-P ${address} is private`, () => assert.equal(isPrivateAddress(address), true));
  }
  for (const address of publicAddresses) {
    it(`ADDR-U ${address} is public`, () => assert.equal(isPrivateAddress(address), false));
  }
});

describe('checkResolved', () => {
  it('ADDR-01 refuses a name when any of its addresses is private', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    await assert.rejects(checkResolved('mixed.test', resolve), PrivateAddressError);
  });
  it('ADDR-02 checks IP literals without resolving them', async () => {
    const resolve = async () => {
      throw new Error('must not resolve');
    };
    await assert.rejects(checkResolved('[fd00::1]', resolve), PrivateAddressError);
    await checkResolved('8.8.8.8', resolve);
  });
});

describe('createGuardedLookup', () => {
  const lookupWith = (addresses: { address: string; family: number }[], allowPrivate: boolean, all: boolean) =>
    new Promise<{ error: unknown; result: unknown }>((resolve) => {
      createGuardedLookup(async () => addresses, allowPrivate)('feed.test', { all }, (error, result) =>
        resolve({ error, result }),
      );
    });

  it('ADDR-03 hands net.connect the checked addresses, in both callback shapes', async () => {
    const addresses = [{ address: '93.184.216.34', family: 4 }];
    assert.deepEqual(await lookupWith(addresses, false, true), { error: null, result: addresses });
    assert.deepEqual(await lookupWith(addresses, false, false), { error: null, result: '93.184.216.34' });
  });
  it('ADDR-04 fails the connection with PrivateAddressError unless private networks are allowed', async () => {
    const addresses = [{ address: '192.168.0.10', family: 4 }];
    assert.ok((await lookupWith(addresses, false, true)).error instanceof PrivateAddressError);
    assert.equal((await lookupWith(addresses, true, true)).error, null);
  });
});
