/**
 * Content negotiation as kube-apiserver's negotiation package: exact status
 * codes, Content-Types and bodies for YAML, pretty JSON, Tables in YAML, the
 * watch 406 and the 415s, against the in-process API server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer } from './api-server-fixture.ts';
import { negotiateOutput, parseAccept } from './negotiate.ts';
import { decodeKubernetesProtobuf } from './protobuf/protobuf.ts';

const none = new URLSearchParams();
const pick = (accept: string | undefined, tables = true) => negotiateOutput(accept, none, undefined, tables);

test('parseAccept sorts as goautoneg: q first, concrete before wildcards, q=0 kept', () => {
  const order = (h: string) => parseAccept(h).map((c) => `${c.type}/${c.subType};q=${c.q}`);
  assert.deepEqual(order('*/*;q=0.8, application/yaml;q=0.9, application/json'), ['application/json;q=1', 'application/yaml;q=0.9', '*/*;q=0.8']);
  assert.deepEqual(order('text, a/b/c, application/yaml;q=0'), ['application/yaml;q=0']);
  assert.deepEqual(order('application/json;q=x'), ['application/json;q=0']);
});

test('the negotiated type follows NegotiateMediaTypeOptions', () => {
  assert.equal(pick(undefined).mediaType, 'application/json');
  assert.equal(pick('application/yaml').mediaType, 'application/yaml');
  assert.equal(pick('application/yaml;q=0.5, application/json').mediaType, 'application/json');
  assert.equal(pick('application/json;q=0.5, application/yaml').mediaType, 'application/yaml');
  assert.equal(pick('application/*').mediaType, 'application/json');
  assert.equal(pick('*/*').mediaType, 'application/json');
  // Nothing served matches: kube-apiserver falls back to JSON rather than refusing.
  assert.equal(pick('text/html').mediaType, 'application/json');
  assert.equal(pick('application/vnd.kubernetes.protobuf, application/json').mediaType, 'application/vnd.kubernetes.protobuf');
  // Tables: meta.k8s.io v1 or v1beta1 only, in JSON or YAML, only where the endpoint converts.
  assert.deepEqual(pick('application/yaml;as=Table;g=meta.k8s.io;v=v1'), {
    mediaType: 'application/yaml',
    transform: { kind: 'Table', version: 'v1' },
    table: true,
    pretty: false,
    streamable: false,
  });
  assert.equal(pick('application/json;as=Table;v=v1').table, false);
  assert.equal(pick('application/json;as=Table;g=meta.k8s.io;v=v2, application/yaml').mediaType, 'application/yaml');
  assert.equal(pick('application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1').table, false);
  assert.equal(pick('application/json;as=Table;g=meta.k8s.io;v=v1, application/yaml', false).mediaType, 'application/yaml');
  // PartialObjectMetadata[List]: meta.k8s.io v1 or v1beta1, in any served type (protobuf too), only where the endpoint converts.
  const metadataClient = `application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json`;
  assert.deepEqual(pick(metadataClient).transform, { kind: 'PartialObjectMetadataList', version: 'v1' });
  assert.equal(pick(metadataClient).mediaType, 'application/vnd.kubernetes.protobuf');
  assert.equal(pick(metadataClient).table, false);
  assert.deepEqual(pick('application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1').transform, { kind: 'PartialObjectMetadata', version: 'v1beta1' });
  assert.equal(pick('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v2, application/yaml').mediaType, 'application/yaml');
  assert.equal(pick('application/json;as=Pod;g=meta.k8s.io;v=v1, application/yaml').mediaType, 'application/yaml');
  assert.equal(pick('application/json;as=PartialObjectMetadata;g=apps;v=v1, application/yaml').mediaType, 'application/yaml');
  // Errors (DefaultEndpointRestrictions) convert nothing: the plain clause answers.
  assert.deepEqual(pick(metadataClient, false), { mediaType: 'application/json', table: false, pretty: false, streamable: true });
  assert.equal(pick('application/yaml;stream=watch, application/json').mediaType, 'application/json');
  assert.equal(pick('application/json;pretty=1').pretty, true);
});

test('isPrettyPrint: ?pretty wins, else curl, Wget and browsers get indented JSON', () => {
  const q = (s: string) => new URLSearchParams(s);
  assert.equal(negotiateOutput(undefined, q('pretty=true'), undefined, true).pretty, true);
  assert.equal(negotiateOutput(undefined, q('pretty=0'), 'curl/8.5.0', true).pretty, false);
  assert.equal(negotiateOutput(undefined, q('pretty=yes'), undefined, true).pretty, false);
  assert.equal(negotiateOutput(undefined, none, 'curl/8.5.0', true).pretty, true);
  assert.equal(negotiateOutput(undefined, none, 'Wget/1.21', true).pretty, true);
  assert.equal(negotiateOutput(undefined, none, 'Mozilla/5.0 (X11)', true).pretty, true);
  assert.equal(negotiateOutput(undefined, none, 'kubectl/v1.33.0', true).pretty, false);
  assert.equal(negotiateOutput('application/yaml', q('pretty=true'), undefined, true).pretty, false);
});

