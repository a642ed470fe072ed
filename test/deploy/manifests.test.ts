import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { isConfigVariable, isServiceVariable, vendorUrlOf } from './config-variables.js';
import {
  KUBERNETES_URL,
  gatewayContainer,
  listKubernetesFiles,
  loadManifests,
  readRepoFile,
  readYamlDocument,
  type Container,
  type Deployment,
  type HttpProbe,
  type Labels,
} from './deploy-files.js';

const APP_LABEL = { 'app.kubernetes.io/name': 'chat-redact' };

/** The files in deploy/kubernetes and the one object each must hold. */
const EXPECTED_KINDS: Record<string, [apiVersion: string, kind: string]> = {
  'configmap.yaml': ['v1', 'ConfigMap'],
  'deployment.yaml': ['apps/v1', 'Deployment'],
  'hpa.yaml': ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  'ingress.yaml': ['networking.k8s.io/v1', 'Ingress'],
  'kustomization.yaml': ['kustomize.config.k8s.io/v1beta1', 'Kustomization'],
  'networkpolicy.yaml': ['networking.k8s.io/v1', 'NetworkPolicy'],
  'pdb.yaml': ['policy/v1', 'PodDisruptionBudget'],
  'service.yaml': ['v1', 'Service'],
  'servicemonitor.yaml': ['monitoring.coreos.com/v1', 'ServiceMonitor'],
};

/** Variables a container may carry that are Node's own, not the service's configuration. */
const NODE_RUNTIME_VARIABLES = new Set(['NODE_OPTIONS']);
/** Tokens: each optional, an absent one leaves its feature off. */
const OPTIONAL_SECRET_VARIABLES = ['VENDOR_TOKEN', 'WIDGET_TOKEN', 'METRICS_TOKEN'];
/** Replicas must share it, or a chat that reconnects to another pod cannot resume: no pod without it. */
const REQUIRED_SECRET_VARIABLES = ['SESSION_SECRET', 'REDACT_API_TOKEN'];
/** Folders the kustomization includes, each a kustomization of its own (the alert rules). */
const INCLUDED_FOLDERS = ['../prometheus'];

/**
 * After SHUTDOWN_TIMEOUT_MS the service still closes the remaining chats (close handshakes) and
 * exits; the grace period must leave at least this much for it before Kubernetes sends SIGKILL.
 */
const CLOSE_MARGIN_SECONDS = 5;

/** The heap cap must leave this share of the memory limit to the young generation, code and buffers. */
const MAX_HEAP_SHARE_OF_LIMIT = 0.75;

const QUANTITY_SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
};

/** A Kubernetes resource quantity (`500m`, `2`, `192Mi`) as a plain number. */
function parseQuantity(quantity: string | number | undefined): number {
  if (typeof quantity === 'number') return quantity;
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(quantity ?? '');
  const factor = match ? QUANTITY_SUFFIXES[match[2]!] : undefined;
  if (!match || factor === undefined) throw new Error(`not a quantity this test reads: ${quantity}`);
  return Number(match[1]) * factor;
}

function hasLabels(labels: Labels | undefined, selector: Labels): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** A label selector selects something specific (an empty one selects every pod) and matches `labels`. */
function expectSelects(selector: Labels, labels: Labels | undefined): void {
  expect(Object.keys(selector).length).toBeGreaterThan(0);
  expect(hasLabels(labels, selector), `${JSON.stringify(selector)} vs ${JSON.stringify(labels)}`).toBe(true);
}

/** How long the preStop hook pauses, whether as `sleep N` in the image or Kubernetes' own sleep action. */
function preStopSeconds(container: Container): number {
  const preStop = container.lifecycle?.preStop;
  if (preStop?.sleep) return preStop.sleep.seconds;
  const command = preStop?.exec?.command ?? [];
  expect(command[0]).toBe('sleep');
  expect(command).toHaveLength(2);
  expect(command[1]).toMatch(/^\d+$/);
  return Number(command[1]);
}

