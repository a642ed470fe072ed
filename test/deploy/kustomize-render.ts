/**
 * Renders a kustomization as `kubectl kustomize` does, for the features `deploy/` uses and no
 * others: `resources` (files and folders holding a kustomization of their own), `patches` as
 * JSON 6902 operations on a target picked by kind and name (applied by `fast-json-patch`, so the
 * patch semantics are the RFC's, as in kustomize), and `images`. Anything else in a
 * kustomization fails the render by name, so a new feature cannot be skipped silently.
 *
 * npm has no kustomize; this is the smallest faithful subset. Checked against kubectl's
 * kustomize when the overlays were written (docs/operations.md, "Deploying").
 */
import { existsSync, readFileSync } from 'node:fs';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { parse, parseAllDocuments } from 'yaml';
import type { Container, Manifest } from './deploy-files.js';

const KUSTOMIZATION_FILE = 'kustomization.yaml';
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'images']);

interface Patch {
  target?: { kind?: string; name?: string };
  patch?: string;
  path?: string;
}

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
}

interface Kustomization {
  resources?: string[];
  patches?: Patch[];
  images?: ImageOverride[];
}

/** Every document of a YAML file; throws on a YAML error. */
function readDocuments(url: URL): Manifest[] {
  return parseAllDocuments(readFileSync(url, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${url.pathname}: ${document.errors[0]!.message}`);
    return document.toJS() as Manifest;
  });
}

function applyPatches(objects: Manifest[], patches: readonly Patch[], folder: URL): void {
  for (const [index, patch] of patches.entries()) {
    const { kind, name } = patch.target ?? {};
    if (patch.patch === undefined || patch.path !== undefined || kind === undefined || name === undefined) {
      throw new Error(`${folder.pathname}: patch ${index} is not an inline JSON 6902 patch on a kind and name`);
    }
    const operations = parse(patch.patch) as Operation[];
    if (!Array.isArray(operations)) throw new Error(`${folder.pathname}: patch ${index} is not a list of JSON 6902 operations`);
    const targets = objects.filter((object) => object.kind === kind && object.metadata.name === name);
    if (targets.length === 0) throw new Error(`${folder.pathname}: patch ${index} targets ${kind}/${name}, which is not there`);
    for (const target of targets) jsonPatch.applyPatch(target, operations, true, true);
  }
}

function podContainers(object: Manifest): Container[] {
  const spec = object.spec as { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } | undefined;
  return [...(spec?.template?.spec?.containers ?? []), ...(spec?.template?.spec?.initContainers ?? [])];
}

function applyImages(objects: Manifest[], images: readonly ImageOverride[]): void {
  for (const container of objects.flatMap(podContainers)) {
    const [imageName, tag] = container.image.split(':');
    const override = images.find((image) => image.name === imageName);
    if (override === undefined) continue;
    const newTag = override.newTag ?? tag;
    container.image = `${override.newName ?? imageName}${newTag === undefined ? '' : `:${newTag}`}`;
  }
}

/**
 * The objects the kustomization in `folder` (a `file:` URL ending in `/`) produces.
 *
 * @example
 * renderKustomization(new URL('deploy/overlays/boost/', ROOT_URL)).map((object) => object.kind);
 */
export function renderKustomization(folder: URL): Manifest[] {
  const kustomizationUrl = new URL(KUSTOMIZATION_FILE, folder);
  const kustomization = parse(readFileSync(kustomizationUrl, 'utf8')) as Kustomization & Record<string, unknown>;
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) throw new Error(`${kustomizationUrl.pathname}: this renderer does not know ${unsupported.join(', ')}`);

  const objects = (kustomization.resources ?? []).flatMap((resource) => {
    const folderUrl = new URL(`${resource.replace(/\/?$/, '/')}`, folder);
    if (existsSync(new URL(KUSTOMIZATION_FILE, folderUrl))) return renderKustomization(folderUrl);
    return readDocuments(new URL(resource, folder));
  });
  applyPatches(objects, kustomization.patches ?? [], folder);
  applyImages(objects, kustomization.images ?? []);
  return objects;
}
