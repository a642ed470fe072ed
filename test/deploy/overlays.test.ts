import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { METRIC_NAMES } from '../../src/observability/metrics.js';
import { isServiceVariable, vendorUrlOf } from './config-variables.js';
import { KUBERNETES_URL, ROOT_URL, type HorizontalPodAutoscaler, type Manifest, type PodDisruptionBudget } from './deploy-files.js';
import { renderKustomization } from './kustomize-render.js';
import { readServiceMetricTypes } from './service-metrics.js';

/** The vendor kinds of the product specification (`VENDOR_KIND`). */
const VENDOR_KINDS = ['generic', 'boost', 'openai', 'directline', 'rasa'];
const OPEN_CHATS_METRIC = 'chat_redact_ws_connections';

const render = (folder: string): Manifest[] => renderKustomization(new URL(folder, ROOT_URL));
const key = (object: Manifest): string => `${object.kind}/${object.metadata.name}`;
const byKind = <T extends Manifest>(objects: Manifest[], kind: string): T => objects.find((object) => object.kind === kind) as T;

/** The objects an overlay changes against the base, by kind/name. */
function changedObjects(overlay: Manifest[], base: Manifest[]): string[] {
  expect(overlay.map(key).sort()).toEqual(base.map(key).sort());
  return overlay.filter((object) => !isDeepStrictEqual(object, base.find((candidate) => key(candidate) === key(object)))).map(key).sort();
}

describe('deploy/overlays', () => {
  const base = renderKustomization(KUBERNETES_URL);

  describe('boost: the gateway in front of a Boost.ai bot', () => {
    const overlay = render('deploy/overlays/boost/');
    const data = byKind(overlay, 'ConfigMap').data ?? {};

    it('changes the settings and the vendor rule of the NetworkPolicy, nothing else', () => {
      expect(changedObjects(overlay, base)).toEqual(['ConfigMap/chat-redact', 'NetworkPolicy/chat-redact']);
    });

    it('names the boost adapter and a Boost tenant over https, in variables the service reads', () => {
      expect(data.VENDOR_KIND).toBe('boost');
      expect(VENDOR_KINDS).toContain(data.VENDOR_KIND);
      expect(new URL(data.VENDOR_URL!)).toMatchObject({ protocol: 'https:', pathname: '/' });
      expect(new URL(data.VENDOR_URL!).hostname).toMatch(/\.boost\.ai$/);
      expect(Object.keys(data).filter((name) => !isServiceVariable(name))).toEqual([]);
      expect(vendorUrlOf(loadConfig(data))).toBe(data.VENDOR_URL);
    });
  });

  describe('scaling: more pods, scaled on CPU and on open chats', async () => {
    const overlay = render('deploy/overlays/scaling/');
    const hpa = byKind<HorizontalPodAutoscaler>(overlay, 'HorizontalPodAutoscaler');
    const baseHpa = byKind<HorizontalPodAutoscaler>(base, 'HorizontalPodAutoscaler');
    const pdb = byKind<PodDisruptionBudget>(overlay, 'PodDisruptionBudget');
    const { own } = await readServiceMetricTypes();

    it('changes the autoscaler, nothing else', () => {
      expect(changedObjects(overlay, base)).toEqual(['HorizontalPodAutoscaler/chat-redact']);
    });

    it("keeps the base's CPU target and adds the open-chats gauge the service exports, per pod", () => {
      expect(hpa.spec.minReplicas).toBeGreaterThan(baseHpa.spec.minReplicas!);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas!);
      expect(hpa.spec.metrics.filter((metric) => metric.type === 'Resource')).toEqual(baseHpa.spec.metrics);
      const pods = hpa.spec.metrics.filter((metric) => metric.type === 'Pods') as unknown as {
        pods: { metric: { name: string }; target: { type: string; averageValue: string } };
      }[];
      expect(pods.map((metric) => metric.pods.metric.name)).toEqual([OPEN_CHATS_METRIC]);
      expect(METRIC_NAMES).toContain(OPEN_CHATS_METRIC);
      expect(own.get(OPEN_CHATS_METRIC)).toBe('gauge');
      expect(pods[0]!.pods.target.type).toBe('AverageValue');
    });

    it('adds pods well before one refuses chats at MAX_CONNECTIONS', () => {
      const pods = hpa.spec.metrics.find((metric) => metric.type === 'Pods') as unknown as { pods: { target: { averageValue: string } } };
      const target = Number(pods.pods.target.averageValue);
      expect(target).toBeGreaterThan(0);
      expect(target).toBeLessThanOrEqual(loadConfig({}).chat.limits.maxConnections / 2);
    });

    it('still lets a drain take one pod and never every pod at the minimum', () => {
      expect(Number(pdb.spec.maxUnavailable)).toBeGreaterThanOrEqual(1);
      expect(Number(pdb.spec.maxUnavailable)).toBeLessThan(hpa.spec.minReplicas!);
    });
  });
});
