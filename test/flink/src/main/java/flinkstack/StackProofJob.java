package flinkstack;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A tiny streaming job whose only purpose is to make a real Flink cluster register (and report)
 * the metrics our dashboards and alerts use. Compiles against Flink 1.20.x and 2.x unchanged.
 *
 * <pre>
 * Generator Source (DataGeneratorSource, event time, bounded-out-of-orderness watermarks)
 *   -> keyBy(key)
 *   -> Count Per Key (ValueState; holds the fail switch)
 *   -> Enrich (map) -> Drop Odd (filter) -> Discard Sink      (chained into one task)
 * </pre>
 *
 * Arguments (all optional):
 * <ul>
 *   <li>{@code --submit-to host:port} submit to a running session cluster over REST (detached:
 *       prints {@code JOB_ID=<id>} and exits); needs {@code --jar}</li>
 *   <li>{@code --jar path} this job's jar, shipped to the cluster</li>
 *   <li>{@code --name StackProofJob} the Flink job name (the {@code job_name} label)</li>
 *   <li>{@code --parallelism 2}, {@code --rate 200} (records/s, whole job), {@code --keys 16}</li>
 *   <li>{@code --checkpoint-ms 2000}, {@code --restart-attempts 1000000},
 *       {@code --restart-delay-ms 1000}</li>
 *   <li>{@code --fail-once-file PATH}: when PATH exists, the first subtask that deletes it throws
 *       (exactly one failure, so numRestarts goes up by one per file created)</li>
 *   <li>{@code --fail-file PATH}: while PATH exists every subtask throws (restart loop)</li>
 *   <li>{@code --open-delay-ms N}: Count Per Key's open() sleeps N ms, so its task stays INITIALIZING
 *       that long on every (re)start, as with a slow state restore (checkpoints triggered meanwhile
 *       fail: "Not all required tasks are currently running")</li>
 * </ul>
 */
public class StackProofJob {

    /** The record. A POJO (public fields, no-arg constructor) so Flink serializes it itself. */
    public static class Event {
        public long key;
        public long seq;
        public long eventTime;
        public long value;
        public long countForKey;

        public Event() {}

        public Event(long key, long seq, long eventTime, long value) {
            this.key = key;
            this.seq = seq;
            this.eventTime = eventTime;
            this.value = value;
        }
    }

    /** Keyed map with ValueState; also checks the fail switches (at most every 200 ms). */
    public static class CountPerKey extends RichMapFunction<Event, Event> {
        private final String failOnceFile;
        private final String failFile;
        private final long openDelayMs;
        private transient ValueState<Long> count;
        private transient long lastCheck;

        public CountPerKey(String failOnceFile, String failFile, long openDelayMs) {
            this.failOnceFile = failOnceFile;
            this.failFile = failFile;
            this.openDelayMs = openDelayMs;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            if (openDelayMs > 0) {
                Thread.sleep(openDelayMs);
            }
        }

        @Override
        public Event map(Event e) throws Exception {
            long now = System.currentTimeMillis();
            if (now - lastCheck >= 200) {
                lastCheck = now;
                if (failFile != null && Files.exists(Paths.get(failFile))) {
                    throw new RuntimeException("StackProofJob: fail switch " + failFile + " exists");
                }
                if (failOnceFile != null && Files.deleteIfExists(Paths.get(failOnceFile))) {
                    throw new RuntimeException("StackProofJob: fail-once switch " + failOnceFile);
                }
            }
            Long c = count.value();
            long next = (c == null ? 0L : c) + 1;
            count.update(next);
            e.countForKey = next;
            return e;
        }
    }

    /** Generates events; event time jitters up to 700 ms into the past (out of order). */
    public static class Generate implements GeneratorFunction<Long, Event> {
        private final int keys;

        public Generate(int keys) {
            this.keys = keys;
        }

        @Override
        public Event map(Long index) {
            long i = index;
            return new Event(i % keys, i, System.currentTimeMillis() - (i % 8) * 100, i);
        }
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            m.put(a.substring(2), args[++i]);
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> p = parseArgs(args);
        String name = p.getOrDefault("name", "StackProofJob");
        int parallelism = Integer.parseInt(p.getOrDefault("parallelism", "2"));
        double rate = Double.parseDouble(p.getOrDefault("rate", "200"));
        int keys = Integer.parseInt(p.getOrDefault("keys", "16"));
        long checkpointMs = Long.parseLong(p.getOrDefault("checkpoint-ms", "2000"));

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                Integer.parseInt(p.getOrDefault("restart-attempts", "1000000")));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                Duration.ofMillis(Long.parseLong(p.getOrDefault("restart-delay-ms", "1000"))));

        StreamExecutionEnvironment env;
        String submitTo = p.get("submit-to");
        if (submitTo != null) {
            String jar = p.get("jar");
            if (jar == null) {
                throw new IllegalArgumentException("--submit-to needs --jar");
            }
            int colon = submitTo.lastIndexOf(':');
            env =
                    StreamExecutionEnvironment.createRemoteEnvironment(
                            submitTo.substring(0, colon),
                            Integer.parseInt(submitTo.substring(colon + 1)),
                            conf,
                            jar);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        env.configure(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointMs);

        DataGeneratorSource<Event> source =
                new DataGeneratorSource<>(
                        new Generate(keys),
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(rate),
                        TypeInformation.of(Event.class));

        env.fromSource(
                        source,
                        WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofSeconds(2))
                                .withTimestampAssigner((e, ts) -> e.eventTime),
                        "Generator Source")
                .uid("generator-source")
                .keyBy(e -> e.key, Types.LONG)
                .map(new CountPerKey(p.get("fail-once-file"), p.get("fail-file"), Long.parseLong(p.getOrDefault("open-delay-ms", "0"))))
                .name("Count Per Key")
                .uid("count-per-key")
                .map(e -> {
                            e.value = e.value * 2 + e.countForKey;
                            return e;
                        })
                .returns(TypeInformation.of(Event.class))
                .name("Enrich")
                .uid("enrich")
                .filter(e -> e.seq % 2 == 0)
                .name("Drop Odd")
                .uid("drop-odd")
                .sinkTo(new DiscardingSink<>())
                .name("Discard Sink")
                .uid("discard-sink");

        if (submitTo != null) {
            JobClient client = env.executeAsync(name);
            System.out.println("JOB_ID=" + client.getJobID());
            System.out.flush();
            // detached: do not wait for the job; some client threads are non-daemon
            System.exit(0);
        } else {
            env.execute(name);
        }
    }

    private StackProofJob() {}
}
