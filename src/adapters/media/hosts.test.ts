import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createImageHosts, hostOf } from './hosts.js';

describe('createImageHosts', () => {
  it('MH-01 opens a host after consecutive timeouts or failed connections, for that host only', () => {
    const hosts = createImageHosts({ breakerFailures: 3 });
    hosts.record('img.example', 'timeout');
    hosts.record('img.example', 'connect');
    hosts.record('other.example', 'timeout');
    assert.equal(hosts.isOpen('img.example'), false);
    hosts.record('IMG.example', 'timeout');
    assert.equal(hosts.isOpen('img.example'), true);
    assert.equal(hosts.isOpen('other.example'), false);
    assert.deepEqual(hosts.openHosts(), [{ host: 'img.example', failures: 3 }]);
  });

  it('MH-02 counts neither a bad image nor failures broken by a success', () => {
    const hosts = createImageHosts({ breakerFailures: 2 });
    hosts.record('img.example', 'timeout');
    hosts.record('img.example', 'http-status');
    hosts.record('img.example', 'unsupported-media');
    hosts.record('img.example', undefined);
    hosts.record('img.example', 'timeout');
    assert.equal(hosts.isOpen('img.example'), false);
    hosts.record('img.example', 'dns');
    assert.equal(hosts.isOpen('img.example'), true);
    hosts.reset();
    assert.equal(hosts.isOpen('img.example'), false);
    assert.deepEqual(hosts.openHosts(), []);
  });

  it('MH-03 bounds downloads per host', async () => {
    const hosts = createImageHosts({ perHost: 1 });
    const first = await hosts.acquire('img.example');
    let second = false;
    const waiting = hosts.acquire('img.example').then((release) => {
      second = true;
      release();
    });
    const other = await hosts.acquire('other.example');
    other();
    await Promise.resolve();
    assert.equal(second, false);
    first();
    await waiting;
    assert.equal(second, true);
  });

  it('MH-04 names the host of an image URL', () => {
    assert.equal(hostOf('https://IMG.example:8443/a.jpg'), 'img.example');
    assert.equal(hostOf('not a url'), '');
  });
});
