/**
 * The tag and digest of an image reference, as kubernetes
 * `pkg/util/parsers.ParseImageName` (docker reference grammar) finds them.
 * Only what pull-policy defaulting needs.
 */

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domain = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);
const HEX64 = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;

export interface ImageReference {
  name: string;
  /** `latest` when neither a tag nor a digest is given. */
  tag: string;
  digest: string;
}

/** The reference grammar's groups (name, tag, digest); undefined where Go's parser returns an error. */
function matchReference(image: string): RegExpExecArray | undefined {
  if (HEX64.test(image)) return undefined;
  const m = REFERENCE.exec(image);
  return m && m[1].length <= NAME_TOTAL_LENGTH_MAX ? m : undefined;
}

/** Parses `image`; `undefined` where Go's parser returns an error. */
export function parseImageReference(image: string): ImageReference | undefined {
  const m = matchReference(image);
  if (!m) return undefined;
  const [, repo, t = '', d = ''] = m;
  return { name: repo, tag: t === '' && d === '' ? 'latest' : t, digest: d };
}

/**
 * `SetDefaults_Container`'s pull policy: `Always` for `:latest` or an untagged
 * name, `IfNotPresent` otherwise (a digest, another tag, or an unparsable
 * reference, which validation rejects later).
 */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return parseImageReference(image ?? '')?.tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * `applyDefaultImageTag`: the image with `:latest` appended when it names
 * neither a tag nor a digest; undefined when it does not parse.
 */
export function withDefaultTag(image: string): string | undefined {
  const m = matchReference(image);
  if (!m) return undefined;
  return m[2] === undefined && m[3] === undefined ? `${image}:latest` : image;
}
