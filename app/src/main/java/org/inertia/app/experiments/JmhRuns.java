package org.inertia.app.experiments;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs one of our JMH benchmarks in-process through JMH's Runner API (one forked JVM per parameter set, as
 * {@code ./inertia jmh} does) and returns its scores converted to seconds per operation.
 */
public final class JmhRuns {
    /** One result: the parameters and the mean time per operation in seconds. */
    public record Score(String method, Map<String, String> params, double seconds) {
    }

    /** Run lengths: warm-up and measurement iterations, their duration (ignored in single-shot mode). */
    public record Lengths(int warmups, int iterations, TimeValue time) {
    }

    private JmhRuns() {
    }

    /**
     * Runs {@code benchmark} (a class of org.inertia.bench.jmh) with the given parameter values and
     * {@code -Dinertia.threads=threads} in the fork.
     */
    public static List<Score> run(String benchmark, Map<String, List<String>> params, int threads, Lengths len)
            throws RunnerException {
        System.setProperty("jmh.ignoreLock", "true"); // other JMH runs on a shared machine must not block us
        ChainedOptionsBuilder o = new OptionsBuilder().include("org\\.inertia\\.bench\\.jmh\\." + benchmark + "\\.")
                .forks(1).warmupIterations(len.warmups()).measurementIterations(len.iterations())
                .warmupTime(len.time()).measurementTime(len.time()).shouldFailOnError(true)
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "-Dinertia.threads=" + threads);
        params.forEach((k, v) -> o.param(k, v.toArray(String[]::new)));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<Score> out = new ArrayList<>();
        for (RunResult r : new Runner(o.build(), OutputFormatFactory.createFormatInstance(quiet, VerboseMode.SILENT)).run()) {
            Map<String, String> ps = new LinkedHashMap<>();
            for (String k : r.getParams().getParamsKeys()) {
                ps.put(k, r.getParams().getParam(k));
            }
            String label = r.getParams().getBenchmark();
            out.add(new Score(label.substring(label.lastIndexOf('.') + 1), ps,
                    toSeconds(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit())));
        }
        return out;
    }

    /**
     * JMH's "ms/op", "us/op", "ns/op", "s/op" (average or single-shot time) or "ops/s", "ops/ms", "ops/us",
     * "ops/ns" (throughput, e.g. MlpBenchmark) to seconds per operation.
     */
    static double toSeconds(double score, String unit) {
        if (unit.startsWith("ops/")) {
            return toSeconds(1, unit.substring(4) + "/op") / score;
        }
        String u = unit.split("/")[0];
        TimeUnit t = switch (u) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
        };
        return score * t.toNanos(1) * 1e-9;
    }
}
