/**
 * Validates Kubernetes objects against the published schemas: the Kubernetes OpenAPI schemas
 * and the Prometheus Operator's CRD schemas, as compiled into the typed models of the
 * `kubernetes-models` family. Those schemas, like the API server's, allow fields they do not
 * define; a misspelt field (`terminationGracePeriodSecond`) would pass them and be dropped by
 * the cluster without a word. So a field the schema's validator never looks at is reported too.
 */
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

interface Model {
  validate(): void;
}

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: never): Model;
}

/** The kinds `deploy/` ships, each with the model that knows its schema. */
export const MODELS: readonly ModelClass[] = [
  ConfigMap,
  Service,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  NetworkPolicy,
  PodDisruptionBudget,
  PrometheusRule,
  ServiceMonitor,
];

/** Wraps `value` so that every own property a reader takes is recorded in `read` by its path. */
function recordReads<T>(value: T, path: string, read: Set<string>): T {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.hasOwn(target, key)) return child;
      read.add(`${path}/${key}`);
      return recordReads(child, `${path}/${key}`, read);
    },
  });
}

function listPaths(value: unknown, path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [`${path}/${key}`, ...listPaths(child, `${path}/${key}`)]);
}

/**
 * Everything wrong with one object: schema violations (`data/spec/… must be integer`), fields no
 * schema defines (`unknown field /spec/template/spec/terminationGracePeriodSecond`), or a kind
 * no model covers. An empty list means it validates.
 *
 * @example
 * schemaProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { prots: [] } });
 * // ['unknown field /spec/prots']
 */
export function schemaProblems(object: object): string[] {
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  const model = MODELS.find((candidate) => candidate.apiVersion === apiVersion && candidate.kind === kind);
  if (model === undefined) return [`no schema for ${String(apiVersion)} ${String(kind)}`];
  const instance = new model(object as never);
  try {
    instance.validate();
  } catch (error) {
    return [(error as Error).message];
  }
  // The compiled validators read every property their schema defines, and only those.
  const read = new Set<string>();
  instance.validate.call(recordReads(instance, '', read));
  const isKnown = (path: string): boolean => path === '' || read.has(path);
  // Below an unknown field everything is unknown: name only the field itself.
  return listPaths(object, '')
    .filter((path) => !isKnown(path) && isKnown(path.slice(0, path.lastIndexOf('/'))))
    .map((path) => `unknown field ${path}`);
}
