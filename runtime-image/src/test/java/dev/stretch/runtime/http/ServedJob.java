package dev.stretch.runtime.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** A {@link TestJob} served by a started {@link RuntimeHttpServer} on 127.0.0.1, and a client for it. */
final class ServedJob implements AutoCloseable {
    private final TestJob job;
    private final RuntimeHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServedJob(TestJob job, Consumer<RuntimeHttpServer.Builder> settings) {
        this.job = job;
        RuntimeHttpServer.Builder b = RuntimeHttpServer.builder(job.handle())
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .threads(2);
        settings.accept(b);
        this.server = b.build();
        try {
            server.start();
        } catch (IOException e) {
            job.close();
            throw new UncheckedIOException(e);
        }
    }

    static ServedJob of(TestJob job, Optional<Path> tokenFile) {
        return new ServedJob(job, b -> b.tokenFile(tokenFile));
    }

    /** Served with further settings of the server (applied after the bind address and thread count). */
    static ServedJob of(TestJob job, Consumer<RuntimeHttpServer.Builder> settings) {
        return new ServedJob(job, settings);
    }

    TestJob job() {
        return job;
    }

    RuntimeHttpServer server() {
        return server;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} with extra headers (name, value, ...), body as bytes. */
    HttpResponse<byte[]> getBytes(String path, String... headers) {
        return send(request(path).headers(headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> send(String method, String path, String body) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code PUT path} with a JSON body and, unless {@code authorization} is null, that header. */
    HttpResponse<String> put(String path, String body, String authorization) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20));
    }

    private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(r, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        job.close();
    }
}
