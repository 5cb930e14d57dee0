import test from 'node:test';
import assert from 'node:assert/strict';
import { releaseOptions } from '../../server/src/helm/chartRelease';
import { DEFAULT_HELM_OPTIONS } from '../../server/src/helm/chartRenderer';
import { toSettings } from '../../server/src/lsp/settings';

const options = {
  ...DEFAULT_HELM_OPTIONS,
  namespace: 'demo',
  charts: {
    'charts/loki': { namespace: 'loki' },
    './apps/redis/': { namespace: 'cache', releaseName: 'redis' },
    '/abs/zk': { namespace: 'zk' },
  },
};

test('each chart renders with its own release namespace and name; charts not listed keep the global ones', () => {
  const at = (dir: string) => {
    const o = releaseOptions(dir, '/ws', options);
    return [o.namespace, o.releaseName];
  };
  assert.deepEqual(at('/ws/charts/loki'), ['loki', 'release']);
  assert.deepEqual(at('/ws/apps/redis'), ['cache', 'redis']);
  assert.deepEqual(at('/abs/zk'), ['zk', 'release']);
  assert.deepEqual(at('/ws/charts/tempo'), ['demo', 'release']);
  assert.deepEqual(at('/ws/other/charts/loki'), ['demo', 'release']);
  assert.equal(releaseOptions('/ws/x', '/ws', DEFAULT_HELM_OPTIONS), DEFAULT_HELM_OPTIONS);
});

test('portLens.helm.charts is read from the settings, entries of the wrong shape left out', () => {
  const settings = toSettings({
    helm: { namespace: 'demo', charts: { 'charts/loki': { namespace: ' loki ' }, bad: 'x', empty: {}, num: { namespace: 3 } } },
  });
  assert.equal(settings.helm.namespace, 'demo');
  assert.deepEqual(settings.helm.charts, { 'charts/loki': { namespace: 'loki' } });
  assert.equal(toSettings({ helm: { charts: [] } }).helm.charts, undefined);
});
