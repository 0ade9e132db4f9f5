package dev.stretch.operator.kubelet;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.monitoring.PodMonitor;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A test stand-in for the parts of Kubernetes the Fabric8 mock server lacks: the StatefulSet controller, the
 * kubelet, and the garbage collector — enough to run the operator's whole loop with real {@code stretch pod}
 * processes on this machine.
 *
 * <ul>
 *   <li><b>StatefulSet controller</b>: for every StatefulSet it keeps pods {@code <sts>-0 .. <sts>-(n-1)} built from
 *       the template (labels, annotations, spec, a {@code controller-revision-hash} label and a controller owner
 *       reference), deletes pods above {@code replicas}, replaces pods whose revision is not the current template's
 *       (all at once, not one by one as Kubernetes does), and writes the StatefulSet's status (replicas, ready,
 *       updated, revisions, observedGeneration). Pods go through admission first, as the API server would admit
 *       them: Pod Security {@code restricted} where the namespace enforces it, ResourceQuotas on the pod count; a
 *       refused pod is not created and a {@code FailedCreate} Warning Event is recorded on the StatefulSet.</li>
 *   <li><b>kubelet</b>: gives each pod its own loopback address 127.0.0.N as pod IP, materialises its ConfigMap and
 *       Secret volumes as files under {@code target/kubelet/} (rewritten, each file atomically, when the object
 *       changes while the pod runs; an {@code emptyDir} is an empty directory), resolves its environment (values; downward-API
 *       {@code metadata.name}, {@code metadata.namespace}, {@code status.podIP}; paths under a mount rewritten to the
 *       files), adds {@code STRETCH_BIND_ADDRESS=127.0.0.N}, starts the container command ({@link PodRuntime}),
 *       marks the pod Ready once {@code /readyz} answers 200, marks it failing (CrashLoopBackOff) if the process
 *       dies, and kills the process when the pod goes away. Without a runtime, pods become Ready at once.</li>
 *   <li><b>garbage collector</b>: deletes every object whose owner references all point to objects that no
 *       longer exist (StreamJobs and StatefulSets), as Kubernetes' background cascading deletion does.</li>
 * </ul>
 *
 * It resyncs every 200 ms on its own thread, like a controller; tests wait on outcomes with Awaitility.
 */
public final class Kubelet implements AutoCloseable {
    public static final String REVISION_LABEL = "controller-revision-hash";
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    private static final Logger LOG = Logger.getLogger(Kubelet.class);
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final long READY_TIMEOUT_MS = 90_000;

    private final KubernetesClient client;
    private final String namespace;
    private final PodRuntime runtime;
    private final Path workDir;
    private final ScheduledExecutorService loop;
    private final Map<String, PodProcess> processes = new ConcurrentHashMap<>();
    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    private final Set<String> addressesInUse = ConcurrentHashMap.newKeySet();
    private final List<Launch> launches = new CopyOnWriteArrayList<>();
    /** The volumes of each running pod and where they are materialised, refreshed on every sync. */
    private final Map<String, Map<Volume, Path>> volumes = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile Throwable lastError;
    /** Registers a reply for a path on the mock server (its expectations are answered before its CRUD store). */
    private volatile java.util.function.Supplier<io.fabric8.mockwebserver.dsl.MockServerExpectation> expectations;
    private final Set<String> resizeServed = ConcurrentHashMap.newKeySet();
    /** Resize requests received (pod -> CPU cores), applied by the resync loop. */
    private final Map<String, Double> pendingResizes = new ConcurrentHashMap<>();
    private final List<Resize> resizes = new CopyOnWriteArrayList<>();
    private final Map<String, Pod> lastSeen = new ConcurrentHashMap<>();

    /** A {@code pods/resize} the kubelet carried out: the pod, its process, the CPU and the CPUs it may run on. */
    public record Resize(String pod, long pid, double cores, String cpuList) {
    }

