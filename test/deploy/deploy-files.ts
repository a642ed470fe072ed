/**
 * Reads the deployment files (`Dockerfile`, `deploy/`) for the tests in this folder and the
 * Prometheus suite (`test/tools/`), with just enough typing for what they check.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The checkout's root folder. */
export const ROOT_URL = new URL('../../', import.meta.url);
export const KUBERNETES_URL = new URL('deploy/kubernetes/', ROOT_URL);
export const PROMETHEUS_URL = new URL('deploy/prometheus/', ROOT_URL);
/** The plain Prometheus rules file; prometheusrule.yaml holds the same groups. */
export const RULES_FILE = 'chat-redact.rules.yaml';
/** The rules' promtool unit tests. */
export const RULES_TEST_FILE = 'chat-redact.rules.test.yaml';

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

/** A port of a NetworkPolicy rule: a number or a container port's name. */
export interface NetworkPolicyPort {
  port?: number | string;
  protocol?: string;
}

/** Who a NetworkPolicy rule allows: an address range, or pods picked by namespace and labels. */
export interface NetworkPolicyPeer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: { matchLabels?: Labels };
  podSelector?: { matchLabels?: Labels };
}

/** A networking.k8s.io/v1 NetworkPolicy. */
export interface NetworkPolicy extends Manifest {
  spec: {
    podSelector: { matchLabels: Labels };
    policyTypes: string[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
    egress?: { to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
  };
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
export function readYamlFile(url: URL): unknown {
  const name = url.pathname.slice(ROOT_URL.pathname.length);
  const documents = parseAllDocuments(readFileSync(url, 'utf8'));
  if (!Array.isArray(documents)) throw new Error(`${name}: no YAML document`);
  if (documents.length !== 1) throw new Error(`${name}: ${documents.length} YAML documents, expected one`);
  const [document] = documents;
  const problems = [...document!.errors, ...document!.warnings];
  if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => p.message).join('; ')}`);
  return document!.toJS();
}

/** {@link readYamlFile} for a file of `deploy/kubernetes/`. */
export function readYamlDocument(name: string): unknown {
  return readYamlFile(new URL(name, KUBERNETES_URL));
}

/** The manifests the tests check, each from its own file. */
export function loadManifests() {
  return {
    deployment: readYamlDocument('deployment.yaml') as Deployment,
    service: readYamlDocument('service.yaml') as Service,
    hpa: readYamlDocument('hpa.yaml') as HorizontalPodAutoscaler,
    pdb: readYamlDocument('pdb.yaml') as PodDisruptionBudget,
    serviceMonitor: readYamlDocument('servicemonitor.yaml') as ServiceMonitor,
    networkPolicy: readYamlDocument('networkpolicy.yaml') as NetworkPolicy,
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

/** One alerting rule, as Prometheus and the Operator read it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Labels;
  annotations?: Labels;
}

/** A group of rules, evaluated together. */
export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** The groups of the plain rules file. */
export function readRuleGroups(): RuleGroup[] {
  return (readYamlFile(new URL(RULES_FILE, PROMETHEUS_URL)) as { groups: RuleGroup[] }).groups;
}

/** Every alert of the plain rules file. */
export function readAlertRules(): AlertRule[] {
  return readRuleGroups().flatMap((group) => group.rules);
}

/** One query of a Grafana panel. */
export interface DashboardTarget {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

/** A Grafana panel; a row holds panels of its own. */
export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
  panels?: Panel[];
}

/** The parts of a Grafana dashboard the tests read. */
export interface Dashboard {
  schemaVersion: number;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown; definition?: string }[] };
}

/** The Grafana dashboard. */
export function readDashboard(): Dashboard {
  return JSON.parse(readRepoFile('deploy/grafana/dashboard.json')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function flattenPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...flattenPanels(panel.panels ?? [])]);
}

/** Every query of the dashboard, with the title of its panel. */
export function readDashboardQueries(): { title: string; expr: string }[] {
  return flattenPanels(readDashboard().panels).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ title: panel.title, expr: target.expr ?? '' })),
  );
}
