// The values of Argo CD's kustomize options that name Argo CD's build environment. Argo CD substitutes
// `$ARGOCD_APP_REVISION` and its siblings in images and label values always, and in annotation values with
// commonAnnotationsEnvsubst (Env.Envsubst, build-env.ts), before `kustomize edit`. The Application is read once
// (config/discover/argocd-kustomize.ts: shapes checked with sample values) and the values are substituted and
// checked again for each revision rendered, since a revision or path could make a value kustomize cannot take.
import type { AppSpec, KustomizeOptions } from '../engine/types.js';
import { buildEnv, envsubst } from './build-env.js';
import { RenderFailure } from './render-failure.js';

const NAME_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?';
const REFERENCE = `(?:${DOMAIN}/)?${NAME_PART}(?:/${NAME_PART})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
/** `kustomize edit set image` arguments: `[name=]reference[:tag][@digest]`. */
const IMAGE_ARG = new RegExp(`^(?:${REFERENCE}=)?${REFERENCE}(?::${TAG})?(?:@${DIGEST})?$`);
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export const IMAGE_EXPECTED =
  'an image as kustomize edit set image takes it ("name=registry/name:tag", "name:tag" or "name@sha256:...")';
export const LABEL_VALUE_EXPECTED =
  'a label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit)';

export const isImageArg = (value: string): boolean => value.length <= 512 && IMAGE_ARG.test(value);
export const isLabelValue = (value: string): boolean => LABEL_VALUE.test(value);

/** The options with the build environment of `app` at `revision` substituted, each value checked again. */
export function substituteBuildEnv(
  app: AppSpec,
  revision: string | undefined,
  options: KustomizeOptions,
): KustomizeOptions {
  const env = buildEnv(app, revision);
  const substitute = (field: string, value: string, valid: (v: string) => boolean, expected: string) => {
    if (!value.includes('$')) return value;
    const done = envsubst(value, env);
    if (!done.ok)
      throw new RenderFailure({
        message: `app ${app.name}: source.kustomize.${field} names $${done.name}, which Argo CD sets and driftdeck cannot know`,
      });
    if (!valid(done.value))
      throw new RenderFailure({
        message: `app ${app.name}: source.kustomize.${field} becomes ${JSON.stringify(done.value)} in this revision; expected ${expected}`,
      });
    return done.value;
  };
  const pairs = (
    field: string,
    map: Record<string, string>,
    valid: (v: string) => boolean,
    expected: string,
  ) =>
    Object.fromEntries(
      Object.entries(map).map(([k, v]) => [k, substitute(`${field}.${k}`, v, valid, expected)]),
    );
  const out: KustomizeOptions = { ...options };
  if (options.images)
    out.images = options.images.map((image, i) =>
      substitute(`images[${i}]`, image, isImageArg, IMAGE_EXPECTED),
    );
  if (options.commonLabels)
    out.commonLabels = pairs('commonLabels', options.commonLabels, isLabelValue, LABEL_VALUE_EXPECTED);
  if (options.commonAnnotations && options.commonAnnotationsEnvsubst)
    out.commonAnnotations = pairs('commonAnnotations', options.commonAnnotations, () => true, '');
  return out;
}
