"""Drives a berth node with the official Python client as Debian ships it
(python3-kubernetes), the way its users do. Run by python-client.test.ts.

Protocol with the test: one JSON line per check on stdout,
{"check": name, "ok": bool, "detail": str}; to have the store compacted (etcd
compaction, which a 410 needs) the script prints {"compact": true} and waits
for a line on stdin. KUBECONFIG names the node; NAMESPACE the namespace to use.
"""
import json
import re
import os
import socket
import sys
import threading
import time
import traceback
from datetime import datetime, timezone

from kubernetes import client, config, dynamic, watch
from kubernetes.client.rest import ApiException
from kubernetes.stream import portforward, stream
from kubernetes.stream.ws_client import WSClient, get_websocket_url

NS = os.environ.get("NAMESPACE", "pyconf")
config.load_kube_config()
api_client = client.ApiClient()
core = client.CoreV1Api(api_client)
failed = []


def report(name, ok, detail=""):
    print(json.dumps({"check": name, "ok": ok, "detail": detail}), flush=True)
    if not ok:
        failed.append(name)


def check(name):
    def wrap(fn):
        try:
            fn()
            report(name, True)
        except Exception:
            report(name, False, traceback.format_exc())
        return fn
    return wrap


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def wait_for(pred, what, timeout=40):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def compact():
    """Asks the test to compact the store's history up to now."""
    print(json.dumps({"compact": True}), flush=True)
    sys.stdin.readline()


def cm(name, data=None, labels=None):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data or {})


def pod(name, containers, restart="Always"):
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name),
        spec=client.V1PodSpec(restart_policy=restart, termination_grace_period_seconds=1, containers=containers),
    )


def container(name, script, ports=None):
    return client.V1Container(name=name, image="busybox:1.35", command=["sh", "-c", script], ports=ports)


@check("create: a namespace, a configmap and pods")
def _():
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))
    created = core.create_namespaced_config_map(NS, cm("first", {"a": "1"}))
    expect(created.metadata.uid and created.metadata.resource_version, "created object has uid and resourceVersion")
    core.create_namespaced_pod(NS, pod("app", [
        container("logger", "i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.2; done"),
        container("web", "mkdir -p /www && echo hello-from-berth > /www/index.html && exec httpd -f -p 8080 -h /www",
                  [client.V1ContainerPort(container_port=8080)]),
    ]))
    core.create_namespaced_pod(NS, pod("crasher", [container("c", "echo run-$(date +%s%N); sleep 0.5; exit 3")]))
    core.create_namespaced_pod(NS, pod("finite", [container("c", "sleep 4; echo a; sleep 1; echo b")], restart="Never"))
    got = core.read_namespaced_config_map("first", NS)
    expect(got.data == {"a": "1"}, "read back the configmap")


@check("watch: resumes from a resourceVersion without replaying what was seen")
def _():
    rv = core.list_namespaced_config_map(NS).metadata.resource_version
    core.create_namespaced_config_map(NS, cm("watched", {"v": "1"}))
    w = watch.Watch()
    seen = []
    for ev in w.stream(core.list_namespaced_config_map, NS, resource_version=rv, timeout_seconds=5):
        seen.append((ev["type"], ev["object"].metadata.name))
        if ev["object"].metadata.name == "watched":
            w.stop()
    expect(seen == [("ADDED", "watched")], "first watch saw %r" % seen)
    resume = w.resource_version
    core.patch_namespaced_config_map("watched", NS, {"data": {"v": "2"}})
    w2 = watch.Watch()
    seen2 = []
    for ev in w2.stream(core.list_namespaced_config_map, NS, resource_version=resume, timeout_seconds=5):
        seen2.append((ev["type"], ev["object"].metadata.name, ev["object"].data.get("v")))
        w2.stop()
    expect(seen2 == [("MODIFIED", "watched", "2")], "resumed watch saw %r" % seen2)


def app_running():
    p = core.read_namespaced_pod("app", NS)
    return p.status.phase == "Running" and all(c.ready for c in (p.status.container_statuses or [])) and len(p.status.container_statuses or []) == 2


