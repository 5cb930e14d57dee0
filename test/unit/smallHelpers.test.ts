import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isProtocol, PROTOCOLS, type PortEntry } from '../../server/src/model/manifest';
import { portEntryText } from '../../server/src/model/portText';
import { isInside, relativeInside } from '../../server/src/workspace/paths';

const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const entry = (port?: number | string, endPort?: number, protocol: PortEntry['protocol'] = 'TCP'): PortEntry => ({
  port:
    port === undefined
      ? undefined
      : {
          value: typeof port === 'number' ? { kind: 'number', number: port } : { kind: 'name', name: port },
          range: at,
          valueRange: at,
          quoted: false,
        },
  endPort: endPort === undefined ? undefined : { value: endPort, range: at, valueRange: at, quoted: false },
  protocol,
  range: at,
});

test('a policy port entry as text: numbers, quoted names, ranges, protocols, every port', () => {
  assert.equal(portEntryText(entry(80)), '80/TCP');
  assert.equal(portEntryText(entry('ssh')), '"ssh"/TCP');
  assert.equal(portEntryText(entry('8080')), '"8080"/TCP', 'a name that looks like a number stays a name');
  assert.equal(portEntryText(entry(8000, 8080, 'UDP')), '8000-8080/UDP');
  assert.equal(portEntryText(entry(9125, undefined, 'ANY')), '9125 (any protocol)');
  assert.equal(portEntryText(entry(undefined, undefined, 'SCTP')), 'every SCTP port');
  assert.equal(portEntryText(entry(undefined, undefined, 'ANY')), 'every port');
  assert.equal(portEntryText(entry(8000, 8080), { protocol: false }), '8000-8080');
  assert.equal(portEntryText(entry('ssh'), { protocol: false }), '"ssh"');
});

test('is a path inside a folder: the folder itself, below it, not a sibling named ..foo, not another drive', () => {
  assert.ok(isInside('/ws', '/ws'));
  assert.ok(isInside('/ws', '/ws/a/b.yaml'));
  assert.ok(isInside('/ws', '/ws/..foo/b.yaml'), 'a folder named ..foo is inside');
  assert.ok(!isInside('/ws', '/ws2/a.yaml'));
  assert.ok(!isInside('/ws/a', '/ws/b.yaml'));
  assert.ok(!isInside('/ws', '/'));
  assert.ok(isInside('C:\\ws', 'C:\\ws\\..foo\\a.yaml', path.win32));
  assert.ok(isInside('C:\\ws', 'c:\\WS\\a.yaml', path.win32), 'Windows paths compare without case');
  assert.ok(!isInside('C:\\ws', 'D:\\ws\\a.yaml', path.win32), 'another drive is not inside');
  assert.ok(!isInside('C:\\ws', 'C:\\other\\a.yaml', path.win32));
  assert.equal(relativeInside('/ws', '/ws/a/b.yaml'), 'a/b.yaml');
  assert.equal(relativeInside('C:\\ws', 'C:\\ws\\a\\b.yaml', path.win32), 'a/b.yaml');
  assert.equal(relativeInside('/ws', '/other'), undefined);
});

test('the protocols Kubernetes accepts', () => {
  assert.deepEqual(PROTOCOLS, ['TCP', 'UDP', 'SCTP']);
  assert.ok(isProtocol('UDP'));
  assert.ok(!isProtocol('udp'), 'the API server wants them upper case');
  assert.ok(!isProtocol('ANY'));
});
