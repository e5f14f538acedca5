import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NewsmirrorError, errorMessage, redactText, redactUrl } from './errors.js';

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
});