@check("logs: tail, timestamps and follow")
def _():
    wait_for(app_running, "pod app running")
    wait_for(lambda: "line-4" in core.read_namespaced_pod_log("app", NS, container="logger"), "five log lines")
    tail = core.read_namespaced_pod_log("app", NS, container="logger", tail_lines=2)
    lines = tail.splitlines()
    expect(len(lines) == 2 and all(l.startswith("line-") for l in lines), "tail_lines=2 gave %r" % tail)
    stamped = core.read_namespaced_pod_log("app", NS, container="logger", tail_lines=1, timestamps=True)
    ts, _, text = stamped.strip().partition(" ")
    expect(ts[:4].isdigit() and ts.endswith("Z") and "T" in ts and text.startswith("line-"), "timestamps gave %r" % stamped)
    resp = core.read_namespaced_pod_log("app", NS, container="logger", follow=True, tail_lines=0, _preload_content=False)
    got = []
    start = time.time()
    for chunk in resp.stream(64):
        got.append(chunk.decode())
        if "".join(got).count("\n") >= 3 or time.time() - start > 10:
            break
    resp.close()
    followed = "".join(got).splitlines()
    expect(len(followed) >= 3 and all(l.startswith("line-") for l in followed[:3]), "follow gave %r" % followed)
    numbers = [int(l.split("-")[1]) for l in followed[:3]]
    expect(numbers == sorted(numbers) and numbers[0] > int(lines[-1].split("-")[1]), "follow streams new lines only: %r after %r" % (numbers, lines))


@check("logs: previous is the last terminated container's output")
def _():
    def restarted():
        p = core.read_namespaced_pod("crasher", NS)
        cs = (p.status.container_statuses or [None])[0]
        return cs and cs.restart_count >= 1 and cs.last_state and cs.last_state.terminated
    wait_for(restarted, "crasher restarted", 45)
    prev = core.read_namespaced_pod_log("crasher", NS, previous=True)
    expect(prev.startswith("run-"), "previous gave %r" % prev)
    try:
        core.read_namespaced_pod_log("app", NS, container="logger", previous=True)
        raise AssertionError("previous of a never restarted container must fail")
    except ApiException as e:
        expect(e.status == 400 and "previous terminated container" in e.body, "previous without one: %s %s" % (e.status, e.body))


@check("logs: follow ends when the container exits; port-forward and exec report the runtime's errors")
def _():
    resp = core.read_namespaced_pod_log("finite", NS, follow=True, _preload_content=False, _request_timeout=20)
    data = resp.read()
    expect(data == b"a\nb\n", "followed %r" % data)
    pf = portforward(core.connect_get_namespaced_pod_portforward, "app", NS, ports="9999")
    sock = pf.socket(9999)
    sock.settimeout(10)
    try:
        sock.sendall(b"x")
        sock.recv(1)
    except OSError:
        pass
    err = wait_for(lambda: pf.error(9999), "the port's error", 10)
    expect("error forwarding port 9999 to pod" in err and "connection refused" in err, "port error %r" % err)
    pf.close()
    ws = stream(core.connect_get_namespaced_pod_exec, "app", NS, container="logger", command=["no-such-binary"],
                stdout=True, stderr=True, stdin=False, tty=False, _preload_content=False)
    ws.run_forever(timeout=10)
    status = json.loads(ws.read_channel(3))
    expect(status["status"] == "Failure" and status["reason"] == "InternalError" and "executable file not found" in status["message"],
           "missing binary %r" % status)


@check("exec v4: stdout, stderr, exit codes and stdin")
def _():
    out = stream(core.connect_get_namespaced_pod_exec, "app", NS, container="logger",
                 command=["sh", "-c", "echo out; echo err >&2"], stdout=True, stderr=True, stdin=False, tty=False)
    expect("out" in out and "err" in out, "exec output %r" % out)
    ws = stream(core.connect_get_namespaced_pod_exec, "app", NS, container="logger",
                command=["sh", "-c", "exit 7"], stdout=True, stderr=True, stdin=False, tty=False, _preload_content=False)
    ws.run_forever(timeout=10)
    expect(ws.returncode == 7, "exit code %r" % ws.returncode)
    ws = stream(core.connect_get_namespaced_pod_exec, "app", NS, container="logger",
                command=["sh", "-c", "true"], stdout=True, stderr=True, stdin=False, tty=False, _preload_content=False)
    ws.run_forever(timeout=10)
    expect(ws.returncode == 0, "exit code of true %r" % ws.returncode)
    ws = stream(core.connect_get_namespaced_pod_exec, "app", NS, container="logger",
                command=["head", "-c", "6"], stdout=True, stderr=True, stdin=True, tty=False, _preload_content=False)
    ws.write_stdin("hello\n")
    ws.run_forever(timeout=10)
    expect(ws.read_stdout() == "hello\n" and ws.returncode == 0, "stdin echoed %r" % ws.read_all())


