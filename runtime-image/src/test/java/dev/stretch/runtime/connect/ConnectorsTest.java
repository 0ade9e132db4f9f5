package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stretch.model.FileSinkSpec;
import dev.stretch.model.FileSourceSpec;
import dev.stretch.model.GeneratorSpec;
import dev.stretch.model.RecordFormat;
import dev.stretch.model.SinkSpec;
import dev.stretch.model.SourceSpec;
import dev.stretch.model.StdoutSinkSpec;
import dev.stretch.model.WatermarkSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConnectorsTest {
    @Test
    void shouldBuildAGeneratorWithMonotonousTimestampsAndTheSpecsParallelism() {
        SourceSpec spec = new SourceSpec();
        spec.setGenerator(new GeneratorSpec());
        spec.setParallelism(3);

        BuiltInSource s = Connectors.source(spec, 1, 1_000L);

        assertThat(s.source()).isInstanceOf(GeneratorSource.class);
        assertThat(((GeneratorSource) s.source()).startTime()).isEqualTo(1_000L);
        assertThat(s.watermarks().isMonotonous()).isTrue();
        assertThat(s.parallelism()).isEqualTo(3);
    }

    @Test
    void shouldBuildAFileSourceWithBoundedOutOfOrdernessWhenTheWatermarkAllowsIt() {
        SourceSpec spec = new SourceSpec();
        FileSourceSpec file = new FileSourceSpec();
        file.setPath("in.csv");
        spec.setFile(file);
        WatermarkSpec wm = new WatermarkSpec();
        wm.setTimestampField("time");
        wm.setMaxOutOfOrderness("1.5s");
        spec.setWatermark(wm);

        BuiltInSource s = Connectors.source(spec, 2, 0L);

        assertThat(s.source()).isInstanceOf(FileSource.class);
        assertThat(((FileSource) s.source()).format()).isEqualTo(RecordFormat.CSV);
        assertThat(s.watermarks().outOfOrdernessMillis()).isEqualTo(1_500L);
        assertThat(s.parallelism()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAFileSourceWithoutATimestampField() {
        SourceSpec spec = new SourceSpec();
        FileSourceSpec file = new FileSourceSpec();
        file.setPath("in.jsonl");
        spec.setFile(file);

        assertThatThrownBy(() -> Connectors.source(spec, 1, 0L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestampField");
    }

    @Test
    void shouldRefuseASourceWithNeitherGeneratorNorFile() {
        assertThatThrownBy(() -> Connectors.source(new SourceSpec(), 1, 0L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("generator, file and kafka");
    }

    @Test
    void shouldBuildTheSinkTheSpecNames() {
        SinkSpec stdout = new SinkSpec();
        StdoutSinkSpec out = new StdoutSinkSpec();
        out.setFormat(RecordFormat.TEXT);
        stdout.setStdout(out);
        SinkSpec file = new SinkSpec();
        FileSinkSpec f = new FileSinkSpec();
        f.setPath("out/x.csv");
        f.setFormat(RecordFormat.CSV);
        file.setFile(f);

        assertThat(Connectors.<Object>sink(stdout)).isInstanceOfSatisfying(StdoutSink.class,
                s -> assertThat(s.format()).isEqualTo(RecordFormat.TEXT));
        assertThat(Connectors.<Object>sink(file)).isInstanceOfSatisfying(FileSink.class, s -> {
            assertThat(s.path()).isEqualTo(Path.of("out/x.csv"));
            assertThat(s.format()).isEqualTo(RecordFormat.CSV);
        });
        assertThatThrownBy(() -> Connectors.sink(new SinkSpec())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSendDeadLettersToStandardErrorWhenNoSinkIsGiven() {
        assertThat(Connectors.deadLetters(null)).isInstanceOf(DeadLetterSink.class);
    }

    @Test
    void shouldMarkSilentSplitsIdleOnlyWhenTheJobAsksForIt() {
        WatermarkSpec spec = new WatermarkSpec();
        spec.setMaxOutOfOrderness("500ms");
        assertThat(Connectors.watermarks(spec).idleness()).isNull();

        spec.setIdleTimeout("30s");
        var strategy = Connectors.watermarks(spec);
        assertThat(strategy.idleness()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(strategy.outOfOrdernessMillis()).isEqualTo(500);
    }
}