const ns = { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'yaml-test' } };

test('GET with Accept: application/yaml answers the object as YAML', async (t) => {
  const { raw } = await startApiServer(t);
  await raw('POST', '/api/v1/namespaces', { 'Content-Type': 'application/json' }, JSON.stringify(ns));
  const json = await raw('GET', '/api/v1/namespaces/yaml-test');
  const yaml = await raw('GET', '/api/v1/namespaces/yaml-test', { Accept: 'application/yaml' });
  assert.equal(yaml.status, 200);
  assert.equal(yaml.headers['content-type'], 'application/yaml');
  const obj = JSON.parse(json.text);
  const lines = yaml.text.split('\n');
  assert.deepEqual(lines.slice(0, 2), ['apiVersion: v1', 'kind: Namespace']);
  assert.ok(yaml.text.includes(`  name: yaml-test\n`));
  assert.ok(yaml.text.includes(`  resourceVersion: "${obj.metadata.resourceVersion}"\n`));
  assert.ok(yaml.text.includes('  finalizers:\n  - kubernetes\n'), yaml.text);
  assert.ok(yaml.text.endsWith('\n'));
  assert.equal(yaml.headers['content-length'], String(Buffer.byteLength(yaml.text)));
});

test('lists and Tables come as YAML too; a Table only with the full as=Table;g;v', async (t) => {
  const { raw } = await startApiServer(t);
  const list = await raw('GET', '/api/v1/namespaces', { Accept: 'application/yaml' });
  assert.equal(list.status, 200);
  assert.equal(list.headers['content-type'], 'application/yaml');
  assert.match(list.text, /^apiVersion: v1\nitems:\n- apiVersion: v1\n {2}kind: Namespace\n/);
  const table = await raw('GET', '/api/v1/namespaces', { Accept: 'application/yaml;as=Table;g=meta.k8s.io;v=v1' });
  assert.equal(table.headers['content-type'], 'application/yaml');
  assert.match(table.text, /^apiVersion: meta.k8s.io\/v1\ncolumnDefinitions:\n/);
  const notTable = await raw('GET', '/api/v1/namespaces', { Accept: 'application/json;as=Table' });
  assert.equal(JSON.parse(notTable.text).kind, 'NamespaceList');
});

test('?pretty=true and curl indent JSON with two spaces; kubectl gets compact JSON', async (t) => {
  const { raw } = await startApiServer(t);
  await raw('POST', '/api/v1/namespaces', { 'Content-Type': 'application/json' }, JSON.stringify(ns));
  const compact = await raw('GET', '/api/v1/namespaces/yaml-test', { 'User-Agent': 'kubectl/v1.33.0' });
  const obj = JSON.parse(compact.text);
  assert.equal(compact.text, JSON.stringify(obj));
  const pretty = await raw('GET', '/api/v1/namespaces/yaml-test?pretty=true');
  assert.equal(pretty.headers['content-type'], 'application/json');
  assert.equal(pretty.text, JSON.stringify(obj, null, 2));
  const curl = await raw('GET', '/api/v1/namespaces/yaml-test', { 'User-Agent': 'curl/8.5.0' });
  assert.equal(curl.text, JSON.stringify(obj, null, 2));
  const prettyOff = await raw('GET', '/api/v1/namespaces/yaml-test?pretty=false', { 'User-Agent': 'curl/8.5.0' });
  assert.equal(prettyOff.text, compact.text);
});