    /**
     * A process the kubelet started: which pod, which pid, the job document it was given, and its environment
     * (paths under a mount resolved to the pod's files, e.g. {@code STRETCH_TOPOLOGY_FILE}).
     */
    public record Launch(String pod, long pid, String address, int port, String checksum, String jobYaml,
            Map<String, String> env, Path log) {

        /** The file a path of the container's environment variable {@code name} points to, or null. */
        public Path file(String name) {
            String v = env.get(name);
            return v == null ? null : Path.of(v);
        }
    }

    private Kubelet(KubernetesClient client, String namespace, PodRuntime runtime, Path workDir) {
        this.client = client;
        this.namespace = namespace;
        this.runtime = runtime;
        this.workDir = workDir;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-kubelet");
            t.setDaemon(true);
            return t;
        });
    }

    public static Kubelet start(KubernetesClient client, String namespace) {
        PodRuntime runtime = PodRuntime.fromSystemProperties();
        Path dir = Path.of("target", "kubelet").toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kubelet k = new Kubelet(client, namespace, runtime, dir);
        LOG.infof("test kubelet in namespace %s runs %s; pod files and logs under %s", namespace, runtime.describe(), dir);
        if (!runtime.available()) {
            LOG.warn("TEST KUBELET: " + runtime.unavailableReason());
        }
        k.loop.scheduleWithFixedDelay(k::syncQuietly, 0, 200, TimeUnit.MILLISECONDS);
        return k;
    }

    public PodRuntime runtime() {
        return runtime;
    }

    /**
     * Serves the {@code pods/resize} subresource, which the mock server lacks (a request to it hangs): each pod's
     * path gets a reply on the mock server ({@code expect()} answers before the CRUD store). The reply is the pod with
     * the new resources; the resync loop then does what a kubelet does: it writes the resources into the pod,
     * confines the pod's process to as many CPUs as its new CPU limit (rounded up, at most this machine's) with
     * {@code taskset} (the JVM's {@code availableProcessors()} follows the affinity), and reports the limit in the
     * container status.
     */
    public Kubelet serveResize(java.util.function.Supplier<io.fabric8.mockwebserver.dsl.MockServerExpectation> expect) {
        this.expectations = expect;
        return this;
    }

    /** Every resize carried out so far, in order. */
    public List<Resize> resizes() {
        return List.copyOf(resizes);
    }

    /** How many CPUs a pod's process may run on ({@code taskset -p}); 0 without a process. */
    public int cpuCount(String pod) {
        String list = cpuAffinity(pod);
        if (list == null) {
            return 0;
        }
        int n = 0;
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return n;
    }

    /** The CPUs a pod's process may run on ({@code taskset -p}), e.g. {@code 0} or {@code 0,1}; null without one. */
    public String cpuAffinity(String pod) {
        PodProcess p = processes.get(pod);
        if (p == null) {
            return null;
        }
        try {
            Process t = new ProcessBuilder("taskset", "-c", "-p", Long.toString(p.pid())).redirectErrorStream(true)
                    .start();
            String out = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            t.waitFor();
            return out.substring(out.lastIndexOf(':') + 1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every process started so far, in order. */
    public List<Launch> launches() {
        return List.copyOf(launches);
    }

    /** The running process of a pod, if any. */
    public Launch running(String pod) {
        PodProcess p = processes.get(pod);
        if (p == null || !p.alive()) {
            return null;
        }
        for (int i = launches.size() - 1; i >= 0; i--) {
            if (launches.get(i).pid() == p.pid()) {
                return launches.get(i);
            }
        }
        return null;
    }

    /** Pods that have a live process. */
    public Set<String> runningPods() {
        Set<String> out = new HashSet<>();
        processes.forEach((pod, p) -> {
            if (p.alive()) {
                out.add(pod);
            }
        });
        return out;
    }

    /** The last error of the resync loop, if any (tests print it when an await fails). */
    public Throwable lastError() {
        return lastError;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processes.values().forEach(PodProcess::kill);
        processes.clear();
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (Throwable t) {
            if (lastError == null || !String.valueOf(lastError.getMessage()).equals(t.getMessage())) {
                LOG.warn("test kubelet resync failed", t);
            }
            lastError = t;
        }
    }

    private void sync() {
        collectGarbage();
        Map<String, Pod> livePods = new HashMap<>();
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(namespace)
                .withLabel(JobObjects.MANAGED_BY_LABEL, JobObjects.MANAGED_BY).list().getItems()) {
            if (sts.getMetadata().getDeletionTimestamp() == null) {
                syncStatefulSet(sts).forEach(p -> livePods.put(p.getMetadata().getName(), p));
            }
        }
        livePods.values().forEach(p -> lastSeen.put(p.getMetadata().getName(), p));
        lastSeen.keySet().retainAll(livePods.keySet());
        applyResizes();
        // processes whose pod is gone (deleted, or its StatefulSet collected)
        for (String pod : new ArrayList<>(processes.keySet())) {
            if (!livePods.containsKey(pod)) {
                stop(pod);
            }
        }
        refreshVolumes();
    }

    /**
     * Like a kubelet's sync of ConfigMap and Secret volumes: files of running pods follow their object's current
     * data (each file replaced atomically). A deleted object leaves the files as they were, as a kubelet does.
     */
    private void refreshVolumes() {
        for (Map.Entry<String, Map<Volume, Path>> pod : volumes.entrySet()) {
            if (!processes.containsKey(pod.getKey())) {
                volumes.remove(pod.getKey());
                continue;
            }
            for (Map.Entry<Volume, Path> v : pod.getValue().entrySet()) {
                if (v.getKey().getEmptyDir() == null) {
                    try {
                        materialise(v.getKey(), v.getValue());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ StatefulSet controller

    private List<Pod> syncStatefulSet(StatefulSet sts) {
        String name = sts.getMetadata().getName();
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        String revision = name + "-" + hash(SERIALIZATION.asJson(sts.getSpec().getTemplate())).substring(0, 10);
        Map<Integer, Pod> byOrdinal = new LinkedHashMap<>();
        for (Pod p : client.pods().inNamespace(namespace).withLabels(sts.getSpec().getSelector().getMatchLabels())
                .list().getItems()) {
            int ordinal = JobObjects.ordinal(p.getMetadata().getName());
            boolean outdated = !revision.equals(labels(p).get(REVISION_LABEL));
            if (ordinal < 0 || ordinal >= replicas || outdated) {
                deletePod(p);
            } else {
                byOrdinal.put(ordinal, p);
            }
        }
        for (int i = 0; i < replicas; i++) {
            if (!byOrdinal.containsKey(i)) {
                Pod created = createPod(sts, i, revision);
                if (created != null) {
                    byOrdinal.put(i, created);
                }
            }
        }
        List<Pod> pods = new ArrayList<>();
        for (Pod p : byOrdinal.values()) {
            pods.add(runPod(p));
        }
        int ready = (int) pods.stream().filter(Kubelet::isReady).count();
        long generation = sts.getMetadata().getGeneration() == null ? 1 : sts.getMetadata().getGeneration();
        boolean changed = sts.getStatus() == null || !Integer.valueOf(pods.size()).equals(sts.getStatus().getReplicas())
                || !Integer.valueOf(ready).equals(sts.getStatus().getReadyReplicas())
                || !revision.equals(sts.getStatus().getUpdateRevision())
                || !Long.valueOf(generation).equals(sts.getStatus().getObservedGeneration());
        if (changed) {
            client.apps().statefulSets().inNamespace(namespace).withName(name).editStatus(s -> {
                s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                        .withReplicas(pods.size()).withReadyReplicas(ready).withAvailableReplicas(ready)
                        .withCurrentReplicas(pods.size()).withUpdatedReplicas(pods.size())
                        .withCurrentRevision(revision).withUpdateRevision(revision)
                        .withObservedGeneration(generation).build());
                return s;
            });
        }
        return pods;
    }

    private Pod createPod(StatefulSet sts, int ordinal, String revision) {
        String name = sts.getMetadata().getName() + "-" + ordinal;
        PodSpec spec = SERIALIZATION.clone(sts.getSpec().getTemplate().getSpec());
        Map<String, String> labels = new LinkedHashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(REVISION_LABEL, revision);
        labels.put(POD_NAME_LABEL, name);
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                .withName(sts.getMetadata().getName()).withUid(sts.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build();
        String address = allocateAddress();
        Container c = spec.getContainers().get(0);
        int port = httpPort(c);
        if (runtime.available() && !bindable(address, port)) {
            port = freePort(address); // something else holds the port: give this "pod" another one
            setHttpPort(c, port);
        }
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .withAnnotations(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                .withOwnerReferences(owner).endMetadata()
                .withSpec(spec)
                .build();
        String refused = admissionError(pod);
        if (refused != null) {
            addressesInUse.remove(address);
            failedCreate(sts, "create Pod " + name + " in StatefulSet " + sts.getMetadata().getName()
                    + " failed error: pods \"" + name + "\" is forbidden: " + refused);
            return null;
        }
        pod = client.pods().inNamespace(namespace).resource(pod).create();
        serveResizeOf(name);
        PodStatus status = new PodStatusBuilder().withPhase("Pending").withPodIP(address).withHostIP("127.0.0.1")
                .withStartTime(now()).build();
        return updateStatus(pod, status);
    }

    /**
     * Admission, as the API server applies it to a pod the StatefulSet controller creates: Pod Security (the
     * namespace's {@code pod-security.kubernetes.io/enforce} label, {@code restricted} checked) and ResourceQuotas
     * on the pod count. Null when the pod is admitted.
     */
    private String admissionError(Pod pod) {
        io.fabric8.kubernetes.api.model.Namespace ns = client.namespaces().withName(namespace).get();
        String level = ns == null ? null : labels(ns).get("pod-security.kubernetes.io/enforce");
        if ("restricted".equals(level)) {
            List<String> v = dev.stretch.operator.admission.PodSecurityStandard.violations(pod.getSpec(),
                    annotations(pod));
            if (!v.isEmpty()) {
                return "violates PodSecurity \"restricted:latest\": " + String.join(", ", v);
            }
        }
        for (io.fabric8.kubernetes.api.model.ResourceQuota q : client.resourceQuotas().inNamespace(namespace).list()
                .getItems()) {
            io.fabric8.kubernetes.api.model.Quantity hard = q.getSpec() == null || q.getSpec().getHard() == null ? null
                    : q.getSpec().getHard().get("pods");
            if (hard != null) {
                int used = client.pods().inNamespace(namespace).list().getItems().size();
                int limit = hard.getNumericalAmount().intValue();
                if (used + 1 > limit) {
                    return "exceeded quota: " + q.getMetadata().getName() + ", requested: pods=1, used: pods=" + used
                            + ", limited: pods=" + limit;
                }
            }
        }
        return null;
    }

    /** The Warning Event the StatefulSet controller records when it cannot create a pod (one, counted up). */
    private void failedCreate(StatefulSet sts, String message) {
        String name = sts.getMetadata().getName() + ".failedcreate";
        io.fabric8.kubernetes.api.model.Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
        int count = existing == null || existing.getCount() == null ? 1 : existing.getCount() + 1;
        io.fabric8.kubernetes.api.model.Event e = new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewInvolvedObject().withApiVersion("apps/v1").withKind("StatefulSet")
                .withName(sts.getMetadata().getName()).withNamespace(namespace).withUid(sts.getMetadata().getUid())
                .endInvolvedObject()
                .withType("Warning").withReason("FailedCreate").withMessage(message)
                .withNewSource().withComponent("statefulset-controller").endSource()
                .withFirstTimestamp(existing == null ? now() : existing.getFirstTimestamp())
                .withLastTimestamp(now()).withCount(count)
                .build();
        client.v1().events().inNamespace(namespace).resource(e).createOr(r -> r.update());
    }

    private void deletePod(Pod p) {
        stop(p.getMetadata().getName());
        client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).withGracePeriod(0).delete();
    }

    // ------------------------------------------------------------------ kubelet

    /** Starts the pod's process if needed and reflects the process in the pod's status. */
    private Pod runPod(Pod pod) {
        String name = pod.getMetadata().getName();
        if (!runtime.available()) {
            return isReady(pod) ? pod : updateStatus(pod, readyStatus(pod, true, null));
        }
        PodProcess proc = processes.get(name);
        if (proc == null) {
            proc = launch(pod);
            if (proc == null) {
                return pod; // volumes not available yet: like ContainerCreating
            }
        }
        if (!proc.alive()) {
            String reason = "CrashLoopBackOff";
            if (isReady(pod) || !hasWaitingReason(pod, reason)) {
                LOG.warnf("pod %s: process exited with %d; see %s", name, proc.exitCode(), proc.log());
                return updateStatus(pod, readyStatus(pod, false, reason));
            }
            return pod;
        }
        if (!isReady(pod)) {
            if (proc.ready()) {
                return updateStatus(pod, readyStatus(pod, true, null));
            }
            if (System.currentTimeMillis() - startedAt.getOrDefault(name, Long.MAX_VALUE) > READY_TIMEOUT_MS) {
                startedAt.remove(name); // warn once
                LOG.warnf("pod %s: not ready after %d ms; see %s", name, READY_TIMEOUT_MS, proc.log());
            }
        }
        return pod;
    }

    private PodProcess launch(Pod pod) {
        String name = pod.getMetadata().getName();
        String address = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (address == null) {
            return null;
        }
        Container c = pod.getSpec().getContainers().get(0);
        Path podDir = workDir.resolve(name + "-" + sequence.incrementAndGet());
        Map<String, Path> mounts = new LinkedHashMap<>();
        Map<Volume, Path> podVolumes = new LinkedHashMap<>();
        try {
            for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
                Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no volume " + m.getName()));
                Path dir = podDir.resolve(v.getName());
                if (!materialise(v, dir)) {
                    return null;
                }
                mounts.put(m.getMountPath(), dir);
                podVolumes.put(v, dir);
            }
            int port = httpPort(c);
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                String value = resolve(e, pod, address, mounts);
                if (value != null) {
                    env.put(e.getName(), value);
                }
            }
            env.put("STRETCH_BIND_ADDRESS", address);
            env.put("STRETCH_HTTP_PORT", Integer.toString(port));
            Files.createDirectories(podDir);
            Path log = podDir.resolve("stretch.log");
            List<String> command = runtime.command(c.getCommand(), c.getArgs());
            String checksum = annotations(pod).get(JobObjects.JOB_CHECKSUM_ANNOTATION);
            PodProcess proc = PodProcess.start(name, address, port, checksum, command, env, log);
            processes.put(name, proc);
            if (expectations != null && c.getResources() != null && c.getResources().getLimits() != null
                    && c.getResources().getLimits().get("cpu") != null) {
                // the CPU limit as the process's CPU affinity (only where resizes are served: they change it)
                confine(proc, c.getResources().getLimits().get("cpu").getNumericalAmount().doubleValue());
            }
            volumes.put(name, podVolumes);
            startedAt.put(name, System.currentTimeMillis());
            String jobFile = env.get("STRETCH_JOB_FILE");
            String jobYaml = jobFile == null ? null : Files.readString(Path.of(jobFile));
            launches.add(new Launch(name, proc.pid(), address, port, checksum, jobYaml, Map.copyOf(env), log));
            LOG.infof("pod %s: started pid %d on %s:%d (log %s)", name, proc.pid(), address, port, log);
            return proc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a ConfigMap or Secret volume as files; false when its object does not exist (yet). */
    private boolean materialise(Volume v, Path dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<KeyToPath> items;
        Integer mode;
        if (v.getConfigMap() != null) {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(v.getConfigMap().getName()).get();
            if (cm == null) {
                return false;
            }
            if (cm.getData() != null) {
                cm.getData().forEach((k, val) -> files.put(k, val.getBytes(StandardCharsets.UTF_8)));
            }
            items = v.getConfigMap().getItems();
            mode = v.getConfigMap().getDefaultMode();
        } else if (v.getSecret() != null) {
            Secret s = client.secrets().inNamespace(namespace).withName(v.getSecret().getSecretName()).get();
            if (s == null) {
                return false;
            }
            if (s.getData() != null) {
                s.getData().forEach((k, val) -> files.put(k, Base64.getDecoder().decode(val)));
            }
            items = v.getSecret().getItems();
            mode = v.getSecret().getDefaultMode();
        } else if (v.getEmptyDir() != null) {
            Files.createDirectories(dir);
            return true;
        } else {
            throw new IllegalStateException("the test kubelet only mounts ConfigMap, Secret and emptyDir volumes, not " + v);
        }
        Map<String, byte[]> wanted = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String path = f.getKey();
            if (items != null && !items.isEmpty()) {
                path = items.stream().filter(i -> i.getKey().equals(f.getKey())).map(KeyToPath::getPath).findFirst()
                        .orElse(null);
            }
            if (path != null) {
                wanted.put(path, f.getValue());
            }
        }
        writeAtomically(dir, wanted, mode);
        return true;
    }

    /**
     * The kubelet's AtomicWriter layout: the files live in a timestamped directory {@code ..<n>}, {@code ..data}
     * is a symlink to it, and each visible file is a symlink {@code key -> ..data/key}. An update writes a new
     * directory and swaps {@code ..data} with one rename, so a reader sees the old or the new set of files, and a
     * process that kept a file open keeps reading the old content: it must re-open the path to see an update.
     * Nothing is written when the content is unchanged.
     */
    private void writeAtomically(Path dir, Map<String, byte[]> files, Integer mode) throws IOException {
        Files.createDirectories(dir);
        Path data = dir.resolve("..data");
        if (Files.isSymbolicLink(data)) {
            Path current = dir.resolve(Files.readSymbolicLink(data));
            boolean same = true;
            try (var listing = Files.list(current)) {
                same = listing.count() == files.size();
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path file = current.resolve(f.getKey());
                same &= Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), f.getValue());
            }
            if (same) {
                return;
            }
        }
        Path next = dir.resolve("..v" + sequence.incrementAndGet());
        Files.createDirectories(next);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path file = next.resolve(f.getKey());
            Files.write(file, f.getValue());
            if (mode != null) {
                Files.setPosixFilePermissions(file, permissions(mode));
            }
        }
        Path previous = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
        Path tmpLink = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, next.getFileName());
        Files.move(tmpLink, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        for (String key : files.keySet()) {
            Path visible = dir.resolve(key);
            if (!Files.isSymbolicLink(visible)) {
                Files.deleteIfExists(visible);
                Files.createSymbolicLink(visible, Path.of("..data").resolve(key));
            }
        }
        if (previous != null && !previous.equals(next)) {
            try (var old = Files.list(previous)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(previous);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = new HashSet<>();
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                p.add(order[bit]);
            }
        }
        return p;
    }

    private String resolve(EnvVar e, Pod pod, String address, Map<String, Path> mounts) {
        if (e.getValueFrom() == null) {
            String value = e.getValue() == null ? "" : e.getValue();
            String best = null;
            for (String mountPath : mounts.keySet()) {
                if ((value.equals(mountPath) || value.startsWith(mountPath + "/"))
                        && (best == null || mountPath.length() > best.length())) {
                    best = mountPath;
                }
            }
            return best == null ? value : mounts.get(best) + value.substring(best.length());
        }
        if (e.getValueFrom().getFieldRef() != null) {
            return switch (e.getValueFrom().getFieldRef().getFieldPath()) {
                case "metadata.name" -> pod.getMetadata().getName();
                case "metadata.namespace" -> pod.getMetadata().getNamespace();
                case "status.podIP" -> address;
                default -> throw new IllegalStateException("the test kubelet cannot resolve " + e);
            };
        }
        throw new IllegalStateException("the test kubelet cannot resolve " + e);
    }

    private void stop(String pod) {
        PodProcess p = processes.remove(pod);
        if (p != null) {
            p.kill();
            addressesInUse.remove(p.address);
            LOG.infof("pod %s: stopped pid %d", pod, p.pid());
        }
    }

    private PodStatus readyStatus(Pod pod, boolean ready, String waitingReason) {
        String now = now();
        PodStatus old = pod.getStatus();
        var cs = new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
                .withImage(pod.getSpec().getContainers().get(0).getImage()).withReady(ready).withStarted(ready)
                .withRestartCount(0);
        if (waitingReason != null) {
            cs.withNewState().withNewWaiting().withReason(waitingReason).endWaiting().endState();
        } else {
            cs.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
        }
        return withRunningResources(pod, new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(old == null ? null : old.getPodIP())
                .withHostIP("127.0.0.1")
                .withStartTime(old == null ? now : old.getStartTime())
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                        .withLastTransitionTime(now).build(),
                        new PodConditionBuilder().withType("ContainersReady").withStatus(ready ? "True" : "False")
                                .withLastTransitionTime(now).build())
                .withContainerStatuses(cs.build())
                .build());
    }

    private Pod updateStatus(Pod pod, PodStatus status) {
        Pod updated = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.setStatus(status);
            return p;
        });
        return updated == null ? pod : updated;
    }

    // ------------------------------------------------------------------ pods/resize

    private void serveResizeOf(String pod) {
        var expect = expectations;
        if (expect == null || !resizeServed.add(pod)) {
            return;
        }
        expect.get().patch().withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/resize")
                .andReply(200, request -> onResize(pod, request.getUtf8Body())).always();
    }

    /** On the mock server's thread: accept the resize, answer the pod as it will be; the resync loop applies it. */
    private Object onResize(String pod, String patch) {
        try {
            var json = SERIALIZATION.convertValue(SERIALIZATION.unmarshal(patch, Map.class), Map.class);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> containers = (List<Map<String, Object>>) ((Map<String, Object>) json.get("spec"))
                    .get("containers");
            @SuppressWarnings("unchecked")
            Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) containers.get(0)
                    .get("resources")).get("limits");
            double cores = new io.fabric8.kubernetes.api.model.Quantity(String.valueOf(limits.get("cpu")))
                    .getNumericalAmount().doubleValue();
            pendingResizes.put(pod, cores);
            Pod seen = lastSeen.get(pod);
            Pod answer = seen == null ? new PodBuilder().withNewMetadata().withName(pod).withNamespace(namespace)
                    .endMetadata().build() : SERIALIZATION.clone(seen);
            if (seen != null) {
                setCpu(answer, cores);
            }
            return answer;
        } catch (RuntimeException e) {
            LOG.warnf("pod %s: unreadable resize %s: %s", pod, patch, e.getMessage());
            return new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withCode(400)
                    .withMessage("unreadable resize: " + e.getMessage()).build();
        }
    }

    private void applyResizes() {
        for (String pod : new ArrayList<>(pendingResizes.keySet())) {
            Double cores = pendingResizes.remove(pod);
            Pod updated = client.pods().inNamespace(namespace).withName(pod).edit(p -> {
                setCpu(p, cores);
                return p;
            });
            if (updated == null) {
                continue;
            }
            String cpus = null;
            PodProcess proc = processes.get(pod);
            if (proc != null && proc.alive()) {
                cpus = confine(proc, cores);
                resizes.add(new Resize(pod, proc.pid(), cores, cpus));
            }
            LOG.infof("pod %s: resized to %.3f cores (CPUs %s)", pod, cores, cpus);
            updateStatus(updated, withRunningResources(updated, updated.getStatus()));
        }
    }

    private static void setCpu(Pod p, double cores) {
        Container c = p.getSpec().getContainers().get(0);
        var limits = new LinkedHashMap<>(c.getResources().getLimits());
        String q = Math.round(cores * 1000) + "m";
        limits.put("cpu", new io.fabric8.kubernetes.api.model.Quantity(q));
        c.getResources().setLimits(limits);
        var requests = c.getResources().getRequests() == null ? new LinkedHashMap<String,
                io.fabric8.kubernetes.api.model.Quantity>() : new LinkedHashMap<>(c.getResources().getRequests());
        if (requests.get("cpu") != null && requests.get("cpu").getNumericalAmount().doubleValue() > cores) {
            requests.put("cpu", new io.fabric8.kubernetes.api.model.Quantity(q));
        }
        c.getResources().setRequests(requests);
    }

    /** Restricts the process (all its threads) to the first ceil(cores) CPUs of this machine; returns the list. */
    private static String confine(PodProcess proc, double cores) {
        int cpus = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), (int) Math.ceil(cores - 1e-9)));
        String list = cpus == 1 ? "0" : "0-" + (cpus - 1);
        try {
            Process t = new ProcessBuilder("taskset", "-a", "-c", "-p", list, Long.toString(proc.pid()))
                    .redirectErrorStream(true).start();
            String out = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (t.waitFor() != 0) {
                LOG.warnf("taskset on pid %d failed: %s", proc.pid(), out);
            }
        } catch (IOException e) {
            LOG.warnf("taskset on pid %d failed: %s", proc.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return list;
    }

    /** The pod's status with its container's resources as running (what a kubelet reports after a resize). */
    private static PodStatus withRunningResources(Pod pod, PodStatus status) {
        if (status == null || status.getContainerStatuses() == null) {
            return status;
        }
        var r = pod.getSpec().getContainers().get(0).getResources();
        status.getContainerStatuses().forEach(cs -> cs.setResources(
                new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder().withLimits(r.getLimits())
                        .withRequests(r.getRequests()).build()));
        return status;
    }

    // ------------------------------------------------------------------ garbage collector

    private void collectGarbage() {
        Set<String> owners = new HashSet<>();
        client.resources(StreamJob.class).inNamespace(namespace).list().getItems()
                .forEach(j -> owners.add(j.getMetadata().getUid()));
        client.apps().statefulSets().inNamespace(namespace).list().getItems()
                .forEach(s -> owners.add(s.getMetadata().getUid()));
        collect(client.configMaps().inNamespace(namespace).list().getItems(), owners);
        collect(client.secrets().inNamespace(namespace).list().getItems(), owners);
        collect(client.services().inNamespace(namespace).list().getItems(), owners);
        collect(client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems(), owners);
        collect(client.resources(PodMonitor.class).inNamespace(namespace).list().getItems(), owners);
        collect(client.apps().statefulSets().inNamespace(namespace).list().getItems(), owners);
        collect(client.pods().inNamespace(namespace).list().getItems(), owners);
    }

    private void collect(Collection<? extends HasMetadata> objects, Set<String> liveOwners) {
        for (HasMetadata o : objects) {
            List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
            if (refs != null && !refs.isEmpty() && refs.stream().noneMatch(r -> liveOwners.contains(r.getUid()))) {
                LOG.infof("garbage-collecting %s %s (owner gone)", o.getKind(), o.getMetadata().getName());
                if (o instanceof Pod) {
                    stop(o.getMetadata().getName());
                }
                client.resource(o).inNamespace(namespace).withGracePeriod(0).delete();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private String allocateAddress() {
        for (int n = 10; n < 250; n++) {
            String a = "127.0.0." + n;
            if (addressesInUse.add(a)) {
                return a;
            }
        }
        throw new IllegalStateException("no free loopback address");
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String address) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int httpPort(Container c) {
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (JobObjects.HTTP_PORT_NAME.equals(p.getName())) {
                    return p.getContainerPort();
                }
            }
        }
        return JobObjects.HTTP_PORT;
    }

    private static void setHttpPort(Container c, int port) {
        c.getPorts().stream().filter(p -> JobObjects.HTTP_PORT_NAME.equals(p.getName()))
                .forEach(p -> p.setContainerPort(port));
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean hasWaitingReason(Pod pod, String reason) {
        return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(cs -> cs.getState() != null
                        && cs.getState().getWaiting() != null && reason.equals(cs.getState().getWaiting().getReason()));
    }

    private static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }

    private static Map<String, String> annotations(HasMetadata o) {
        return o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
