/**
 * X.509 v3 certificates (RFC 5280) signed with ECDSA P-256 / SHA-256, built
 * from der.ts. Only the fields and extensions berth's CA and serving
 * certificate use; the result must satisfy Go's crypto/x509 (kubectl) and
 * OpenSSL (Node).
 */
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import * as der from './der.ts';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KeyUsage = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

export interface Name {
  commonName: string;
  organization?: string;
}

export interface CertificateSpec {
  subject: Name;
  /** The issuer's name, or its exact DER encoding (a CA's subject, copied byte for byte). */
  issuer: Name | Buffer;
  /** The subject's public key. */
  publicKey: KeyObject;
  /** The issuer's private key (the subject's own for a self-signed CA). */
  signingKey: KeyObject;
  /** The issuer's public key, for the authority key identifier; omit for self-signed. */
  issuerPublicKey?: KeyObject;
  notBefore: number;
  notAfter: number;
  isCA: boolean;
  keyUsage: readonly number[];
  extKeyUsage?: readonly ('serverAuth' | 'clientAuth')[];
  dnsNames?: readonly string[];
  ips?: readonly string[];
}

function encodeName(name: Name): Buffer {
  const rdns: Buffer[] = [];
  if (name.organization !== undefined) {
    rdns.push(der.set(der.sequence(der.oid(OID.organization), der.utf8String(name.organization))));
  }
  rdns.push(der.set(der.sequence(der.oid(OID.commonName), der.utf8String(name.commonName))));
  return der.sequence(...rdns);
}

/** The subjectPublicKey bits of a SubjectPublicKeyInfo (for EC keys, the point). */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  // SEQUENCE { SEQUENCE algorithm, BIT STRING subjectPublicKey }; skip the unused-bits byte.
  const [, key] = der.children(spki, der.readElement(spki, 0));
  return spki.subarray(key.contentStart + 1, key.end);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.sequence(der.oid(id), der.boolean(true), der.octetString(value))
    : der.sequence(der.oid(id), der.octetString(value));
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (isIPv6(ip) && !ip.includes('.')) {
    const [head, tail = ''] = ip.split('::');
    const groups = (s: string) => (s === '' ? [] : s.split(':'));
    const h = groups(head);
    const t = ip.includes('::') ? groups(tail) : [];
    const all = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    return Buffer.from(all.map((g) => g.padStart(4, '0')).join(''), 'hex');
  }
  throw new TypeError(`unsupported IP address ${ip} (IPv4 or plain IPv6 only)`);
}

function extensions(spec: CertificateSpec): Buffer {
  const exts: Buffer[] = [];
  exts.push(extension(OID.keyUsage, true, der.namedBits(spec.keyUsage)));
  if (spec.extKeyUsage?.length) {
    exts.push(extension(OID.extKeyUsage, false, der.sequence(...spec.extKeyUsage.map((u) => der.oid(OID[u])))));
  }
  exts.push(extension(OID.basicConstraints, true, spec.isCA ? der.sequence(der.boolean(true)) : der.sequence()));
  exts.push(extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier(spec.publicKey))));
  if (spec.issuerPublicKey) {
    exts.push(
      extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, keyIdentifier(spec.issuerPublicKey)))),
    );
  }
  const names = [
    ...(spec.dnsNames ?? []).map((d) => der.implicitPrimitive(2, Buffer.from(d, 'ascii'))),
    ...(spec.ips ?? []).map((ip) => der.implicitPrimitive(7, ipBytes(ip))),
  ];
  if (names.length > 0) exts.push(extension(OID.subjectAltName, false, der.sequence(...names)));
  return der.explicit(3, der.sequence(...exts));
}

/** A positive 128-bit serial number (RFC 5280 allows up to 20 octets). */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes;
}

/** Builds and signs a certificate; returns its DER encoding. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSHA256));
  const tbs = der.sequence(
    der.explicit(0, der.unsignedInteger(2)),
    der.unsignedInteger(serialNumber()),
    algorithm,
    Buffer.isBuffer(spec.issuer) ? spec.issuer : encodeName(spec.issuer),
    der.sequence(der.time(spec.notBefore), der.time(spec.notAfter)),
    encodeName(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    extensions(spec),
  );
  // Node's ECDSA signatures are DER ECDSA-Sig-Value, which is what X.509 carries.
  const signature = sign('sha256', tbs, spec.signingKey);
  return der.sequence(tbs, algorithm, der.bitString(signature));
}

/**
 * The DER-encoded subject Name of a certificate. Chain building compares
 * issuer and subject byte for byte, so an issued certificate copies this.
 */
export function rawSubject(certDer: Buffer): Buffer {
  const cert = der.readElement(certDer, 0);
  const tbs = der.children(certDer, cert)[0];
  const fields = der.children(certDer, tbs);
  // version [0] is present in v3; then serial, signature, issuer, validity, subject.
  const first = fields[0].tag === 0xa0 ? 1 : 0;
  const subject = fields[first + 4];
  return certDer.subarray(subject.start, subject.end);
}

export function fromPem(pem: string, label: string): Buffer {
  const m = new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`).exec(pem);
  if (!m) throw new TypeError(`no PEM ${label} block`);
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

export function toPem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}
