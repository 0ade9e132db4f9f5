# The STRETCH images, assembled from the jars of a Maven build (COPY only: nothing is compiled or installed here):
#
#   mvn -B package -DskipTests
#   docker build --target runtime  -t ghcr.io/stretch-dev/stretch:0.1.0          .   # `stretch pod`, the job pods
#   docker build --target operator -t ghcr.io/stretch-dev/stretch-operator:0.1.0 .   # the Kubernetes operator
#
# or scripts/build-images.sh, which takes the names and tags from the one place that defines them (the Helm chart:
# helm/stretch/Chart.yaml appVersion, values.yaml image repositories) and works with podman too.
#
# Base: a Java 17 runtime and a non-root user, nothing else (no shell, no package manager). Distroless' Java 17
# image by default; JRE_IMAGE may name any such base, e.g. the one scripts/jre-base.sh assembles from Debian's
# packages where no registry is reachable.
ARG JRE_IMAGE=gcr.io/distroless/java17-debian12:nonroot

FROM ${JRE_IMAGE} AS jre
# the non-root user of distroless images ("nonroot"); numeric, so the kubelet can verify runAsNonRoot
USER 65532:65532
WORKDIR /tmp

# ---------------------------------------------------------------------------------------------------- runtime
FROM jre AS runtime
COPY runtime-image/target/stretch.jar /opt/stretch/stretch.jar
EXPOSE 8080
# `stretch pod` by default; any other stretch command as arguments (`stretch validate /job.yaml`).
# The heap follows the container's memory limit; /tmp is the only writable path (an emptyDir in the pod).
ENTRYPOINT ["/usr/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/stretch/stretch.jar"]
CMD ["pod"]

# ---------------------------------------------------------------------------------------------------- operator
FROM jre AS operator
COPY operator/target/quarkus-app/ /opt/stretch-operator/
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/opt/stretch-operator/quarkus-run.jar"]
