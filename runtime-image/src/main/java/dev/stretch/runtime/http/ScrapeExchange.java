package dev.stretch.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Lets the client library's scrape handler (content negotiation, {@code name[]} filter, gzip) answer on the
 * JDK server. A failing scrape answers 500 with the error's message; the stack trace goes to the log.
 */
final class ScrapeExchange implements PrometheusHttpExchange {
    private static final System.Logger LOG = System.getLogger(ScrapeExchange.class.getName());

    private final HttpExchange exchange;
    private boolean responseSent;

    ScrapeExchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
        return new PrometheusHttpRequest() {
            @Override
            public String getQueryString() {
                return exchange.getRequestURI().getRawQuery();
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                List<String> values = exchange.getRequestHeaders().get(name);
                return values == null ? Collections.emptyEnumeration() : Collections.enumeration(values);
            }

            @Override
            public String getMethod() {
                return exchange.getRequestMethod();
            }

            @Override
            public String getRequestPath() {
                return exchange.getRequestURI().getPath();
            }
        };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
        return new PrometheusHttpResponse() {
            @Override
            public void setHeader(String name, String value) {
                exchange.getResponseHeaders().set(name, value);
            }

            @Override
            public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) throws IOException {
                if (responseSent) {
                    throw new IOException("a response was already sent for this scrape");
                }
                responseSent = true;
                exchange.sendResponseHeaders(statusCode, contentLength);
                return exchange.getResponseBody();
            }
        };
    }

    @Override
    public void handleException(IOException e) {
        fail(e);
    }

    @Override
    public void handleException(RuntimeException e) {
        fail(e);
    }

    private void fail(Exception e) {
        LOG.log(Level.WARNING, "scrape of /metrics failed", e);
        if (responseSent) {
            return; // too late for a status: the client sees a truncated body
        }
        responseSent = true;
        try {
            Reply.send(exchange, 500, Reply.TEXT, ("scrape failed: " + e + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException sendFailed) {
            LOG.log(Level.DEBUG, "could not send the scrape error to the client", sendFailed);
        }
    }

    @Override
    public void close() {
        exchange.close();
    }
}
