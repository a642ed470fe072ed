import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { vendorUrlOf } from './config-variables.js';
import { ROOT_URL, type Container, type Manifest, type NetworkPolicy, type NetworkPolicyPort } from './deploy-files.js';
import { renderKustomization } from './kustomize-render.js';

const DNS_PORT = 53;
const HTTPS_PORT = 443;
const HTTP_PORT = 80;
/** Prefix lengths that would let the pods reach much of the internet, not one vendor. */
const MIN_PREFIX_LENGTH = 8;

/** The base, and the vendor overlay that adapts the one rule meant to be adapted. */
const KUSTOMIZATIONS = ['deploy/kubernetes/', 'deploy/overlays/boost/'];

function pick<T extends Manifest>(objects: Manifest[], kind: string): T {
  const matches = objects.filter((object) => object.kind === kind);
  expect(matches, kind).toHaveLength(1);
  return matches[0] as T;
}

const portKey = (port: NetworkPolicyPort): string => `${port.protocol ?? 'TCP'}/${port.port}`;

describe.each(KUSTOMIZATIONS)('the NetworkPolicy of %s', (folder) => {
  const objects = renderKustomization(new URL(folder, ROOT_URL));
  const policy = pick<NetworkPolicy>(objects, 'NetworkPolicy');
  const deployment = pick<Manifest & { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } } } }>(
    objects,
    'Deployment',
  );
  const configMap = pick(objects, 'ConfigMap');
  const [container] = deployment.spec.template.spec.containers;
  const { ingress = [], egress = [] } = policy.spec;

  it("governs both directions for the gateway's pods", () => {
    expect(Object.entries(policy.spec.podSelector.matchLabels)).not.toEqual([]);
    for (const [key, value] of Object.entries(policy.spec.podSelector.matchLabels)) {
      expect(deployment.spec.template.metadata.labels[key]).toBe(value);
    }
    expect([...policy.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
  });

  it('lets in only the service port, the container port named http', () => {
    expect(ingress.length).toBeGreaterThan(0);
    const http = container!.ports!.find((port) => port.name === 'http')!;
    for (const rule of ingress) {
      expect(rule.ports?.map(portKey)).toEqual(['TCP/http']);
    }
    expect(http.containerPort).toBe(loadConfig({}).http.port);
  });

  it('lets out DNS to the cluster DNS pods, over UDP and TCP', () => {
    const dns = egress.filter((rule) => rule.ports?.some((port) => port.port === DNS_PORT));
    expect(dns).toHaveLength(1);
    expect(dns[0]!.ports!.map(portKey).sort()).toEqual([`TCP/${DNS_PORT}`, `UDP/${DNS_PORT}`]);
    expect(dns[0]!.to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    ]);
  });

  it("lets out, besides DNS, only the vendor: one address range or namespace, on VENDOR_URL's port", () => {
    const vendor = egress.filter((rule) => !rule.ports?.some((port) => port.port === DNS_PORT));
    expect(vendor).toHaveLength(1);
    const [rule] = vendor;
    const url = new URL(vendorUrlOf(loadConfig(configMap.data ?? {}))!);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? HTTPS_PORT : HTTP_PORT;
    expect(rule!.ports?.map(portKey)).toEqual([`TCP/${port}`]);
    // A rule without `to` (or with an empty peer) would let the pods reach every address.
    expect(rule!.to?.length).toBe(1);
    const [peer] = rule!.to!;
    const kinds = Object.keys(peer!).sort();
    expect([['ipBlock'], ['namespaceSelector'], ['namespaceSelector', 'podSelector']]).toContainEqual(kinds);
    if (peer!.ipBlock !== undefined) {
      const prefixLength = Number(peer!.ipBlock.cidr.split('/')[1]);
      expect(prefixLength).toBeGreaterThanOrEqual(MIN_PREFIX_LENGTH);
    }
  });
});

describe('the vendor overlay', () => {
  it('adapts the vendor rule, and only it', () => {
    const policyOf = (folder: string): NetworkPolicy => pick<NetworkPolicy>(renderKustomization(new URL(folder, ROOT_URL)), 'NetworkPolicy');
    const base = policyOf('deploy/kubernetes/');
    const boost = policyOf('deploy/overlays/boost/');
    expect(boost.spec.egress![1]!.to).not.toEqual(base.spec.egress![1]!.to);
    expect({ ...boost.spec, egress: [boost.spec.egress![0]] }).toEqual({ ...base.spec, egress: [base.spec.egress![0]] });
  });
});
