import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCommitMessage } from './commit-message.js';

describe('planCommitMessage', () => {
  const names = new Map([
    ['rfi', '法广 RFI'],
    ['bbc', 'BBC 中文'],
  ]);
  it('CM-01 counts new and edited articles per source, by name', () => {
    const message = planCommitMessage(
      {
        added: ['articles/rfi/2023/10/20/1815-a.md', 'articles/rfi/2023/10/20/1816-b.md', 'articles/bbc/2023/10/20/0900-c.md', 'articles/bbc/2023/10/19/0800-d.versions/v1.md', 'media/ab/abc.jpg', 'lists/rfi.md'],
        modified: ['articles/bbc/2023/10/19/0800-d.md', 'README.md'],
        deleted: [],
      },
      names,
    );
    assert.equal(message, 'Mirror: 3 new articles, 1 edited, 1 image\n\nBBC 中文 (bbc): 1 new, 1 edited\n法广 RFI (rfi): 2 new\n');
  });
  it('CM-02 a publish of lists and status only says so', () => {
    assert.equal(planCommitMessage({ added: [], modified: ['STATUS.md'], deleted: [] }, names), 'Mirror: lists and status\n\n');
  });
  it('CM-04 an earlier version file comes with its article\'s edit and is not a new article', () => {
    const message = planCommitMessage({ added: ['articles/rfi/2023/10/20/1815-a.versions/v1.md', 'lists/removed.md'], modified: ['articles/rfi/2023/10/20/1815-a.md'], deleted: [] }, names);
    assert.equal(message, 'Mirror: 1 edited\n\n法广 RFI (rfi): 1 edited\n');
  });
  it('CM-05 an article file changed without an earlier version (images mirrored, a removal noted) is updated, not edited', () => {
    const message = planCommitMessage({ added: ['lists/removed.md', 'media/cd/cde.png'], modified: ['articles/rfi/2023/10/20/1815-a.md', 'articles/rfi/2023/10/20/1816-b.md'], deleted: [] }, names);
    assert.equal(message, 'Mirror: 2 updated, 1 image\n\n法广 RFI (rfi): 2 updated\n');
  });
  it('CM-03 an unknown source id is shown as its id', () => {
    assert.match(planCommitMessage({ added: ['articles/zzz/2023/01/01/0000-a.md'], modified: [], deleted: [] }, names), /^zzz \(zzz\): 1 new$/m);
  });
});
