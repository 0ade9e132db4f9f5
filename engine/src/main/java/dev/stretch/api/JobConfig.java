package dev.stretch.api;

import java.util.Objects;

/**
 * Settings of one job. Immutable; build with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code mode}: {@link ExecutionMode#VSN} (default) or {@link ExecutionMode#SN};</li>
 *   <li>{@code maxKeyGroups}: key groups per keyed operator (default 128), fixed for the job's life; also
 *       the upper bound on a keyed operator's instances;</li>
 *   <li>{@code maxInstances}: the most instances a reconfiguration may give any operator (default 16);</li>
 *   <li>{@code errorPolicy} and {@code deadLetterSink}: what happens to bad records;</li>
 *   <li>{@code lateRecords}: whether late records are only counted (default) or also sent to the
 *       dead-letter output;</li>
 *   <li>{@code batchSize} and {@code ringBatches}: tuples per batch, batches per writer ring; their product
 *       bounds how far a writer runs ahead of its slowest reader.</li>
 * </ul>
 */
public final class JobConfig {
    private final ExecutionMode mode;
    private final int maxKeyGroups;
    private final int maxInstances;
    private final ErrorPolicy errorPolicy;
    private final LateRecordPolicy lateRecords;
    private final Sink<DeadLetter> deadLetterSink;
    private final int batchSize;
    private final int ringBatches;
    private final int defaultParallelism;

    private JobConfig(Builder b) {
        this.mode = b.mode;
        this.maxKeyGroups = b.maxKeyGroups;
        this.maxInstances = b.maxInstances;
        this.errorPolicy = b.errorPolicy;
        this.lateRecords = b.lateRecords;
        this.deadLetterSink = b.deadLetterSink;
        this.batchSize = b.batchSize;
        this.ringBatches = b.ringBatches;
        this.defaultParallelism = b.defaultParallelism;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static JobConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode;
        b.maxKeyGroups = maxKeyGroups;
        b.maxInstances = maxInstances;
        b.errorPolicy = errorPolicy;
        b.lateRecords = lateRecords;
        b.deadLetterSink = deadLetterSink;
        b.batchSize = batchSize;
        b.ringBatches = ringBatches;
        b.defaultParallelism = defaultParallelism;
        return b;
    }

    public ExecutionMode mode() {
        return mode;
    }

    public int maxKeyGroups() {
        return maxKeyGroups;
    }

    public int maxInstances() {
        return maxInstances;
    }

    public ErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    public LateRecordPolicy lateRecords() {
        return lateRecords;
    }

    /** Where dead letters go; {@code null} when none is configured (then they are only counted and logged). */
    public Sink<DeadLetter> deadLetterSink() {
        return deadLetterSink;
    }

    public int batchSize() {
        return batchSize;
    }

    public int ringBatches() {
        return ringBatches;
    }

    public int defaultParallelism() {
        return defaultParallelism;
    }

    /** Builder of {@link JobConfig}; every setter checks its argument and names it when it rejects one. */
    public static final class Builder {
        private ExecutionMode mode = ExecutionMode.VSN;
        private int maxKeyGroups = 128;
        private int maxInstances = 16;
        private ErrorPolicy errorPolicy = ErrorPolicy.FAIL;
        private LateRecordPolicy lateRecords = LateRecordPolicy.DROP;
        private Sink<DeadLetter> deadLetterSink;
        private int batchSize = 1024;
        private int ringBatches = 16;
        private int defaultParallelism = 1;

        public Builder mode(ExecutionMode m) {
            this.mode = Objects.requireNonNull(m, "mode");
            return this;
        }

        public Builder maxKeyGroups(int n) {
            if (n < 1 || n > 32768) {
                throw new IllegalArgumentException("maxKeyGroups must be in [1, 32768], was " + n);
            }
            this.maxKeyGroups = n;
            return this;
        }

        public Builder maxInstances(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxInstances must be >= 1, was " + n);
            }
            this.maxInstances = n;
            return this;
        }

        public Builder errorPolicy(ErrorPolicy p) {
            this.errorPolicy = Objects.requireNonNull(p, "errorPolicy");
            return this;
        }

        public Builder lateRecords(LateRecordPolicy p) {
            this.lateRecords = Objects.requireNonNull(p, "lateRecords");
            return this;
        }

        public Builder deadLetterSink(Sink<DeadLetter> sink) {
            this.deadLetterSink = sink;
            return this;
        }

        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        public Builder ringBatches(int n) {
            if (n < 2 || Integer.bitCount(n) != 1) {
                throw new IllegalArgumentException("ringBatches must be a power of two >= 2, was " + n);
            }
            this.ringBatches = n;
            return this;
        }

        public Builder defaultParallelism(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("defaultParallelism must be >= 1, was " + n);
            }
            this.defaultParallelism = n;
            return this;
        }

        public JobConfig build() {
            if (maxInstances > maxKeyGroups) {
                maxInstances = maxKeyGroups;
            }
            return new JobConfig(this);
        }
    }
}
