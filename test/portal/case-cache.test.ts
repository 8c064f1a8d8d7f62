import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CaseCache, parseChange } from '../../src/application/case-cache.ts';

/** A cache that is listening, and a loader that counts its calls. */
function setUp(maxEntries = 10) {
  const cache = new CaseCache<string>({ maxEntries });
  cache.setListening(true);
  const loads: string[] = [];
  const loader = (caseId: string, value: string, awaitsAnswer = false) => async () => {
    loads.push(caseId);
    return { value, awaitsAnswer };
  };
  return { cache, loads, loader };
}

describe('parseChange', () => {
  for (const [payload, expected] of [
    ['case:5f0c', { caseId: '5f0c' }],
    ['answer', 'answer'],
    ['answer:abc', 'everything'],
    ['*', 'everything'],
    ['something new', 'everything'],
  ] as const) {
    test(`${JSON.stringify(payload)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseChange(payload), expected));
  }
});

describe('the case cache', () => {
  test('answers from memory until the case changes, then loads it again', async () => {
    const { cache, loads, loader } = setUp();
    assert.equal(await cache.get('a', 'v', loader('a', 'one')), 'one');
    assert.equal(await cache.get('a', 'v', loader('a', 'two')), 'one');
    cache.changed('case:a');
    assert.equal(await cache.get('a', 'v', loader('a', 'three')), 'three');
    assert.deepEqual(loads, ['a', 'a']);
  });

  test('a change to another case, or another variant, leaves or replaces only that entry', async () => {
    const { cache, loader } = setUp();
    await cache.get('a', 'it', loader('a', 'a-it'));
    await cache.get('b', 'it', loader('b', 'b-it'));
    cache.changed('case:b');
    assert.equal(await cache.get('a', 'it', loader('a', 'changed')), 'a-it');
    assert.equal(await cache.get('a', 'en', loader('a', 'a-en')), 'a-en', 'another variant (day, language) is loaded');
    assert.equal(await cache.get('b', 'it', loader('b', 'b-new')), 'b-new');
  });

  test('an answer, which the notification does not name, drops the pages that still offer the questionnaire, and only those', async () => {
    const { cache, loader } = setUp();
    await cache.get('a', 'v', loader('a', 'a: not answered', true));
    await cache.get('b', 'v', loader('b', 'b: not answered', true));
    await cache.get('c', 'v', loader('c', 'c: answered'));
    cache.changed('answer');
    assert.equal(await cache.get('a', 'v', loader('a', 'a: answered')), 'a: answered');
    assert.equal(await cache.get('b', 'v', loader('b', 'b: still not answered', true)), 'b: still not answered');
    assert.equal(await cache.get('c', 'v', loader('c', 'c: loaded again')), 'c: answered', 'an answered page stays');
  });

  test('a catalogue change drops everything', async () => {
    const { cache, loader } = setUp();
    await cache.get('a', 'v', loader('a', 'a1'));
    await cache.get('b', 'v', loader('b', 'b1'));
    cache.changed('*');
    assert.equal(cache.size, 0);
  });

  test('while notifications may be missed it neither answers from memory nor keeps', async () => {
    const { cache, loads, loader } = setUp();
    await cache.get('a', 'v', loader('a', 'a1'));
    cache.setListening(false);
    assert.equal(await cache.get('a', 'v', loader('a', 'a2')), 'a2');
    assert.equal(await cache.get('a', 'v', loader('a', 'a3')), 'a3');
    assert.equal(cache.size, 0);
    cache.setListening(true);
    assert.equal(await cache.get('a', 'v', loader('a', 'a4')), 'a4', 'what was missed meanwhile is not trusted');
    assert.deepEqual(loads, ['a', 'a', 'a', 'a']);
  });

  test('a value read while a change arrived is given but not kept (it may predate the change)', async () => {
    const { cache } = setUp();
    const value = await cache.get('a', 'v', async () => {
      cache.changed('case:a');
      return { value: 'read before the commit' };
    });
    assert.equal(value, 'read before the commit');
    assert.equal(cache.size, 0);
  });

  test('nothing is kept for a case the loader did not find', async () => {
    const { cache } = setUp();
    assert.equal(await cache.get('missing', 'v', async () => undefined), undefined);
    assert.equal(cache.size, 0);
  });

  test('keeps at most maxEntries, dropping the least recently used', async () => {
    const { cache, loads, loader } = setUp(2);
    await cache.get('a', 'v', loader('a', 'a'));
    await cache.get('b', 'v', loader('b', 'b'));
    await cache.get('a', 'v', loader('a', 'a'));
    await cache.get('c', 'v', loader('c', 'c'));
    assert.equal(cache.size, 2);
    await cache.get('a', 'v', loader('a', 'a'));
    await cache.get('b', 'v', loader('b', 'b'));
    assert.deepEqual(loads, ['a', 'b', 'c', 'b'], 'b, the least recently used, was dropped; a was kept');
  });
});
