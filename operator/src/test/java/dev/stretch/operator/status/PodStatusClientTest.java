package dev.stretch.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodStatusClientTest {
    private HttpServer server;
    private final PodStatusClient client = new PodStatusClient(Duration.ofSeconds(5));

    @BeforeEach
    void startPod() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/v1/status", ex -> {
            byte[] body = """
                    {"job":"clicks","pod":"clicks-0","state":"RUNNING","uptimeMs":5,
                     "operators":[{"name":"per-key","kind":"window","instances":3,"minInstances":1,"maxInstances":8,
                                   "inputRate":12.5,"outputRate":2.0,"busyRatio":0.4,"backlog":9,"eventTimeLagMs":120,
                                   "futureField":true}]}
                    """.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopPod() {
        server.stop(0);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldReadTheStatusOfReachablePodsAndMarkTheOthersUnreachable() throws IOException {
        int port = server.getAddress().getPort();
        List<PodObservation> out = client.query(List.of(
                new PodObservation("clicks-0", true, null, "127.0.0.1", port, null, false),
                new PodObservation("clicks-1", true, null, "127.0.0.1", closedPort(), null, false),
                new PodObservation("clicks-2", true, null, null, 8080, null, false)));
        assertThat(out).hasSize(3);
        RuntimeReport r = out.get(0).report();
        assertThat(r.state()).isEqualTo("RUNNING");
        assertThat(r.operators()).singleElement().satisfies(o -> {
            assertThat(o.instances()).isEqualTo(3);
            assertThat(o.eventTimeLagMs()).isEqualTo(120L);
        });
        assertThat(out.get(1).unreachable()).isTrue();
        assertThat(out.get(2).queried()).as("no IP yet: not asked").isFalse();
        assertThat(out.get(2).unreachable()).isFalse();
    }

    @Test
    void shouldBracketIpv6Addresses() {
        assertThat(PodStatusClient.statusUri("fd00::1", 8080).toString()).isEqualTo("http://[fd00::1]:8080/v1/status");
    }
}
