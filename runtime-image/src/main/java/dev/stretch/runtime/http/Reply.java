package dev.stretch.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a complete response (status, headers, body) to an exchange. HEAD requests get the headers of the
 * GET response and no body.
 */
final class Reply {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    private Reply() {
    }

    static void text(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, TEXT, (body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void json(HttpExchange ex, int status, ObjectMapper json, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException("could not serialise the response", e);
        }
        send(ex, status, JSON, bytes);
    }

    /** A JSON body {@code {"error": message}}. */
    static void error(HttpExchange ex, int status, ObjectMapper json, String message) throws IOException {
        json(ex, status, json, Map.of("error", message));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
