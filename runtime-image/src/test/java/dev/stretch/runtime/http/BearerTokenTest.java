package dev.stretch.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {
    @TempDir
    Path dir;

    private BearerToken token(String fileContent) throws IOException {
        return BearerToken.readFrom(Files.writeString(dir.resolve("token"), fileContent));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc123", "bearer abc123", "BEARER   abc123 ", " Bearer abc123"})
    void shouldAcceptTokenWhenPresentedWithBearerScheme(String header) throws IOException {
        assertThat(token("abc123\n").isPresentedBy(header)).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer abc12", "Bearer abc1234", "Bearer ABC123",
        "abc123", "Basic abc123", "Bearerabc123"})
    void shouldRefuseWhenHeaderDoesNotCarryTheToken(String header) throws IOException {
        assertThat(token("abc123").isPresentedBy(header)).isFalse();
    }

    @Test
    void shouldTrimWhitespaceAroundTokenInFile() throws IOException {
        assertThat(token("\t abc123 \r\n").isPresentedBy("Bearer abc123")).isTrue();
    }

    @Test
    void shouldRefuseFileWhenItHoldsOnlyWhitespace() {
        assertThatThrownBy(() -> token(" \n ")).isInstanceOf(IOException.class).hasMessageContaining("empty");
    }

    @Test
    void shouldNotRevealTokenWhenPrinted() throws IOException {
        assertThat(token("abc123")).asString().doesNotContain("abc123");
    }
}
