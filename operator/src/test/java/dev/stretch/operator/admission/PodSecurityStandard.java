package dev.stretch.operator.admission;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of the Pod Security Standards' {@code restricted} profile (which includes {@code baseline}), as the
 * Pod Security admission controller applies them to a pod spec (k8s.io/pod-security-admission, {@code policy/}
 * check_*.go, latest version). A namespace labelled {@code pod-security.kubernetes.io/enforce: restricted} refuses a
 * pod, or a StatefulSet's pod, for which {@link #violations} is not empty.
 */
public final class PodSecurityStandard {
    static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
            "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");

    private PodSecurityStandard() {
    }

    /** Why admission would refuse this pod under {@code restricted}; empty when it admits it. */
    public static List<String> violations(PodSpec pod, Map<String, String> podAnnotations) {
        List<String> v = new ArrayList<>();
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        PodSecurityContext psc = pod.getSecurityContext();

        // ---- baseline
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            v.add("host namespaces (hostNetwork=true, hostPID=true or hostIPC=true)");
        }
        if (psc != null && psc.getWindowsOptions() != null && Boolean.TRUE.equals(psc.getWindowsOptions().getHostProcess())) {
            v.add("hostProcess");
        }
        for (Volume vol : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            if (vol.getHostPath() != null) {
                v.add("hostPath volume " + vol.getName());
            }
        }
        if (psc != null && psc.getSysctls() != null) {
            psc.getSysctls().stream().filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
                    .forEach(s -> v.add("forbidden sysctl " + s.getName()));
        }
        if (psc != null && psc.getSeLinuxOptions() != null) {
            seLinux(psc.getSeLinuxOptions(), "pod", v);
        }
        if (psc != null && psc.getAppArmorProfile() != null
                && !Set.of("RuntimeDefault", "Localhost").contains(psc.getAppArmorProfile().getType())) {
            v.add("pod appArmorProfile " + psc.getAppArmorProfile().getType());
        }
        if (podAnnotations != null) {
            podAnnotations.forEach((k, val) -> {
                if (k.startsWith("container.apparmor.security.beta.kubernetes.io/")
                        && !(val.equals("runtime/default") || val.startsWith("localhost/"))) {
                    v.add("forbidden AppArmor profile " + k + "=" + val);
                }
            });
        }
        // ---- restricted: volume types
        for (Volume vol : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            boolean allowed = vol.getConfigMap() != null || vol.getCsi() != null || vol.getDownwardAPI() != null
                    || vol.getEmptyDir() != null || vol.getEphemeral() != null || vol.getPersistentVolumeClaim() != null
                    || vol.getProjected() != null || vol.getSecret() != null;
            if (!allowed) {
                v.add("restricted volume type of " + vol.getName());
            }
        }
        boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
        if (psc != null && psc.getRunAsNonRoot() != null && !psc.getRunAsNonRoot()) {
            v.add("pod runAsNonRoot=false");
        }
        if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
            v.add("pod runAsUser=0");
        }
        boolean podSeccomp = psc != null && seccompOk(psc.getSeccompProfile());
        if (psc != null && psc.getSeccompProfile() != null && !podSeccomp) {
            v.add("pod seccompProfile type " + psc.getSeccompProfile().getType());
        }

        for (Container c : containers) {
            String n = "container " + c.getName();
            SecurityContext sc = c.getSecurityContext();
            if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                v.add(n + ": privileged");
            }
            if (sc != null && sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
                v.add(n + ": procMount " + sc.getProcMount());
            }
            if (sc != null && sc.getSeLinuxOptions() != null) {
                seLinux(sc.getSeLinuxOptions(), n, v);
            }
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (p.getHostPort() != null && p.getHostPort() != 0) {
                    v.add(n + ": hostPort " + p.getHostPort());
                }
            }
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                v.add(n + ": allowPrivilegeEscalation != false");
            }
            if (sc != null && sc.getRunAsNonRoot() != null && !sc.getRunAsNonRoot()) {
                v.add(n + ": runAsNonRoot=false");
            } else if (!podNonRoot && (sc == null || !Boolean.TRUE.equals(sc.getRunAsNonRoot()))) {
                v.add(n + ": runAsNonRoot != true (neither the pod nor the container sets it)");
            }
            if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                v.add(n + ": runAsUser=0");
            }
            if (sc != null && sc.getSeccompProfile() != null && !seccompOk(sc.getSeccompProfile())) {
                v.add(n + ": seccompProfile type " + sc.getSeccompProfile().getType());
            } else if (!podSeccomp && (sc == null || sc.getSeccompProfile() == null)) {
                v.add(n + ": seccompProfile must be RuntimeDefault or Localhost (neither the pod nor the container sets it)");
            }
            Capabilities caps = sc == null ? null : sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                v.add(n + ": must drop ALL capabilities");
            }
            if (caps != null && caps.getAdd() != null) {
                for (String add : caps.getAdd()) {
                    if (!add.equals("NET_BIND_SERVICE")) {
                        v.add(n + ": adds capability " + add
                                + (BASELINE_CAPABILITIES.contains(add) ? " (baseline only)" : ""));
                    }
                }
            }
        }
        return v;
    }

    private static boolean seccompOk(SeccompProfile p) {
        return p != null && ("RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType()));
    }

    private static void seLinux(io.fabric8.kubernetes.api.model.SELinuxOptions o, String who, List<String> v) {
        if (o.getType() != null && !SELINUX_TYPES.contains(o.getType())) {
            v.add(who + ": seLinuxOptions.type " + o.getType());
        }
        if (o.getUser() != null && !o.getUser().isEmpty() || o.getRole() != null && !o.getRole().isEmpty()) {
            v.add(who + ": seLinuxOptions user/role");
        }
    }
}
