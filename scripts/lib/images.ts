// The platform's container images: which Dockerfile builds each component and the tags
// `npm run images` gives them on this machine (scripts/images/build.ts). Other tooling that runs
// the locally built images (container tests, the containerised platform) imports this list
// instead of repeating names and tags.
//   bank/<component>:local  production image (the Dockerfile's default `runtime` target)
//   bank/<component>:dev    the `dev` target (services only: sources owned by the app user,
//                           `node --watch`), what Tilt and `skaffold dev -p dev` build
// Component names are the chart names (charts/<component>), so image.repository = bank/<component>.

export type ImageTarget = 'runtime' | 'dev';

export interface ImageSpec {
  /** Chart name (charts/<component>) and image repository suffix. */
  component: string;
  kind: 'service' | 'frontend';
  /** Dockerfile path, relative to the repository root. */
  dockerfile: string;
  /** Build context, relative to the repository root (npm workspaces: always the root). */
  context: '.';
  /** Image repository, e.g. bank/payments (= the chart's image.repository). */
  repository: string;
  /** Targets built locally, each with its tag. */
  tags: Partial<Record<ImageTarget, string>>;
}

/** Tag of the production (runtime target) images built locally. */
export const LOCAL_TAG = 'local';
/** Tag of the dev target images built locally. */
export const DEV_TAG = 'dev';

/**
 * Local base images (scripts/images/base.sh): made with debootstrap + docker import because no
 * registry is reachable here. Each is also tagged with a hash of its recipe; these stable
 * names always point at the current one. Passed as the Dockerfiles' NODE_IMAGE / NGINX_IMAGE.
 */
export const BASE_IMAGES = {
  node: 'bank-base/node:24',
  nginx: 'bank-base/nginx:bookworm',
} as const;

const SERVICES = ['gateway', 'auth', 'payments', 'admin', 'profile'] as const;
/** Front-end chart name → workspace folder under frontends/. */
const FRONTENDS = { shell: 'shell', 'mfe-auth': 'auth', 'mfe-payments': 'payments', 'mfe-admin': 'admin' } as const;

export const IMAGES: readonly ImageSpec[] = [
  ...SERVICES.map((component): ImageSpec => ({
    component,
    kind: 'service',
    dockerfile: `services/${component}/Dockerfile`,
    context: '.',
    repository: `bank/${component}`,
    tags: { runtime: `bank/${component}:${LOCAL_TAG}`, dev: `bank/${component}:${DEV_TAG}` },
  })),
  // Front-ends have one target: a remote is only usable from a Vite build, so Tilt builds the
  // production image for them too.
  ...Object.entries(FRONTENDS).map(([component, dir]): ImageSpec => ({
    component,
    kind: 'frontend',
    dockerfile: `frontends/${dir}/Dockerfile`,
    context: '.',
    repository: `bank/${component}`,
    tags: { runtime: `bank/${component}:${LOCAL_TAG}` },
  })),
];

/** The locally built image of a component, e.g. imageRef('payments') → 'bank/payments:local'. */
export function imageRef(component: string, target: ImageTarget = 'runtime'): string {
  const tag = IMAGES.find((i) => i.component === component)?.tags[target];
  if (!tag) throw new Error(`no ${target} image for ${component}`);
  return tag;
}
