import { describe, expect, it } from 'vitest';
import { KUBERNETES_URL, ROOT_URL, type Manifest } from './deploy-files.js';
import { renderKustomization } from './kustomize-render.js';
import { MODELS, schemaProblems } from './manifest-schemas.js';

/** What `kubectl apply -k` takes: the base and each overlay. */
const KUSTOMIZATIONS = ['deploy/kubernetes/', 'deploy/overlays/boost/', 'deploy/overlays/scaling/'];

const base = (): Manifest[] => renderKustomization(KUBERNETES_URL);
const find = (objects: Manifest[], kind: string): Record<string, any> => structuredClone(objects.find((object) => object.kind === kind)!);

describe('schemaProblems', () => {
  it('finds nothing wrong with a well-formed object', () => {
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', labels: { a: 'b' } }, spec: { ports: [{ port: 80 }] } })).toEqual([]);
  });

  it('reports a wrong type, a missing required field, a bad enum value and a bad duration', () => {
    const objects = base();
    const deployment = find(objects, 'Deployment');
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(schemaProblems(deployment)).toEqual(['data/spec/template/spec/containers/0/ports/0/containerPort must be integer']);

    const hpa = find(objects, 'HorizontalPodAutoscaler');
    delete hpa.spec.maxReplicas;
    expect(schemaProblems(hpa)).toEqual(['data/spec must have required property maxReplicas']);

    const rule = find(objects, 'PrometheusRule');
    rule.spec.groups[0].rules[0].for = '5 minutes';
    expect(schemaProblems(rule)[0]).toMatch(/^data\/spec\/groups\/0\/rules\/0\/for must match pattern/);

    const monitor = find(objects, 'ServiceMonitor');
    monitor.spec.endpoints[0].port = 8080;
    expect(schemaProblems(monitor)).toEqual(['data/spec/endpoints/0/port must be string']);
  });

  it('reports a misspelt field, which the schemas alone let through, and leaves maps of labels alone', () => {
    const deployment = find(base(), 'Deployment');
    deployment.spec.template.spec.terminationGracePeriodSecond = 30;
    deployment.spec.template.spec.containers[0].readinesProbe = { httpGet: { path: '/readyz', port: 'http' } };
    deployment.metadata.labels['example.com/any-label'] = 'yes';
    expect(schemaProblems(deployment)).toEqual([
      'unknown field /spec/template/spec/containers/0/readinesProbe',
      'unknown field /spec/template/spec/terminationGracePeriodSecond',
    ]);
  });

  it('knows no kind it was not given a schema for', () => {
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Pod' })).toEqual(['no schema for v1 Pod']);
    expect(schemaProblems({ apiVersion: 'apps/v1beta1', kind: 'Deployment' })).toEqual(['no schema for apps/v1beta1 Deployment']);
  });
});

describe.each(KUSTOMIZATIONS)('%s, rendered as kubectl apply -k renders it', (folder) => {
  const objects = renderKustomization(new URL(folder, ROOT_URL));

  it('validates, every object, against the Kubernetes and Prometheus Operator schemas', () => {
    expect(objects.map((object) => ({ object: `${object.kind}/${object.metadata.name}`, problems: schemaProblems(object) }))).toEqual(
      objects.map((object) => ({ object: `${object.kind}/${object.metadata.name}`, problems: [] })),
    );
  });

  it('holds one object of every kind deploy/ has a schema for', () => {
    expect(objects.map((object) => `${object.apiVersion} ${object.kind}`).sort()).toEqual(MODELS.map((model) => `${model.apiVersion} ${model.kind}`).sort());
  });
});
