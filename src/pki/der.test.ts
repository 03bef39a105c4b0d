import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as der from './der.ts';

const hex = (b: Buffer) => b.toString('hex');

describe('der', () => {
  it('unsignedInteger encodes minimal two-complement with a sign byte when the top bit is set', () => {
    assert.equal(hex(der.unsignedInteger(0)), '020100');
    assert.equal(hex(der.unsignedInteger(2)), '020102');
    assert.equal(hex(der.unsignedInteger(127)), '02017f');
    assert.equal(hex(der.unsignedInteger(128)), '02020080');
    assert.equal(hex(der.unsignedInteger(256)), '02020100');
    assert.equal(hex(der.unsignedInteger(Buffer.from('000001', 'hex'))), '020101');
    assert.equal(hex(der.unsignedInteger(Buffer.from('ff', 'hex'))), '020200ff');
  });

  it('oid encodes the first two arcs together and large arcs in base 128', () => {
    assert.equal(hex(der.oid('2.5.4.3')), '0603550403');
    assert.equal(hex(der.oid('1.2.840.10045.4.3.2')), '06082a8648ce3d040302');
    assert.throws(() => der.oid('1'), TypeError);
  });

  it('tlv switches to the long length form from 128 bytes', () => {
    assert.equal(hex(der.octetString(Buffer.alloc(127))).slice(0, 4), '047f');
    assert.equal(hex(der.octetString(Buffer.alloc(128))).slice(0, 6), '048180');
    assert.equal(hex(der.octetString(Buffer.alloc(300))).slice(0, 8), '0482012c');
  });

  it('namedBits encodes KeyUsage bits with the count of unused trailing bits', () => {
    // digitalSignature | keyCertSign | cRLSign: bits 0, 5, 6 → 0x86, one unused bit.
    assert.equal(hex(der.namedBits([0, 5, 6])), '03020186');
    // digitalSignature | keyEncipherment: bits 0, 2 → 0xa0, five unused bits.
    assert.equal(hex(der.namedBits([0, 2])), '030205a0');
    // decipherOnly (bit 8) needs a second byte.
    assert.equal(hex(der.namedBits([0, 8])), '0303078080');
  });

  it('time uses UTCTime before 2050 and GeneralizedTime from 2050', () => {
    assert.equal(der.time(Date.UTC(2025, 0, 2, 3, 4, 5, 678)).toString('latin1').slice(2), '250102030405Z');
    assert.equal(der.time(Date.UTC(2025, 0, 2, 3, 4, 5))[0], 0x17);
    const g = der.time(Date.UTC(2050, 0, 1));
    assert.equal(g[0], 0x18);
    assert.equal(g.toString('latin1').slice(2), '20500101000000Z');
  });

  it('set sorts its encoded elements as DER requires', () => {
    assert.equal(hex(der.set(der.unsignedInteger(2), der.unsignedInteger(1))), '3106020101020102');
  });

  it('readElement and children walk what the encoder wrote', () => {
    const buf = der.sequence(der.unsignedInteger(5), der.octetString(Buffer.alloc(200)), der.boolean(true));
    const root = der.readElement(buf, 0);
    assert.equal(root.end, buf.length);
    assert.deepEqual(
      der.children(buf, root).map((e) => e.tag),
      [0x02, 0x04, 0x01],
    );
    assert.throws(() => der.readElement(buf.subarray(0, 5), 0), RangeError);
  });
});