@check("exec v5: stdin closed with the close signal")
def _():
    cfg = api_client.configuration
    url = get_websocket_url(cfg.host + "/api/v1/namespaces/%s/pods/app/exec" % NS, [
        ("container", "logger"), ("command", ["sh", "-c", "cat; echo done; exit 4"]),
        ("stdin", "true"), ("stdout", "true"), ("stderr", "true")])
    headers = {"authorization": cfg.api_key["authorization"], "sec-websocket-protocol": "v5.channel.k8s.io"}
    ws = WSClient(cfg, url, headers, True)
    negotiated = (ws.sock.getheaders() or {}).get("sec-websocket-protocol")
    expect(negotiated == "v5.channel.k8s.io", "negotiated %r" % negotiated)
    ws.write_stdin("abc\n")
    ws.sock.send(bytes([255, 0]), opcode=2)  # CLOSE of stdin
    ws.run_forever(timeout=10)
    code, out = ws.returncode, ws.read_stdout()
    expect(out == "abc\ndone\n" and code == 4, "output %r, exit code %r" % (out, code))


@check("port-forward: an HTTP request reaches the pod")
def _():
    pf = portforward(core.connect_get_namespaced_pod_portforward, "app", NS, ports="8080")
    sock = pf.socket(8080)
    sock.setblocking(True)
    sock.settimeout(10)
    sock.sendall(b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    sock.close()
    expect(data.startswith(b"HTTP/1.") and b"hello-from-berth" in data, "response %r" % data)
    expect(pf.error(8080) is None, "port error %r" % pf.error(8080))
    pf.close()


@check("patch: json, merge, strategic and apply with force")
def _():
    core.create_namespaced_pod(NS, pod("patched", [container("c", "sleep 3600")]))
    # A list body is a JSON patch; a dict a strategic merge patch (the typed client).
    p = core.patch_namespaced_pod("patched", NS, [{"op": "add", "path": "/metadata/labels", "value": {"json": "yes"}}])
    expect(p.metadata.labels == {"json": "yes"}, "json patch %r" % p.metadata.labels)
    p = core.patch_namespaced_pod("patched", NS, {"spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}})
    expect([c.image for c in p.spec.containers] == ["busybox:1.36"] and p.spec.containers[0].command == ["sh", "-c", "sleep 3600"],
           "strategic merge keeps the command: %r" % p.spec.containers)
    dyn = dynamic.DynamicClient(api_client)
    cms = dyn.resources.get(api_version="v1", kind="ConfigMap")
    dyn.create(cms, body={"metadata": {"name": "patchme"}, "data": {"a": "1", "b": "2"}}, namespace=NS)
    r = dyn.patch(cms, name="patchme", namespace=NS, body={"data": {"a": None, "c": "3"}}, content_type="application/merge-patch+json")
    expect(dict(r.data) == {"b": "2", "c": "3"}, "merge patch %r" % r.data)
    applied = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied", "namespace": NS}, "data": {"k": "one"}}
    # This client version serializes only JSON content types itself: an apply
    # body goes as text (JSON is YAML).
    r = dyn.server_side_apply(cms, body=json.dumps(applied), name="applied", namespace=NS, field_manager="first")
    expect(r.data.k == "one", "first apply")
    applied["data"]["k"] = "two"
    try:
        dyn.server_side_apply(cms, body=json.dumps(applied), name="applied", namespace=NS, field_manager="second")
        raise AssertionError("a conflicting apply must fail")
    except ApiException as e:
        body = json.loads(e.body)
        expect(e.status == 409 and body["reason"] == "Conflict" and "first" in body["message"], "conflict %s %s" % (e.status, e.body))
    r = dyn.server_side_apply(cms, body=json.dumps(applied), name="applied", namespace=NS, field_manager="second", force_conflicts=True)
    expect(r.data.k == "two", "forced apply %r" % r.data)
    managers = {m.manager for m in r.metadata.managedFields}
    expect("second" in managers, "managedFields %r" % managers)


@check("pagination: limit and continue")
def _():
    for i in range(5):
        core.create_namespaced_config_map(NS, cm("page-%d" % i, labels={"page": "yes"}))
    names, token, pages = [], None, 0
    while True:
        lst = core.list_namespaced_config_map(NS, label_selector="page=yes", limit=2, _continue=token)
        pages += 1
        names += [i.metadata.name for i in lst.items]
        # As etcd3's store: no count of the rest under a selector.
        expect(lst.metadata.remaining_item_count is None, "remainingItemCount under a selector")
        token = lst.metadata._continue
        if not token:
            break
    expect(names == ["page-%d" % i for i in range(5)] and pages == 3, "pages %d names %r" % (pages, names))
    total = len(core.list_namespaced_config_map(NS).items)
    first = core.list_namespaced_config_map(NS, limit=2)
    expect(first.metadata.remaining_item_count == total - 2, "remainingItemCount %r of %d" % (first.metadata.remaining_item_count, total))


@check("422: an invalid object answers an Invalid Status with causes")
def _():
    try:
        core.create_namespaced_config_map(NS, cm("Not_Valid"))
        raise AssertionError("created an invalid name")
    except ApiException as e:
        body = json.loads(e.body)
        expect(e.status == 422 and body["kind"] == "Status" and body["reason"] == "Invalid", "status %s %s" % (e.status, e.body))
        expect(body["details"]["kind"] == "ConfigMap" and body["details"]["name"] == "Not_Valid", "details %r" % body["details"])
        expect(body["details"]["causes"][0]["field"] == "metadata.name", "causes %r" % body["details"]["causes"])


@check("410: a watch and a continue from compacted history expire; a relist recovers")
def _():
    first = core.list_namespaced_config_map(NS, limit=1)
    old_rv = first.metadata.resource_version
    core.create_namespaced_config_map(NS, cm("after-compaction-1"))
    core.patch_namespaced_config_map("after-compaction-1", NS, {"data": {"x": "1"}})
    compact()
    try:
        for _ev in watch.Watch().stream(core.list_namespaced_config_map, NS, resource_version=old_rv):
            raise AssertionError("a watch from compacted history streamed an event")
        raise AssertionError("a watch from compacted history ended without an error")
    except ApiException as e:
        expect(e.status == 410 and "too old resource version" in str(e.reason), "watch expired with %s %s" % (e.status, e.reason))
    try:
        core.list_namespaced_config_map(NS, limit=1, _continue=first.metadata._continue)
        raise AssertionError("a continue from compacted history worked")
    except ApiException as e:
        body = json.loads(e.body)
        expect(e.status == 410 and body["reason"] == "Expired" and body["metadata"].get("continue"), "continue expired with %s %s" % (e.status, e.body))
    relist = core.list_namespaced_config_map(NS)
    core.create_namespaced_config_map(NS, cm("after-relist"))
    w = watch.Watch()
    for ev in w.stream(core.list_namespaced_config_map, NS, resource_version=relist.metadata.resource_version, timeout_seconds=5):
        expect((ev["type"], ev["object"].metadata.name) == ("ADDED", "after-relist"), "after relist %r" % ev["type"])
        w.stop()


@check("events.k8s.io/v1: the core events seen through its names, one storage, one watch")
def _():
    ev1 = client.EventsV1Api(api_client)
    wait_for(app_running, "pod app running")
    # Events the kubelet writes through core/v1 have no eventTime; this client's
    # EventsV1Event model refuses a null eventTime (as against any cluster), so
    # they are read as plain JSON.
    resp = ev1.list_namespaced_event(NS, field_selector="regarding.name=app,reason=Started", _preload_content=False)
    kubelet = json.loads(resp.data)["items"]
    expect(kubelet and kubelet[0]["deprecatedSource"]["component"] == "kubelet" and kubelet[0]["note"].startswith("Started container")
           and kubelet[0]["eventTime"] is None and kubelet[0]["apiVersion"] == "events.k8s.io/v1", "kubelet events %r" % kubelet)
    created = ev1.create_namespaced_event(NS, client.EventsV1Event(
        metadata=client.V1ObjectMeta(name="py.1"), event_time=datetime.now(timezone.utc),
        reporting_controller="example.com/pyconf", reporting_instance="py-1", action="Check", reason="Checked",
        regarding=client.V1ObjectReference(api_version="v1", kind="Pod", namespace=NS, name="app"), note="from python", type="Normal"))
    as_core = core.read_namespaced_event("py.1", NS)
    expect(as_core.message == "from python" and as_core.reporting_component == "example.com/pyconf" and as_core.involved_object.name == "app",
           "core view %r" % as_core)
    expect(as_core.metadata.resource_version == created.metadata.resource_version, "one resourceVersion")
    # This client sends datetimes as isoformat (+00:00); stored as metav1.MicroTime encodes them.
    raw = json.loads(core.read_namespaced_event("py.1", NS, _preload_content=False).data)
    expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", raw["eventTime"]), "eventTime stored as %r" % raw["eventTime"])
    # One resourceVersion sequence: a core/v1 list's resumes an events.k8s.io watch.
    rv = core.list_namespaced_event(NS).metadata.resource_version
    core.create_namespaced_event(NS, client.CoreV1Event(
        metadata=client.V1ObjectMeta(name="core.1"), involved_object=client.V1ObjectReference(kind="Pod", namespace=NS, name="app"),
        reason="Poked", message="from core", type="Warning", source=client.V1EventSource(component="pyconf")))
    w = watch.Watch(return_type="object")
    seen = []
    for ev in w.stream(ev1.list_namespaced_event, NS, field_selector="reason=Poked", resource_version=rv, timeout_seconds=5):
        seen.append((ev["type"], ev["object"]["note"], ev["object"]["deprecatedSource"]["component"]))
        w.stop()
    expect(seen == [("ADDED", "from core", "pyconf")], "events.k8s.io watch saw %r" % seen)
    try:
        ev1.create_namespaced_event(NS, client.EventsV1Event(
            metadata=client.V1ObjectMeta(name="py.2"), event_time=datetime.now(timezone.utc),
            reporting_controller="example.com/pyconf", reporting_instance="py-1", action="Check", reason="Checked",
            regarding=client.V1ObjectReference(kind="Pod", namespace=NS, name="app"), type="Fatal"))
        raise AssertionError("an event of type Fatal was created")
    except ApiException as e:
        expect(e.status == 422 and "type: Invalid value" in e.body, "invalid type %s %s" % (e.status, e.body))


@check("delete: options in the body, preconditions, dry run and collections")
def _():
    core.create_namespaced_config_map(NS, cm("doomed", labels={"doomed": "yes"}))
    dry = core.delete_namespaced_config_map("doomed", NS, dry_run="All")
    expect(core.read_namespaced_config_map("doomed", NS).metadata.name == "doomed", "a dry-run delete deleted")
    expect(dry.status == "Success" or getattr(dry, "kind", None) == "Status", "dry-run delete answered %r" % dry)
    try:
        core.delete_namespaced_config_map("doomed", NS, body=client.V1DeleteOptions(preconditions=client.V1Preconditions(uid="not-the-uid")))
        raise AssertionError("a delete with a wrong uid precondition succeeded")
    except ApiException as e:
        body = json.loads(e.body)
        expect(e.status == 409 and body["reason"] == "Conflict" and "Precondition failed: UID in precondition: not-the-uid" in body["message"],
               "precondition %s %s" % (e.status, e.body))
    core.create_namespaced_config_map(NS, cm("doomed-2", labels={"doomed": "yes"}))
    core.delete_collection_namespaced_config_map(NS, label_selector="doomed=yes")
    left = core.list_namespaced_config_map(NS, label_selector="doomed=yes").items
    expect(left == [], "deletecollection left %r" % [i.metadata.name for i in left])
    core.create_namespaced_pod(NS, pod("short", [container("c", "sleep 3600")]))
    gone = core.delete_namespaced_pod("short", NS, body=client.V1DeleteOptions(grace_period_seconds=0, propagation_policy="Background"))
    expect(gone.metadata.name == "short", "a pod delete answers the pod: %r" % gone)
    wait_for(lambda: not [p for p in core.list_namespaced_pod(NS).items if p.metadata.name == "short"], "pod short gone", 20)


@check("update: a stale resourceVersion answers 409 Conflict; dry run stores nothing")
def _():
    first = core.create_namespaced_config_map(NS, cm("versioned", {"v": "1"}))
    first.data = {"v": "2"}
    core.replace_namespaced_config_map("versioned", NS, first)
    first.data = {"v": "3"}
    try:
        core.replace_namespaced_config_map("versioned", NS, first)
        raise AssertionError("a stale update succeeded")
    except ApiException as e:
        body = json.loads(e.body)
        expect(e.status == 409 and body["reason"] == "Conflict" and "the object has been modified" in body["message"],
               "stale update %s %s" % (e.status, e.body))
    dry = core.create_namespaced_config_map(NS, cm("dry-only", {"v": "1"}), dry_run="All")
    expect(dry.metadata.uid and dry.metadata.name == "dry-only", "a dry-run create answers the object: %r" % dry.metadata)
    try:
        core.read_namespaced_config_map("dry-only", NS)
        raise AssertionError("a dry-run create stored the object")
    except ApiException as e:
        body = json.loads(e.body)
        expect(e.status == 404 and body["reason"] == "NotFound" and body["details"] == {"name": "dry-only", "kind": "configmaps"},
               "not found %s %s" % (e.status, e.body))


@check("logs: a pod of two containers needs a container name")
def _():
    try:
        core.read_namespaced_pod_log("app", NS)
        raise AssertionError("logs of a two-container pod without a container name worked")
    except ApiException as e:
        body = json.loads(e.body)
        expect(e.status == 400 and body["message"] == "a container name must be specified for pod app, choose one of: [logger web]",
               "no container %s %s" % (e.status, e.body))


@check("exec: a tty session, and the status subresource")
def _():
    out = stream(core.connect_get_namespaced_pod_exec, "app", NS, container="logger",
                 command=["sh", "-c", "tty; test -t 0 && echo interactive"], stdout=True, stderr=True, stdin=True, tty=True)
    expect("/dev/pts/" in out and "interactive" in out, "tty output %r" % out)
    p = core.patch_namespaced_pod_status("app", NS, {"status": {"conditions": [{"type": "example.com/Checked", "status": "True"}]}})
    expect(any(c.type == "example.com/Checked" for c in p.status.conditions), "status patch %r" % p.status.conditions)
    expect(any(c.type == "Ready" for c in p.status.conditions), "a strategic status patch keeps the other conditions")


@check("discovery: version, groups and resources")
def _():
    v = client.VersionApi(api_client).get_code()
    expect(v.major == "1" and v.git_version.startswith("v1."), "version %r" % v)
    groups = {g.name for g in client.ApisApi(api_client).get_api_versions().groups}
    expect({"apps", "events.k8s.io", "discovery.k8s.io"} <= groups, "groups %r" % groups)
    resources = {r.name for r in core.get_api_resources().resources}
    expect({"pods", "pods/log", "pods/exec", "pods/portforward", "pods/status", "events", "configmaps"} <= resources, "resources %r" % resources)
    ev = {r.name for r in client.EventsV1Api(api_client).get_api_resources().resources}
    expect(ev == {"events"}, "events.k8s.io resources %r" % ev)


@check("informer: a watch.Watch loop keeps a cache equal to the server's")
def _():
    cache, requests = {}, [0]
    stop = threading.Event()

    def informer():
        while not stop.is_set():
            lst = core.list_namespaced_config_map(NS, label_selector="inf=yes")
            requests[0] += 1
            cache.clear()
            cache.update({i.metadata.name: i.data for i in lst.items})
            w = watch.Watch()
            try:
                for ev in w.stream(core.list_namespaced_config_map, NS, label_selector="inf=yes",
                                   resource_version=lst.metadata.resource_version, timeout_seconds=2):
                    requests[0] += 1
                    o = ev["object"]
                    if ev["type"] == "DELETED":
                        cache.pop(o.metadata.name, None)
                    else:
                        cache[o.metadata.name] = o.data
                    if stop.is_set():
                        w.stop()
            except ApiException as e:
                if e.status != 410:
                    raise

    t = threading.Thread(target=informer, daemon=True)
    t.start()
    for i in range(4):
        core.create_namespaced_config_map(NS, cm("inf-%d" % i, {"n": str(i)}, {"inf": "yes"}))
    time.sleep(2.5)  # across a server-side watch timeout
    core.patch_namespaced_config_map("inf-1", NS, {"data": {"n": "changed"}})
    core.delete_namespaced_config_map("inf-2", NS)
    want = {i.metadata.name: i.data for i in core.list_namespaced_config_map(NS, label_selector="inf=yes").items}
    wait_for(lambda: cache == want, "cache %r to equal %r" % (cache, want), 10)
    stop.set()
    t.join(5)
    expect(requests[0] < 50, "informer made %d requests" % requests[0])


sys.exit(1 if failed else 0)
