package dev.stretch.runtime.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.model.Durations;
import dev.stretch.model.JoinSpec;
import dev.stretch.model.KafkaSourceSpec;
import dev.stretch.model.KafkaSpec;
import dev.stretch.model.PipelineStage;
import dev.stretch.model.SourceSpec;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.WindowStageSpec;
import dev.stretch.runtime.topology.PodTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of one job in one pod: the consumer that shares the job's input partitions with the other
 * pods (one consumer group per job, cooperative-sticky assignment, static membership: {@code group.instance.id}
 * = job + ordinal), and the bookkeeping that lets a partition move between pods with nothing lost and nothing
 * duplicated in a transactional sink.
 *
 * <h2>State on partition moves: replaying the bounded suffix the open windows cover</h2>
 * Every commit (a sink transaction, see {@link KafkaSink}) stores, for each partition the pod owns, the
 * sink's event-time progress E in the offset's metadata: every result up to E derived from that partition is
 * committed, none after it. A windowed result with end time &gt; E only depends on records with event time
 * &ge; E + 1 - (the longest window) - (the source's allowed out-of-orderness) = R. So whoever takes the
 * partition over (another pod after a rebalance, or the same pod after a restart or a SIGKILL) seeks to
 * {@code offsetsForTimes(R)}, replays from there, and drops the results of that partition up to E. Records
 * carry their partition (the hidden field {@link #ORIGIN}, also in the window key when the window groups by
 * the topic's key), so the sink knows each result's partition. This needs no state store and no changelog
 * topic: Kafka's own log is the state, and a move costs replaying at most one window of a partition.
 *
 * <p>Any change of this pod's assignment restarts the job's engine inside the process (the process, its HTTP
 * server and its group membership stay): first the sink commits what it has (so the retained partitions'
 * E is current), then every owned partition is re-read from its committed E. Keeping window state of retained
 * partitions across a move would let a partition that comes back behind the pod's event time turn late; the
 * restart makes every move the same bounded replay. Measured in {@code bench/} (partition move time).
 *
 * <p>Threads: the poller thread alone uses the consumer (Kafka's rule); the engine's split threads take
 * records from per-partition queues; the sink thread uses the producer under {@link #txLock}, which the
 * poller also takes to commit before a rebalance. Assignment snapshots are immutable and published
 * through volatile fields.
 */
public final class KafkaJob implements AutoCloseable {
    /** Hidden field: the split (partition index) a record came from; sinks strip it. */
    public static final String ORIGIN = dev.stretch.runtime.pipeline.Rows.ORIGIN;
    static final int QUEUE_HIGH = 20_000;
    static final int QUEUE_LOW = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(KafkaJob.class.getName());
    /** Kafka's clients log a lot at INFO; warnings and errors are what a user of a pod needs (kept: JUL holds loggers weakly). */
    private static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");

    static {
        KAFKA_LOGS.setLevel(java.util.logging.Level.WARNING);
    }

    /** Loads this class, and so quiets Kafka's client logs, before any Kafka client is made. */
    static void quietKafkaLogs() {
        // the static initialiser did it
    }

    /** Restarts the job's engine; set by the process that runs the job. */
    public interface Engine {
        /** Stops the running engine job and waits until it has stopped. */
        void stop();

        /** Builds and starts a new engine job from the job document. */
        void start() throws Exception;
    }

    /** What this pod owns for one engine run: which splits, and up to when each one's results are committed. */
    record Assignment(boolean[] owned, long[] emitted, long generation) {
        boolean owns(int split) {
            return split < owned.length && owned[split];
        }

        int ownedCount() {
            int n = 0;
            for (boolean b : owned) {
                n += b ? 1 : 0;
            }
            return n;
        }
    }

    /** The records of one partition waiting for its split. */
    static final class Feed {
        final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
        /** Next offset to hand to the engine (written by the split thread, read by committers). */
        volatile long position = -1;
        boolean paused;
    }

    private final String jobName;
    private final KafkaSpec kafka;
    private final KafkaSourceSpec source;
    private final PodTopology topology;
    private final String group;
    /** Replay span of the input partitions (see {@link #replayFrom}). */
    private final long replaySpanMillis;
    /** Replay span of the repartition topic's partitions: the longest window (their event time is exact). */
    private final long repartitionSpanMillis;
    /** The job's repartition, or null: its topic's partitions are splits {@code inputSplits ..} of this consumer. */
    private final Repartition repartition;
    /** Splits 0 .. inputSplits-1 are the input topics' partitions. */
    private final int inputSplits;
    private final Map<String, Object> clientProperties;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Integer> splitOf = new HashMap<>();
    private final Feed[] feeds;
    final LongAdder suppressed = new LongAdder();
    final LongAdder moves = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    private volatile Assignment assignment;
    private volatile ConsumerGroupMetadata groupMetadata;
    private volatile Engine engine;
    private volatile boolean closed;
    private volatile boolean resetRequested;
    private volatile long lastMoveMillis = -1;
    private final List<Long> moveMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The sinks that commit this consumer's offsets (each for its range of splits); copy-on-write. */
    private final java.util.concurrent.CopyOnWriteArrayList<KafkaSink.Committer> committers =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Admin purger;
    private final java.util.concurrent.atomic.AtomicLong lastPurgeNanos = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private volatile Throwable pollerFailure;
    private KafkaProducer<byte[], byte[]> deadLetterProducer;

    private KafkaJob(StreamJobManifest manifest, SourceSpec sourceSpec, PodTopology topology, Repartition repartition) {
        this.jobName = manifest.name();
        this.kafka = manifest.getSpec().getKafka() == null ? new KafkaSpec() : manifest.getSpec().getKafka();
        this.source = sourceSpec.getKafka();
        this.topology = topology;
        this.group = kafka.getConsumerGroup() != null ? kafka.getConsumerGroup() : jobName;
        this.repartition = repartition;
        this.replaySpanMillis = repartition == null ? replaySpan(manifest, sourceSpec) : outOfOrderness(sourceSpec);
        this.repartitionSpanMillis = windowSpan(manifest);
        this.clientProperties = clientProperties(kafka);
        try (Admin admin = Admin.create(withDefaults(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000)))) {
            Map<String, TopicDescription> d = admin.describeTopics(source.getTopics()).allTopicNames()
                    .get(60, TimeUnit.SECONDS);
            List<TopicPartition> ps = new ArrayList<>();
            int widest = 1;
            for (String t : source.getTopics()) {
                for (var p : d.get(t).partitions()) {
                    ps.add(new TopicPartition(t, p.partition()));
                }
                widest = Math.max(widest, d.get(t).partitions().size());
            }
            this.inputSplits = ps.size();
            if (repartition != null) {
                int n = createRepartitionTopic(admin, repartition.topic(), widest);
                for (int i = 0; i < n; i++) {
                    ps.add(new TopicPartition(repartition.topic(), i));
                }
            }
            this.partitions = List.copyOf(ps);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalArgumentException("source.kafka.topics: cannot read the topics " + source.getTopics()
                    + " from " + clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + rootMessage(e), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("source.kafka: cannot reach Kafka at " + clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + ": " + rootMessage(e), e);
        }
        for (int i = 0; i < partitions.size(); i++) {
            splitOf.put(partitions.get(i), i);
        }
        this.feeds = new Feed[partitions.size()];
        for (int i = 0; i < feeds.length; i++) {
            feeds[i] = new Feed();
        }
        this.assignment = new Assignment(new boolean[feeds.length], new long[feeds.length], 0);
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-" + topology.ordinal());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + topology.ordinal() + "-consumer");
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, source.getStartFrom() == null ? "earliest" : source.getStartFrom());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        this.consumer = new KafkaConsumer<>(withDefaults(c), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::pollLoop, "stretch-kafka-" + jobName);
        this.poller.setDaemon(true);
    }

    /**
     * Joins the job's consumer group and waits for this pod's first assignment.
     *
     * @throws IllegalArgumentException naming the setting when Kafka cannot be reached or a topic is missing
     */
    public static KafkaJob start(StreamJobManifest manifest, SourceSpec sourceSpec, PodTopology topology,
            Repartition repartition) {
        KafkaJob k = new KafkaJob(manifest, sourceSpec, topology, repartition);
        k.poller.start();
        try {
            while (!k.firstAssignment.await(1, TimeUnit.SECONDS)) {
                if (k.pollerFailure != null) {
                    k.close();
                    throw new IllegalStateException("Kafka consumer failed: " + rootMessage(k.pollerFailure),
                            k.pollerFailure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            k.close();
            throw new IllegalStateException("interrupted while joining the consumer group", e);
        }
        return k;
    }

    /** Lets a pod-count change that removes this pod hand its partitions over at once. */
    public void onTopologyChange(int count) {
        if (topology.ordinal() >= count) {
            LOG.log(System.Logger.Level.INFO, "pod " + topology.name() + " is beyond the job's " + count
                    + " pods: leaving the consumer group");
            leaving = true;
            consumer.wakeup();
        }
    }

    private volatile boolean leaving;

    /**
     * Lets assignment changes restart the job's engine from now on. If the assignment changed between the
     * engine's build and this call, the poller restarts it at once.
     */
    public void attach(Engine engine) {
        this.engine = engine;
        if (assignment != built) {
            requestReset();
        }
    }

    private volatile Assignment built;

    /** The assignment an engine run was built with (called when its source is made). */
    void built(Assignment a) {
        built = a;
    }

    /** Partitions this pod owns now. */
    public int ownedPartitions() {
        return assignment.ownedCount();
    }

    /** A sink that commits the offsets of splits {@code from .. to-1} (see {@link KafkaSink.Committer#bind}). */
    void attach(KafkaSink.Committer committer) {
        committers.add(committer);
    }

    /** All splits: the input partitions, then the repartition topic's. */
    public int splits() {
        return partitions.size();
    }

    /** The input topics' partitions (splits {@code 0 .. inputSplits()-1}). */
    public int inputSplits() {
        return inputSplits;
    }

    /** The repartition topic's partitions (splits {@code inputSplits() ..}); 0 without a repartition. */
    public int repartitionSplits() {
        return partitions.size() - inputSplits;
    }

    Repartition repartition() {
        return repartition;
    }

    List<TopicPartition> partitions() {
        return partitions;
    }

    Assignment assignment() {
        return assignment;
    }

    Feed feed(int split) {
        return feeds[split];
    }

    String group() {
        return group;
    }

    PodTopology topology() {
        return topology;
    }

    String jobName() {
        return jobName;
    }

    KafkaSourceSpec sourceSpec() {
        return source;
    }

    long replaySpanMillis(int split) {
        return split < inputSplits ? replaySpanMillis : repartitionSpanMillis;
    }

    ConsumerGroupMetadata groupMetadata() {
        return groupMetadata;
    }

    /** Client settings for producers and admin clients: bootstrap servers, the job's properties, {@code extra}. */
    Map<String, Object> withDefaults(Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(clientProperties);
        m.putAll(extra);
        return m;
    }

    /** Results dropped because another pod or an earlier run already committed them. */
    public long suppressedResults() {
        return suppressed.sum();
    }

    /** Assignment changes handled (each a restart of the engine with a replay). */
    public long partitionMoves() {
        return moves.sum();
    }

    /** Milliseconds each assignment change took, from the rebalance callback to the new engine running. */
    public List<Long> moveMillis() {
        synchronized (moveMillis) {
            return List.copyOf(moveMillis);
        }
    }

    /** Asks the poller to re-read every owned partition from its committed offsets (after a failed commit). */
    void requestReset() {
        resetRequested = true;
        consumer.wakeup();
    }

    /** Sends an undecodable record to the dead-letter topic, with the reason in headers. */
    void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        String topic = source.getDeadLetterTopic();
        if (topic == null) {
            return;
        }
        KafkaProducer<byte[], byte[]> p;
        synchronized (this) {
            if (deadLetterProducer == null) {
                deadLetterProducer = new KafkaProducer<>(withDefaults(Map.of(
                        ProducerConfig.CLIENT_ID_CONFIG, group + "-" + topology.ordinal() + "-dead-letters",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new ByteArraySerializer(), new ByteArraySerializer());
            }
            p = deadLetterProducer;
        }
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value());
        out.headers().add("stretch.reason", reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add("stretch.job", jobName.getBytes(StandardCharsets.UTF_8));
        out.headers().add("stretch.topic", r.topic().getBytes(StandardCharsets.UTF_8));
        out.headers().add("stretch.partition", Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
        out.headers().add("stretch.offset", Long.toString(r.offset()).getBytes(StandardCharsets.UTF_8));
        p.send(out, (md, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "dead letter for " + r.topic() + "-" + r.partition() + "@"
                        + r.offset() + " not written: " + e);
            }
        });
        deadLetters.increment();
    }

    // ------------------------------------------------------------------ poller

    private void pollLoop() {
        try {
            List<String> topics = new ArrayList<>(source.getTopics());
            if (repartition != null) {
                topics.add(repartition.topic());
            }
            consumer.subscribe(topics, new Rebalance());
            while (!closed) {
                if (leaving) {
                    leave();
                    return;
                }
                if (resetRequested) {
                    resetRequested = false;
                    reassign(null, null, false, "re-reading after a failed commit or rebalance step");
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (WakeupException woken) {
                    continue;
                } catch (org.apache.kafka.common.KafkaException e) {
                    if (closed || leaving) {
                        continue;
                    }
                    // a rebalance step failed (e.g. Kafka was unreachable): read every owned partition again
                    LOG.log(System.Logger.Level.WARNING, "pod " + topology.name() + ": " + rootMessage(e)
                            + "; re-reading the owned partitions from their committed offsets");
                    resetRequested = true;
                    continue;
                }
                groupMetadata = consumer.groupMetadata();
                Assignment a = assignment;
                for (TopicPartition tp : records.partitions()) {
                    int s = splitOf.getOrDefault(tp, -1);
                    if (s < 0 || !a.owns(s)) {
                        continue;
                    }
                    Feed f = feeds[s];
                    List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
                    f.queue.addAll(rs);
                    f.size.addAndGet(rs.size());
                }
                flowControl(a);
                checkCaughtUp();
                for (KafkaSink.Committer c : committers) {
                    c.onPoll(consumer);
                }
            }
        } catch (Throwable t) {
            if (!closed) {
                pollerFailure = t;
                LOG.log(System.Logger.Level.ERROR, "Kafka consumer of job " + jobName + " failed: " + rootMessage(t), t);
            }
        } finally {
            if (!leaving) {
                try {
                    consumer.close(Duration.ofSeconds(5));
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private void flowControl(Assignment a) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (int s = 0; s < feeds.length; s++) {
            if (!a.owns(s)) {
                continue;
            }
            Feed f = feeds[s];
            int n = f.size.get();
            if (!f.paused && n > QUEUE_HIGH) {
                f.paused = true;
                pause.add(partitions.get(s));
            } else if (f.paused && n < QUEUE_LOW) {
                f.paused = false;
                resume.add(partitions.get(s));
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /**
     * Leaves the group so that the remaining pods take this pod's partitions now, not after the session timeout
     * (static members do not leave on close otherwise). Closing revokes the partitions: the rebalance callback
     * commits what the sink has and restarts the engine with nothing to read, so the pod stays up.
     */
    private void leave() {
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.groupMembershipOperation(
                    org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .timeout(Duration.ofSeconds(30)));
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "leaving the consumer group: " + rootMessage(ex));
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (!revoked.isEmpty()) {
                reassign(new HashSet<>(revoked), Set.of(), true, "revoked " + revoked);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            if (!lost.isEmpty()) {
                reassign(new HashSet<>(lost), Set.of(), false, "lost " + lost);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (!assigned.isEmpty() || firstAssignment.getCount() > 0) {
                reassign(Set.of(), new HashSet<>(assigned), false, "assigned " + assigned);
            }
        }
    }

    /**
     * On the poller thread: commits what the sink has (when {@code commit}), stops the engine, re-reads every
     * partition this pod now owns from its committed offsets and metadata, and starts the engine again.
     */
    private void reassign(Set<TopicPartition> removed, Set<TopicPartition> added, boolean commit, String why) {
        long t0 = System.nanoTime();
        Engine e = engine;
        for (KafkaSink.Committer c : committers) {
            if (commit) {
                c.commitBeforeRevoke(consumer);
            } else {
                c.abandon();
            }
        }
        if (closed) {
            return; // the process is stopping: commit what is done, start nothing
        }
        if (e != null) {
            e.stop();
        }
        Assignment old = assignment;
        Set<TopicPartition> owned = new HashSet<>();
        if (removed == null) {
            owned.addAll(consumer.assignment()); // a reset: what the consumer holds now
        } else {
            for (int s = 0; s < feeds.length; s++) {
                if (old.owns(s)) {
                    owned.add(partitions.get(s));
                }
            }
            owned.removeAll(removed);
            owned.addAll(added);
        }
        owned.retainAll(splitOf.keySet());
        boolean[] own = new boolean[feeds.length];
        long[] emitted = new long[feeds.length];
        java.util.Arrays.fill(emitted, Long.MIN_VALUE);
        for (Feed f : feeds) {
            f.queue.clear();
            f.size.set(0);
            f.position = -1;
            f.paused = false;
        }
        if (!owned.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(owned);
            Map<TopicPartition, Long> times = new HashMap<>();
            for (TopicPartition tp : owned) {
                int s = splitOf.get(tp);
                own[s] = true;
                OffsetAndMetadata om = committed.get(tp);
                long e2 = emittedOf(om);
                emitted[s] = e2;
                if (e2 != Long.MIN_VALUE) {
                    times.put(tp, Math.max(0, replayFrom(s, e2)));
                } else if (om != null) {
                    consumer.seek(tp, om.offset());
                    feeds[s].position = om.offset();
                } else if (s < inputSplits && "latest".equals(source.getStartFrom())) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
            if (!times.isEmpty()) {
                Map<TopicPartition, OffsetAndTimestamp> at = unwoken(() -> consumer.offsetsForTimes(times, Duration.ofSeconds(30)));
                for (Map.Entry<TopicPartition, Long> t : times.entrySet()) {
                    OffsetAndTimestamp o = at.get(t.getKey());
                    int s = splitOf.get(t.getKey());
                    if (o != null) {
                        consumer.seek(t.getKey(), o.offset());
                        feeds[s].position = o.offset();
                    } else {
                        // no record at or after the replay start: nothing to replay, continue after the commit
                        long off = committed.get(t.getKey()).offset();
                        consumer.seek(t.getKey(), off);
                        feeds[s].position = off;
                    }
                }
            }
            consumer.resume(owned);
        }
        CatchUp cu = null;
        if (!owned.isEmpty()) {
            // what is in the owned partitions now (read_committed: up to the last stable offset): the replay ends there
            Map<TopicPartition, Long> ends = unwoken(() -> consumer.endOffsets(owned, Duration.ofSeconds(30)));
            long[] start = new long[feeds.length];
            long[] end = new long[feeds.length];
            java.util.Arrays.fill(end, -1);
            long records = 0;
            for (TopicPartition tp : owned) {
                int s = splitOf.get(tp);
                start[s] = Math.max(0, feeds[s].position);
                end[s] = ends.getOrDefault(tp, 0L);
                records += Math.max(0, end[s] - start[s]);
            }
            cu = new CatchUp(t0, start, end, records, owned.size());
        }
        catchUp = cu;
        assignment = new Assignment(own, emitted, old.generation() + 1);
        groupMetadata = consumer.groupMetadata();
        for (KafkaSink.Committer c : committers) {
            c.reset(assignment);
        }
        if (e != null) {
            try {
                e.start();
            } catch (Exception ex) {
                throw new IllegalStateException("restarting the engine after a partition move failed: " + rootMessage(ex), ex);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            moves.increment();
            moveMillis.add(ms);
            lastMoveMillis = ms;
        }
        LOG.log(System.Logger.Level.INFO, "pod " + topology.name() + ": " + why + "; owns " + owned.size() + " of "
                + feeds.length + " partitions" + (e == null ? "" : "; engine restarted, replaying, after "
                + (System.nanoTime() - t0) / 1_000_000 + " ms"));
        firstAssignment.countDown();
    }

    /** After an assignment change: the owned partitions' offsets at the start of the replay and their end then. */
    private record CatchUp(long startNanos, long[] start, long[] end, long records, int partitions) {
    }

    private volatile CatchUp catchUp;
    private final List<Long> catchUpMillis = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Poller thread: once the engine has read every owned partition up to where it ended when the assignment
     * changed, the move is complete (its state is rebuilt): logs how long it took and how much it replayed.
     */
    private void checkCaughtUp() {
        CatchUp cu = catchUp;
        if (cu == null) {
            return;
        }
        for (int s = 0; s < cu.end().length; s++) {
            if (cu.end()[s] > cu.start()[s] && feeds[s].position < cu.end()[s]) {
                return;
            }
        }
        catchUp = null;
        long ms = (System.nanoTime() - cu.startNanos()) / 1_000_000;
        catchUpMillis.add(ms);
        LOG.log(System.Logger.Level.INFO, "pod " + topology.name() + ": caught up after the partition move: replayed "
                + cu.records() + " records of " + cu.partitions() + " partitions in " + ms + " ms");
    }

    /** Milliseconds from each assignment change to the engine having read what the owned partitions held then. */
    public List<Long> catchUpMillis() {
        synchronized (catchUpMillis) {
            return List.copyOf(catchUpMillis);
        }
    }

    /**
     * The committed offsets of {@code owned}. They cannot be read while a transaction that commits offsets of these
     * partitions is open (a pod killed mid-transaction: until it is started again, or its transaction times out),
     * so this waits, saying so once.
     */
    private Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> owned) {
        boolean said = false;
        while (true) {
            try {
                return unwoken(() -> consumer.committed(owned, Duration.ofSeconds(10)));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (closed) {
                    throw e;
                }
                if (!said) {
                    said = true;
                    LOG.log(System.Logger.Level.INFO, "pod " + topology.name() + ": waiting for the committed offsets of "
                            + owned + " (an earlier owner's transaction is still open)");
                }
            }
        }
    }

    /**
     * Creates the repartition topic if it does not exist: {@code partitions} partitions (the widest input topic's,
     * as Kafka Streams does), the broker's replication factor, kept until the job purges it (below). Returns the
     * topic's partition count (an existing topic keeps its own, so that every pod agrees).
     */
    private static int createRepartitionTopic(Admin admin, String topic, int partitions) throws Exception {
        try {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, java.util.Optional.of(partitions),
                    java.util.Optional.empty()).configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1"))))
                    .all().get(60, TimeUnit.SECONDS);
            LOG.log(System.Logger.Level.INFO, "created the repartition topic " + topic + " with " + partitions + " partitions");
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
        return admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic).partitions().size();
    }

    /**
     * After a commit of the repartition topic's offsets: deletes, at most every 10 s, the records of those
     * partitions that no replay can need any more, i.e. those before the offset a replay from the committed
     * progress would start at (Kafka Streams purges its repartition topics after commits the same way). The
     * progress only grows, so what is deleted stays unneeded; a stale caller deletes less.
     *
     * @param emitted committed progress E by split (repartition splits only)
     */
    void purgeRepartition(Map<Integer, Long> emitted) {
        long now = System.nanoTime();
        long last = lastPurgeNanos.get();
        if (emitted.isEmpty() || now - last < TimeUnit.SECONDS.toNanos(10) || !lastPurgeNanos.compareAndSet(last, now)) {
            return;
        }
        Admin a;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (purger == null) {
                purger = Admin.create(withDefaults(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, group + "-" + topology.ordinal() + "-purge")));
            }
            a = purger;
        }
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> at = new HashMap<>();
        emitted.forEach((s, e) -> {
            if (s >= inputSplits && e != Long.MIN_VALUE) {
                at.put(partitions.get(s), org.apache.kafka.clients.admin.OffsetSpec.forTimestamp(Math.max(0, replayFrom(s, e))));
            }
        });
        if (at.isEmpty()) {
            return;
        }
        a.listOffsets(at).all().whenComplete((offsets, err) -> {
            if (err != null) {
                return; // next time
            }
            Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> del = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o.offset() > 0) {
                    del.put(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(o.offset()));
                }
            });
            if (!del.isEmpty()) {
                a.deleteRecords(del).all().whenComplete((ok, e2) -> {
                    if (e2 != null) {
                        LOG.log(System.Logger.Level.DEBUG, "purging " + del.keySet() + ": " + rootMessage(e2));
                    }
                });
            }
        });
    }

    /**
     * A blocking consumer call made while partitions are being reassigned. A wakeup meant for the poll loop (a
     * reset asked for by a failed commit, a pod leaving) must not break off a reassignment half done (engine
     * stopped, offsets not yet read): the call is made again, and the loop sees what the wakeup was for afterwards
     * (its flags stay set). Only closing breaks off.
     */
    private <T> T unwoken(java.util.function.Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (WakeupException w) {
                if (closed) {
                    throw w;
                }
            }
        }
    }

    /** Event time from which a partition is replayed when its results are committed up to {@code emitted}. */
    long replayFrom(int split, long emitted) {
        return emitted + 1 - replaySpanMillis(split);
    }

    /** The committed progress E in an offset's metadata; {@code Long.MIN_VALUE} when there is none. */
    static long emittedOf(OffsetAndMetadata om) {
        if (om == null || om.metadata() == null || om.metadata().isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            JsonNode n = JSON.readTree(om.metadata());
            return n.has("emitted") ? n.get("emitted").asLong() : Long.MIN_VALUE;
        } catch (Exception notOurs) {
            return Long.MIN_VALUE;
        }
    }

    /** The metadata committed with a partition's offset. */
    String metadata(int split, long emitted) {
        return "{\"emitted\":" + emitted + ",\"replayFrom\":" + replayFrom(split, emitted) + ",\"pod\":\"" + topology.name()
                + "\"}";
    }

    /** The longest window (or join window) of the pipeline plus the source's allowed out-of-orderness. */
    static long replaySpan(StreamJobManifest m, SourceSpec src) {
        return windowSpan(m) + outOfOrderness(src);
    }

    /** The source's allowed out-of-orderness in ms (0 for none or no source). */
    static long outOfOrderness(SourceSpec src) {
        if (src != null && src.getWatermark() != null && src.getWatermark().getMaxOutOfOrderness() != null) {
            return Durations.parse(src.getWatermark().getMaxOutOfOrderness()).toMillis();
        }
        return 0;
    }

    /** The longest window (or join window) of the pipeline. */
    static long windowSpan(StreamJobManifest m) {
        long span = 0;
        if (m.getSpec().getPipeline() != null) {
            for (PipelineStage st : m.getSpec().getPipeline()) {
                WindowStageSpec w = st.getWindow();
                if (w != null && w.getSize() != null) {
                    span = Math.max(span, Durations.parse(w.getSize()).toMillis());
                }
                JoinSpec j = st.getJoin();
                if (j != null && j.getSize() != null) {
                    span = Math.max(span, Durations.parse(j.getSize()).toMillis());
                }
            }
        }
        return span;
    }

    private static Map<String, Object> clientProperties(KafkaSpec k) {
        Map<String, Object> m = new HashMap<>();
        if (k.getBootstrapServers() != null) {
            m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.getBootstrapServers());
        }
        if (k.getProperties() != null) {
            m.putAll(k.getProperties());
        }
        m.putAll(KafkaSecrets.properties());
        String bootstrap = System.getenv("STRETCH_KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap != null && !bootstrap.isBlank()) {
            m.put("bootstrap.servers", bootstrap); // the environment's brokers win over the job file's
        }
        return m;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String msg = c.getMessage();
        return msg == null ? c.getClass().getSimpleName() : msg;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (deadLetterProducer != null) {
                deadLetterProducer.close(Duration.ofSeconds(5));
            }
            if (purger != null) {
                purger.close(Duration.ofSeconds(5));
            }
        }
    }
}
