/**
 * Reads the deployment files (`Dockerfile`, `deploy/`) for the tests in this folder, with just
 * enough typing for what they check.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The checkout's root folder. */
export const ROOT_URL = new URL('../../', import.meta.url);
export const KUBERNETES_URL = new URL('deploy/kubernetes/', ROOT_URL);

/** A file of the checkout, as text. */
export function readRepoFile(path: string): string {
  return readFileSync(new URL(path, ROOT_URL), 'utf8');
}

export type Labels = Record<string, string>;

export interface Metadata {
  name: string;
  labels?: Labels;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  spec?: unknown;
  data?: Record<string, string>;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface HttpProbe {
  httpGet?: { path: string; port: number | string };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface Container {
  name: string;
  image: string;
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  securityContext?: SecurityContext;
}

export interface Deployment extends Manifest {
  spec: {
    replicas?: number;
    selector: { matchLabels: Labels };
    template: {
      metadata: { labels: Labels };
      spec: {
        terminationGracePeriodSeconds?: number;
        securityContext?: SecurityContext;
        containers: Container[];
        topologySpreadConstraints?: { labelSelector: { matchLabels: Labels } }[];
      };
    };
  };
}

export interface Service extends Manifest {
  spec: { selector: Labels; ports: { name?: string; port: number; targetPort: number | string }[] };
}

export interface HorizontalPodAutoscaler extends Manifest {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics: {
      type: string;
      resource?: { name: string; target: { type: string; averageUtilization?: number } };
    }[];
  };
}

export interface PodDisruptionBudget extends Manifest {
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector: { matchLabels: Labels } };
}

export interface ServiceMonitor extends Manifest {
  spec: { selector: { matchLabels: Labels }; endpoints: { port?: string; targetPort?: unknown; path?: string }[] };
}

export interface Kustomization {
  apiVersion: string;
  kind: string;
  resources: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

/** Every YAML file in `deploy/kubernetes/`, by file name. */
export function listKubernetesFiles(): string[] {
  return readdirSync(KUBERNETES_URL)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
}

/** Parse one file that must hold exactly one YAML document; throws on any YAML error. */
export function readYamlDocument(name: string): unknown {
  const text = readFileSync(new URL(name, KUBERNETES_URL), 'utf8');
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new Error(`${name}: no YAML document`);
  if (documents.length !== 1) throw new Error(`${name}: ${documents.length} YAML documents, expected one`);
  const [document] = documents;
  const problems = [...document!.errors, ...document!.warnings];
  if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => p.message).join('; ')}`);
  return document!.toJS();
}

/** The manifests the tests check, each from its own file. */
export function loadManifests() {
  return {
    deployment: readYamlDocument('deployment.yaml') as Deployment,
    service: readYamlDocument('service.yaml') as Service,
    hpa: readYamlDocument('hpa.yaml') as HorizontalPodAutoscaler,
    pdb: readYamlDocument('pdb.yaml') as PodDisruptionBudget,
    serviceMonitor: readYamlDocument('servicemonitor.yaml') as ServiceMonitor,
    configMap: readYamlDocument('configmap.yaml') as Manifest,
    kustomization: readYamlDocument('kustomization.yaml') as Kustomization,
  };
}

/** The Deployment's one container. */
export function gatewayContainer(deployment: Deployment): Container {
  const containers = deployment.spec.template.spec.containers;
  if (containers.length !== 1) throw new Error(`expected one container, found ${containers.length}`);
  return containers[0]!;
}
