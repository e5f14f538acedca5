import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NewsmirrorError, errorMessage, publicUrl, redactText, redactUrl } from './errors.js';

const SECRET_NAMES = ['access_token', 'accesstoken', 'token', 'api_key', 'apikey', 'key', 'secret', 'password', 'passwd', 'auth', 'sig', 'signature', 'client_secret'];

describe('redaction', () => {
  it('RD-01 redactUrl and redactText blank the same parameters', () => {
    for (const name of SECRET_NAMES) {
      const url = `https://a.example/feed?page=2&${name}=S3CRET`;
      assert.doesNotMatch(redactUrl(url), /S3CRET/, name);
      assert.doesNotMatch(redactText(`GET ${url} failed`), /S3CRET/, name);
      assert.match(redactText(`GET ${url} failed`), /page=2/);
    }
  });

  it('RD-02 user info goes, harmless parameters stay', () => {
    assert.equal(redactText('clone https://user:pw@git.example/x.git?ref=main'), 'clone https://***@git.example/x.git?ref=main');
    assert.equal(redactUrl('https://user:pw@a.example/x?monkey=1'), 'https://***@a.example/x?monkey=1');
  });

  it('RD-03 error messages are redacted however they are made', () => {
    assert.doesNotMatch(errorMessage(new Error('at https://a.example/?sig=S3CRET')), /S3CRET/);
    assert.doesNotMatch(new NewsmirrorError('store', 'store', 'at https://a.example/?passwd=S3CRET').message, /S3CRET/);
  });

  it('RD-04 publicUrl removes user info and secret parameters instead of masking them', () => {
    assert.equal(publicUrl('https://user:p%40ss@a.example/feed?token=S3CRET&lang=zh'), 'https://a.example/feed?lang=zh');
    assert.equal(publicUrl('https://a.example/feed?api%5Fkey=S3CRET'), 'https://a.example/feed');
    for (const name of SECRET_NAMES) assert.equal(publicUrl(`https://a.example/x?${name}=S3CRET&page=2`), 'https://a.example/x?page=2', name);
  });

  it('RD-05 publicUrl keeps a URL without secrets byte for byte', () => {
    for (const url of ['https://www.dw.com/zh/?/a-54180796', 'https://a.example/x?q=a+b&monkey=1#top', 'http://A.example//cn/a']) {
      assert.equal(publicUrl(url), url);
    }
    assert.equal(publicUrl('https://u@a.example/?/a-1&key=S'), 'https://a.example/?/a-1');
    assert.doesNotMatch(publicUrl('not a url https://u:S3CRET@a.example'), /S3CRET/);
  });
});