test('Status errors are negotiated too (ErrorNegotiated): YAML, pretty, and protobuf', async (t) => {
  const { raw } = await startApiServer(t);
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespaces "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'namespaces' }, code: 404 };
  const yaml = await raw('GET', '/api/v1/namespaces/nope', { Accept: 'application/yaml' });
  assert.equal(yaml.status, 404);
  assert.equal(yaml.headers['content-type'], 'application/yaml');
  assert.equal(
    yaml.text,
    'apiVersion: v1\ncode: 404\ndetails:\n  kind: namespaces\n  name: nope\nkind: Status\nmessage: namespaces "nope" not found\nmetadata: {}\nreason: NotFound\nstatus: Failure\n',
  );
  const pretty = await raw('GET', '/api/v1/namespaces/nope?pretty=1');
  assert.equal(pretty.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(pretty.text), status);
  assert.equal(pretty.text, JSON.stringify(JSON.parse(pretty.text), null, 2));
  // A Table clause never converts a Status.
  const tableAsked = await raw('GET', '/api/v1/namespaces/nope', { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1,application/json' });
  assert.equal(tableAsked.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(tableAsked.text), status);
  const proto = await raw('GET', '/api/v1/namespaces/nope', { Accept: 'application/vnd.kubernetes.protobuf' });
  assert.equal(proto.status, 404);
  assert.equal(proto.headers['content-type'], 'application/vnd.kubernetes.protobuf');
  assert.deepEqual(decodeKubernetesProtobuf(proto.bytes), status);
  const html = await raw('GET', '/api/v1/namespaces/default', { Accept: 'text/html' });
  assert.equal(html.status, 200);
  assert.equal(html.headers['content-type'], 'application/json');
});

test('a watch asked for as YAML is 406 NotAcceptable, the Status itself in YAML', async (t) => {
  const { raw } = await startApiServer(t);
  const ans = await raw('GET', '/api/v1/namespaces?watch=true', { Accept: 'application/yaml' });
  assert.equal(ans.status, 406);
  assert.equal(ans.headers['content-type'], 'application/yaml');
  assert.equal(
    ans.text,
    "apiVersion: v1\ncode: 406\nkind: Status\nmessage: 'only the following media types are accepted: application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch'\nmetadata: {}\nreason: NotAcceptable\nstatus: Failure\n",
  );
  const json = await raw('GET', '/api/v1/namespaces?watch=true&timeoutSeconds=1', { Accept: 'application/json' });
  // JSON streams: the 406 is only for a type without a stream serializer.
  assert.equal(json.status, 200);
});

test('415 for a body type nobody decodes, with kube-apiserver\'s accepted lists', async (t) => {
  const { raw } = await startApiServer(t);
  const create = await raw('POST', '/api/v1/namespaces', { 'Content-Type': 'text/plain' }, JSON.stringify(ns));
  assert.equal(create.status, 415);
  assert.deepEqual(JSON.parse(create.text), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    reason: 'UnsupportedMediaType',
    code: 415,
  });
  const yamlCreate = await raw('POST', '/api/v1/namespaces', { 'Content-Type': 'application/yaml; charset=utf-8' }, 'kind: Namespace\napiVersion: v1\nmetadata:\n  name: y\n');
  assert.equal(yamlCreate.status, 201);
  const patch = await raw('PATCH', '/api/v1/namespaces/y', { 'Content-Type': 'application/json' }, '{}');
  assert.equal(patch.status, 415);
  assert.equal(
    JSON.parse(patch.text).message,
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
  );
});

test('a body whose kind or apiVersion is not a string is a 400 with the decoder\'s words, for create, update and review', async (t) => {
  const { raw } = await startApiServer(t);
  const bodies = [
    '{"apiVersion":"v1","kind":{"toString":"x"},"metadata":{"name":"k"}}',
    '{"apiVersion":["v1"],"kind":"Namespace","metadata":{"name":"k"}}',
    '{"apiVersion":"v1","kind":7,"metadata":{"name":"k"}}',
  ];
  const words = ['object into Go struct field .kind', 'array into Go struct field .apiVersion', 'number into Go struct field .kind'];
  for (const [i, body] of bodies.entries()) {
    for (const [method, path] of [['POST', '/api/v1/namespaces'], ['PUT', '/api/v1/namespaces/default'], ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']]) {
      const res = await raw(method, path, { 'Content-Type': 'application/json' }, body);
      assert.equal(res.status, 400, `${method} ${path} ${body}: ${res.text}`);
      const status = JSON.parse(res.text);
      assert.equal(status.reason, 'BadRequest');
      assert.match(status.message, new RegExp(`couldn't get version/kind; json parse error: json: cannot unmarshal ${words[i].replace(/[.[\]]/g, '\\$&')} of type string`));
    }
  }
  const one = await raw('POST', '/api/v1/namespaces', { 'Content-Type': 'application/json' }, bodies[0]);
  assert.equal(
    JSON.parse(one.text).message,
    'the object provided is unrecognized (must be of type Namespace): couldn\'t get version/kind; json parse error: json: cannot unmarshal object into Go struct field .kind of type string ({"apiVersion":"v1","kind":{"to ...)',
  );
});

test('null list elements are decoded as Go does: a Role with rules [null] and a Service with ports [null] are 422s', async (t) => {
  const { raw } = await startApiServer(t);
  const role = await raw('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { 'Content-Type': 'application/json' }, '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r"},"rules":[null]}');
  assert.equal(role.status, 422, role.text);
  assert.match(JSON.parse(role.text).message, /rules\[0\]\.verbs: Required value/);
  const svc = await raw('POST', '/api/v1/namespaces/default/services', { 'Content-Type': 'application/json' }, '{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[null]}}');
  assert.equal(svc.status, 422, svc.text);
  assert.match(JSON.parse(svc.text).message, /spec\.ports\[0\]\.port: Required value|spec\.ports\[0\]\.port: Invalid value/);
});
