/**
 * Image references as the kubelet handles them (`parsers.ParseImageName` on
 * top of the distribution reference grammar): the default `:latest` tag and
 * its error texts, and the normalized repository name credentials are
 * looked up by (`docker.io/library/busybox`, `127.0.0.1:5000/team/app`).
 */
import { withDefaultTag } from '../../api/defaults/defaults.ts';

const hex64 = /^[a-f0-9]{64}$/;

/** `splitDockerDomain`: the registry host and the path, Docker Hub names completed. */
export function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  let domain: string;
  let remainder: string;
  if (slash < 0 || (!/[.:]/.test(name.slice(0, slash)) && name.slice(0, slash) !== 'localhost' && name.slice(0, slash).toLowerCase() === name.slice(0, slash))) {
    domain = 'docker.io';
    remainder = name;
  } else {
    domain = name.slice(0, slash);
    remainder = name.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  return [domain, remainder];
}

/** `ParseNormalizedNamed`'s error for `image`, or undefined when it parses. */
function normalizeError(image: string): string | undefined {
  if (hex64.test(image)) return `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`;
  const [domain, remainder] = splitDockerDomain(image);
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep < 0 ? remainder : remainder.slice(0, tagSep);
  if (remoteName.toLowerCase() !== remoteName) return `invalid reference format: repository name (${remoteName}) must be lowercase`;
  if (!withDefaultTag(`${domain}/${remainder}`)) return image === '' ? 'repository name must have at least one component' : 'invalid reference format';
  return undefined;
}

export type DefaultTagResult = { ok: true; image: string } | { ok: false; message: string };

/**
 * `applyDefaultImageTag`: `image` with `:latest` appended when it names
 * neither tag nor digest; the message is the kubelet's InspectFailed text.
 */
export function applyDefaultTag(image: string): DefaultTagResult {
  const err = normalizeError(image);
  const tagged = err ? undefined : withDefaultTag(image);
  if (!tagged) {
    const why = err ?? 'invalid reference format';
    return { ok: false, message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${why}` };
  }
  return { ok: true, image: tagged };
}

/** The normalized repository (`ParseImageName`'s first result): no tag, no digest. */
export function repositoryOf(image: string): string {
  const [domain, remainder] = splitDockerDomain(image);
  let path = remainder;
  const at = path.indexOf('@');
  if (at >= 0) path = path.slice(0, at);
  const colon = path.lastIndexOf(':');
  if (colon >= 0 && !path.slice(colon).includes('/')) path = path.slice(0, colon);
  return `${domain}/${path}`;
}
