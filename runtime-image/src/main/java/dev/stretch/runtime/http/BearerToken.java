package dev.stretch.runtime.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret that authorises control requests, read from a file (a mounted Kubernetes Secret). Only its SHA-256 digest is kept, and candidates are compared digest to digest with
 * {@link MessageDigest#isEqual}: the comparison takes the same time wherever the first difference is,
 * and comparing fixed-length digests does not reveal the token's length either. Never printed.
 */
final class BearerToken {
    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * Reads the token from {@code file}, trimmed of surrounding whitespace (Secrets written with
     * {@code echo} end in a newline).
     *
     * @throws IOException if the file cannot be read or holds only whitespace
     */
    static BearerToken readFrom(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
            throw new IOException("control token file " + file + " is empty");
        }
        return new BearerToken(sha256(token));
    }

    /**
     * Whether an {@code Authorization} header value carries this token with the {@code Bearer} scheme
     * (scheme name case-insensitive, RFC 7235). {@code null} or another scheme never matches.
     */
    boolean isPresentedBy(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return false;
        }
        String presented = value.substring(space + 1).strip();
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