/** The environment the pod starts with, Secrets absent (they are optional). */
function podEnvironment(container: Container, configMapData: Record<string, string>): Record<string, string> {
  const literal = (container.env ?? []).filter((variable) => variable.value !== undefined);
  return { ...configMapData, ...Object.fromEntries(literal.map((variable) => [variable.name, variable.value!])) };
}

function expectHttpProbe(probe: HttpProbe | undefined, path: string, container: Container): void {
  expect(probe?.httpGet?.path).toBe(path);
  expect(probe?.httpGet?.port).toBe('http');
  expect(container.ports?.map((port) => port.name)).toContain(probe?.httpGet?.port);
}

function podTemplateLabels(deployment: Deployment): Labels {
  return deployment.spec.template.metadata.labels;
}

describe('deploy/kubernetes', () => {
  const manifests = loadManifests();
  const { deployment, service, hpa, pdb, serviceMonitor, networkPolicy, configMap, kustomization } = manifests;
  const container = gatewayContainer(deployment);
  const configMapData = configMap.data ?? {};

  it('holds one document per file, each of the expected kind', () => {
    expect(listKubernetesFiles()).toEqual(Object.keys(EXPECTED_KINDS).sort());
    for (const [file, [apiVersion, kind]] of Object.entries(EXPECTED_KINDS)) {
      const document = readYamlDocument(file) as { apiVersion: string; kind: string };
      expect({ file, apiVersion: document.apiVersion, kind: document.kind }).toEqual({ file, apiVersion, kind });
    }
  });

  it('the kustomization lists every manifest in the folder, the alert rules folder, and only files that exist', () => {
    const manifestFiles = listKubernetesFiles().filter((file) => file !== 'kustomization.yaml');
    const files = kustomization.resources.filter((resource) => !INCLUDED_FOLDERS.includes(resource));
    expect(files.sort()).toEqual(manifestFiles);
    expect(kustomization.resources.filter((resource) => INCLUDED_FOLDERS.includes(resource))).toEqual(INCLUDED_FOLDERS);
    for (const file of files) expect(existsSync(new URL(file, KUBERNETES_URL))).toBe(true);
    for (const folder of INCLUDED_FOLDERS) expect(existsSync(new URL(`${folder}/kustomization.yaml`, KUBERNETES_URL))).toBe(true);
  });

  it('the kustomization sets the image the Deployment names, at the version this checkout builds', () => {
    const { version } = JSON.parse(readRepoFile('package.json')) as { version: string };
    const image = kustomization.images?.find((entry) => entry.name === container.image);
    expect(image?.newTag).toBe(version);
    expect(image?.newName).toMatch(/\/chat-redact$/);
  });

  it('labels every object app.kubernetes.io/name: chat-redact', () => {
    for (const manifest of [deployment, service, hpa, pdb, serviceMonitor, networkPolicy, configMap]) {
      expect(manifest.metadata.name).toBe('chat-redact');
      expect(manifest.metadata.labels).toMatchObject(APP_LABEL);
    }
    expect(podTemplateLabels(deployment)).toMatchObject(APP_LABEL);
  });

  it('selects the same pods from the Deployment, Service, PDB, NetworkPolicy, spread constraints and ServiceMonitor', () => {
    const podLabels = podTemplateLabels(deployment);
    expectSelects(deployment.spec.selector.matchLabels, podLabels);
    expectSelects(service.spec.selector, podLabels);
    expectSelects(pdb.spec.selector.matchLabels, podLabels);
    expectSelects(networkPolicy.spec.podSelector.matchLabels, podLabels);
    for (const constraint of deployment.spec.template.spec.topologySpreadConstraints ?? []) {
      expectSelects(constraint.labelSelector.matchLabels, podLabels);
    }
    // The ServiceMonitor picks Services, not pods.
    expectSelects(serviceMonitor.spec.selector.matchLabels, service.metadata.labels);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: deployment.apiVersion, kind: deployment.kind, name: deployment.metadata.name });
  });

  it('exposes the service default PORT as the container port named http, and the pod does not override it', () => {
    const port = container.ports?.find((candidate) => candidate.name === 'http');
    expect(port?.containerPort).toBe(8080);
    expect(port?.containerPort).toBe(loadConfig({}).http.port);
    expect(loadConfig(podEnvironment(container, configMapData)).http.port).toBe(port?.containerPort);
  });

  it('routes Service port 80 to the container port by name', () => {
    expect(service.spec.ports).toHaveLength(1);
    const [port] = service.spec.ports;
    expect(port).toMatchObject({ name: 'http', port: 80, targetPort: 'http' });
    expect(container.ports?.map((candidate) => candidate.name)).toContain(port!.targetPort);
  });

  it('scrapes /metrics through a port the Service has', () => {
    expect(serviceMonitor.spec.endpoints.length).toBeGreaterThan(0);
    const servicePorts = service.spec.ports.map((port) => port.name);
    for (const endpoint of serviceMonitor.spec.endpoints) {
      expect(endpoint.path).toBe('/metrics');
      expect(servicePorts).toContain(endpoint.port);
    }
  });

  it('checks readiness on /readyz and liveness on /healthz, on the named port', () => {
    expectHttpProbe(container.readinessProbe, '/readyz', container);
    expectHttpProbe(container.livenessProbe, '/healthz', container);
  });

  it('gives a stopping pod time for the preStop pause, the drain and the closes', () => {
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    const pause = preStopSeconds(container);
    expect(pause).toBeGreaterThanOrEqual(1);
    const drainMs = [loadConfig({}).serve.shutdownTimeoutMs, loadConfig(podEnvironment(container, configMapData)).serve.shutdownTimeoutMs];
    for (const ms of drainMs) expect(grace).toBeGreaterThanOrEqual(pause + ms / 1000 + CLOSE_MARGIN_SECONDS);
  });

  it('runs as a non-root user with no privileges, a read-only root and the runtime seccomp profile', () => {
    const pod = deployment.spec.template.spec.securityContext ?? {};
    const own = container.securityContext ?? {};
    // A container's own setting wins over the pod's.
    const effective = { ...pod, ...own };
    expect(effective.runAsNonRoot).toBe(true);
    expect(effective.runAsUser).toBe(1000);
    expect(effective.runAsGroup).not.toBe(0);
    expect(effective.allowPrivilegeEscalation).toBe(false);
    expect(effective.readOnlyRootFilesystem).toBe(true);
    expect(effective.privileged ?? false).toBe(false);
    expect(effective.capabilities?.drop).toEqual(['ALL']);
    expect(effective.capabilities?.add ?? []).toEqual([]);
    expect(effective.seccompProfile?.type).toBe('RuntimeDefault');
  });

  it('requests and limits CPU and memory, and caps the V8 heap below the memory limit', () => {
    const { requests = {}, limits = {} } = container.resources ?? {};
    for (const resource of ['cpu', 'memory']) {
      expect(parseQuantity(requests[resource])).toBeGreaterThan(0);
      expect(parseQuantity(limits[resource])).toBeGreaterThanOrEqual(parseQuantity(requests[resource]));
    }
    const nodeOptions = container.env?.find((variable) => variable.name === 'NODE_OPTIONS')?.value ?? '';
    const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions)?.[1]);
    expect(heapMiB).toBeGreaterThan(0);
    expect(heapMiB * 2 ** 20).toBeLessThanOrEqual(parseQuantity(limits.memory) * MAX_HEAP_SHARE_OF_LIMIT);
  });

  it('scales on CPU utilisation from two pods up, and leaves the replica count to the autoscaler', () => {
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas!);
    const cpu = hpa.spec.metrics.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
    expect(cpu?.resource?.target.type).toBe('Utilization');
    expect(cpu?.resource?.target.averageUtilization).toBeGreaterThan(0);
    expect(cpu?.resource?.target.averageUtilization).toBeLessThanOrEqual(100);
    // Utilisation is measured against the request: without one the HPA cannot scale.
    expect(container.resources?.requests?.cpu).toBeDefined();
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('lets voluntary disruptions take a pod, but never every pod at the autoscaler minimum', () => {
    const { minAvailable, maxUnavailable } = pdb.spec;
    expect([minAvailable, maxUnavailable].filter((value) => value !== undefined)).toHaveLength(1);
    const minPods = hpa.spec.minReplicas!;
    const evictable = maxUnavailable !== undefined ? Number(maxUnavailable) : minPods - Number(minAvailable);
    expect(evictable).toBeGreaterThanOrEqual(1);
    expect(evictable).toBeLessThan(minPods);
  });

  it('configures only variables the service reads, to values it accepts', () => {
    // The probe tells a real variable from a misspelt one.
    expect(isConfigVariable('SHUTDOWN_TIMEOUT_MS')).toBe(true);
    expect(isConfigVariable('SHUTDOWN_TIMEOUT')).toBe(false);

    const configured = [...Object.keys(configMapData), ...(container.env ?? []).map((variable) => variable.name)];
    const unknown = configured.filter((name) => !NODE_RUNTIME_VARIABLES.has(name) && !isServiceVariable(name));
    expect(unknown).toEqual([]);
    expect(() => loadConfig(podEnvironment(container, configMapData))).not.toThrow();
    expect(vendorUrlOf(loadConfig(podEnvironment(container, configMapData)))).toMatch(/^https:\/\//);
    expect(container.envFrom?.map((source) => source.configMapRef?.name)).toContain(configMap.metadata.name);
  });

  it('takes the session secret and every token from the Secret and from nowhere else, only the tokens optional', () => {
    for (const name of [...OPTIONAL_SECRET_VARIABLES, ...REQUIRED_SECRET_VARIABLES]) {
      const variable = container.env?.find((candidate) => candidate.name === name);
      expect(variable?.value).toBeUndefined();
      const optional = OPTIONAL_SECRET_VARIABLES.includes(name);
      const reference = variable?.valueFrom?.secretKeyRef;
      expect({ name, reference: { ...reference, optional: reference?.optional ?? false } }).toEqual({
        name,
        reference: { name: 'chat-redact', key: name, optional },
      });
      expect(Object.keys(configMapData)).not.toContain(name);
    }
    expect(container.envFrom?.some((source) => source.secretRef !== undefined)).toBe(false);
  });
});

describe('the shipped production settings', () => {
  const { deployment, configMap } = loadManifests();
  const data = configMap.data ?? {};

  it('run with NODE_ENV=production, a real vendor, and the client address from the one Ingress in front', () => {
    expect(data.NODE_ENV).toBe('production');
    const config = loadConfig({ ...data, SESSION_SECRET: 's'.repeat(40), REDACT_API_TOKEN: 'redact-token' });
    expect(config.http.trustProxy).toEqual({ hops: 1 });
    expect(config.redactApi).toMatchObject({ enabled: true, token: 'redact-token' });
    // The guard is real: without the vendor the same settings refuse to start.
    const { VENDOR_URL: _vendor, ...withoutVendor } = data;
    expect(() => loadConfig(withoutVendor)).toThrow(/VENDOR_URL: must be set when NODE_ENV is production/);
    expect(gatewayContainer(deployment).env?.some((variable) => variable.name === 'NODE_ENV')).toBe(false);
  });

  it('the Ingress keeps WebSockets open past the gateway’s pings and routes to the Service’s named port', () => {
    const ingress = readYamlDocument('ingress.yaml') as {
      metadata: { annotations: Record<string, string> };
      spec: { rules: { http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] };
    };
    const annotations = ingress.metadata.annotations;
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering']).toBe('off');
    const backend = ingress.spec.rules[0]!.http.paths[0]!.backend.service;
    expect(backend).toEqual({ name: 'chat-redact', port: { name: 'http' } });
  });
});
