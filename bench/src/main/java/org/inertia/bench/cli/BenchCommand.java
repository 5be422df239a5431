package org.inertia.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.inertia.bench.experiments.Csv;
import org.inertia.bench.experiments.HtmlReport;
import org.inertia.bench.experiments.JmhRuns;
import org.inertia.bench.experiments.Plots;
import org.inertia.bench.experiments.Progress;
import org.inertia.bench.experiments.PythonBaseline;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia bench}: the side-by-side comparisons of {@code bench/compare/} in one go, with short
 * settings: our JMH benchmarks (GemmBenchmark, Blas1Benchmark, OptimizerStepBenchmark, LstmBenchmark) run
 * in-process through JMH's Runner API, and the Python baselines (numpy/OpenBLAS, PyTorch CPU) where an
 * interpreter that has them exists. Every ratio is our speed over the baseline's (&gt; 1: Inertia faster);
 * a baseline that cannot run is reported as missing, never estimated.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Side-by-side benchmarks (GEMM, BLAS-1, optimizer steps, LSTM) against numpy/OpenBLAS and PyTorch, with ratios.",
            "--steps sets JMH's measured iterations; --seed is accepted, the benchmarks use their own fixed seeds."})
final class BenchCommand implements Callable<Integer> {
    static final List<String> COMPARISONS = List.of("gemm", "blas1", "optim", "lstm");
    private static final List<String> NUMPY_PYTHONS = List.of("python3", "/usr/bin/python3");
    private static final List<String> TORCH_PYTHONS = List.of("/usr/bin/python3", "python3");
    /** The optimizer methods both OptimizerStepBenchmark and torch_optim.py have. */
    private static final List<String> TORCH_METHODS = List.of("sgd", "sgd-momentum", "nesterov", "adagrad", "rmsprop",
            "adam", "adamw", "rprop");

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "gemm, blas1, optim, lstm (default: all)")
    List<String> only = new ArrayList<>(COMPARISONS);

    @Option(names = "--quick", description = "smallest sizes and the shortest JMH runs (a few seconds per benchmark)")
    boolean quick;

    @Option(names = "--threads", split = ",", paramLabel = "T", description = "kernel threads of both sides (default: 1)")
    List<Integer> threads = new ArrayList<>(List.of(1));

    @Option(names = "--compare-dir", paramLabel = "DIR", description = "the baseline scripts (default: ${DEFAULT-VALUE})")
    Path compareDir = Path.of("bench", "compare");

    @Option(names = "--no-baselines", description = "run our side only")
    boolean noBaselines;

    @Mixin
    StepsOption stepsOption = new StepsOption(5); // JMH measurement iterations

    @Mixin
    RunOptions run = new RunOptions("bench"); // --seed: the benchmarks use their own fixed seeds

    @Spec
    CommandSpec spec;

    /** One comparison row. */
    record Row(String comparison, String what, int threads, String unit, double ours, Double baseline, String note) {
        Double ratio() {
            if (baseline == null) {
                return null;
            }
            return unit.endsWith("/s") ? ours / baseline : baseline / ours; // a rate: higher is better; a time: lower
        }
    }

    List<Row> rows;

    /** Which interpreter (and module versions) produced each comparison's baseline. */
    final Map<String, String> interpreters = new LinkedHashMap<>();

    private void used(String comparison, PythonBaseline.Output o) {
        if (o.interpreter() != null) {
            interpreters.put(comparison, o.interpreter());
        }
    }

    @Override
    public Integer call() throws IOException, RunnerException, InterruptedException {
        int iterations = stepsOption.get();
        for (String o : only) {
            if (!COMPARISONS.contains(o)) {
                throw Validation.error(spec, "Invalid value '" + o + "' for option '--only': use " + String.join(", ", COMPARISONS));
            }
        }
        for (int t : threads) {
            Validation.atLeast(spec, "--threads", t, 1);
        }
        boolean stepsGiven = spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--steps");
        // the Vector API kernels run interpreted until C2 has compiled them: even a quick run warms up for ~1.5 s
        JmhRuns.Lengths len = quick ? new JmhRuns.Lengths(3, stepsGiven ? iterations : 2, TimeValue.milliseconds(500))
                : new JmhRuns.Lengths(3, iterations, TimeValue.seconds(1));
        Path out = run.out();
        Files.createDirectories(out);
        rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "side-by-side benchmarks%s, threads %s, JMH %d warm-up + %d measured iterations "
                + "of %s; machine: %d cores, load %s%n%n", quick ? " (quick)" : "", threads, len.warmups(), len.iterations(),
                len.time(), Runtime.getRuntime().availableProcessors(), load());
        try (Progress bar = Progress.start("bench", (long) only.size() * threads.size())) {
            for (String c : only) {
                for (int t : threads) {
                    switch (c) {
                        case "gemm" -> gemm(t, len);
                        case "blas1" -> blas1(t, len);
                        case "optim" -> optim(t, len);
                        case "lstm" -> lstm(t, len);
                        default -> throw new IllegalStateException(c);
                    }
                    bar.step(c + ", " + t + " thread(s)");
                }
            }
        }
        report(out, len);
        return 0;
    }

    private void gemm(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> sizes = quick ? List.of("256") : List.of("256", "512", "1024");
        List<JmhRuns.Score> ours = JmhRuns.run("GemmBenchmark", Map.of("n", sizes), t, len);
        Map<String, Double> base = new HashMap<>();
        String missing = null;
        if (!noBaselines) {
            List<String> args = new ArrayList<>(List.of(Integer.toString(t)));
            args.addAll(sizes);
            var o = PythonBaseline.run(NUMPY_PYTHONS, "numpy", compareDir.resolve("numpy_gemm.py"), args, blasEnv(t));
            used("gemm", o);
            missing = o.missing();
            for (String l : o.lines()) { // "n threads gflops best kernel"
                String[] f = l.split(" ");
                base.put(f[0], Double.parseDouble(f[2]));
            }
        } else {
            missing = "not run (--no-baselines)";
        }
        for (JmhRuns.Score s : ours) {
            String n = s.params().get("n");
            double nn = Double.parseDouble(n);
            double gflops = 2 * nn * nn * nn / s.seconds() / 1e9;
            rows.add(new Row("gemm vs numpy/OpenBLAS sgemm", "n = " + n, t, "GFLOP/s", gflops, base.get(n), missing));
        }
    }

    private void blas1(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> sizes = quick ? List.of("100000", "1000000") : List.of("10000", "1000000", "10000000");
        List<JmhRuns.Score> ours = JmhRuns.run("Blas1Benchmark", Map.of("n", sizes), t, len);
        Map<String, Double> base = new HashMap<>();
        String missing = null;
        if (!noBaselines) {
            Map<String, String> env = blasEnv(t);
            env.put("SIZES", String.join(",", sizes));
            var o = PythonBaseline.run(NUMPY_PYTHONS, "numpy, scipy", compareDir.resolve("numpy_blas1.py"),
                    List.of(Integer.toString(t)), env);
            used("blas1", o);
            missing = o.missing();
            for (String l : o.lines()) { // "op\tn\tus"
                String[] f = l.split("\t");
                base.put(f[0] + " " + f[1], Double.parseDouble(f[2]) * 1e-6);
            }
        } else {
            missing = "not run (--no-baselines)";
        }
        for (JmhRuns.Score s : ours) {
            String n = s.params().get("n");
            int bytes = s.method().equals("dot") ? 8 : 12;
            double gbs = bytes * Double.parseDouble(n) / s.seconds() / 1e9;
            Double b = base.get(s.method() + " " + n);
            rows.add(new Row("s" + s.method() + " vs OpenBLAS (scipy)", "n = " + n, t, "GB/s", gbs,
                    b == null ? null : bytes * Double.parseDouble(n) / b / 1e9, missing));
        }
    }

    private void optim(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> methods = quick ? List.of("sgd-momentum", "adam") : List.of("sgd", "sgd-momentum", "nesterov", "rmsprop", "adam");
        List<String> sizes = quick ? List.of("1000000") : List.of("1000000", "10000000");
        List<JmhRuns.Score> ours = JmhRuns.run("OptimizerStepBenchmark", Map.of("method", methods, "size", sizes), t, len);
        Map<String, Double> base = new HashMap<>();
        String missing = null;
        if (!noBaselines) {
            Map<String, String> env = new HashMap<>();
            env.put("SIZES", String.join(",", sizes));
            env.put("METHODS", String.join(",", methods.stream().filter(TORCH_METHODS::contains).toList()));
            var o = PythonBaseline.run(TORCH_PYTHONS, "torch", compareDir.resolve("torch_optim.py"),
                    List.of(Integer.toString(t)), env);
            used("optim", o);
            missing = o.missing();
            for (String l : o.lines()) { // "method\tsize\tus\tmode"
                String[] f = l.split("\t");
                base.put(f[0] + " " + f[1], Double.parseDouble(f[2]));
            }
        } else {
            missing = "not run (--no-baselines)";
        }
        for (JmhRuns.Score s : ours) {
            String m = s.params().get("method");
            String size = s.params().get("size");
            rows.add(new Row("optimizer step vs PyTorch CPU", m + ", " + size + " params", t, "us/step",
                    s.seconds() * 1e6, base.get(m + " " + size), missing));
        }
    }

    private void lstm(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> cells = quick ? List.of("lstm") : List.of("lstm", "momentum-lstm", "adam-lstm", "rmsprop-lstm", "sr-lstm");
        List<String> hidden = List.of("128");
        List<JmhRuns.Score> ours = JmhRuns.run("LstmBenchmark", Map.of("cell", cells, "hidden", hidden), t,
                new JmhRuns.Lengths(quick ? 1 : 2, quick ? 1 : Math.min(3, len.iterations()), len.time()));
        Map<String, Double> base = new HashMap<>();
        String missing = null;
        if (!noBaselines) {
            Map<String, String> env = new HashMap<>(Map.of("OMP_NUM_THREADS", Integer.toString(t),
                    "OPENBLAS_NUM_THREADS", Integer.toString(t), "REPS", quick ? "1" : "3", "WARMUP", "1"));
            List<String> args = new ArrayList<>(List.of(Integer.toString(t)));
            args.addAll(hidden);
            var o = PythonBaseline.run(TORCH_PYTHONS, "torch", compareDir.resolve("torch_lstm.py"), args, env);
            used("lstm", o);
            missing = o.missing();
            for (String l : o.lines()) { // "hidden threads ms us_per_sample"
                String[] f = l.split(" ");
                base.put(f[0], Double.parseDouble(f[3]));
            }
        } else {
            missing = "not run (--no-baselines)";
        }
        for (JmhRuns.Score s : ours) {
            String h = s.params().get("hidden");
            rows.add(new Row("LSTM training step (784 steps, batch 64) vs PyTorch nn.LSTM", s.params().get("cell")
                    + ", hidden " + h, t, "us/sample", s.seconds() * 1e6 / 64, base.get(h), missing));
        }
    }

    private static Map<String, String> blasEnv(int t) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(t));
        env.put("OMP_NUM_THREADS", Integer.toString(t));
        env.put("OPENBLAS_CORETYPE", null); // set on some machines for old OpenBLAS builds; slows a current numpy
        env.put("OPENBLAS_L2_SIZE", null);
        return env;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void report(Path out, JmhRuns.Lengths len) throws IOException {
        List<String> header = List.of("comparison", "case", "threads", "unit", "Inertia", "baseline",
                "ratio (Inertia speed / baseline speed)", "note");
        List<List<String>> table = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-58s %-28s %3s %10s %10s %10s %7s%n", "comparison", "case", "thr", "unit",
                "Inertia", "baseline", "ratio");
        List<String> cats = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Row r : rows) {
            Double ratio = r.ratio();
            String b = r.baseline() == null ? "missing" : String.format(Locale.ROOT, "%.2f", r.baseline());
            String q = ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
            System.out.printf(Locale.ROOT, "%-58s %-28s %3d %10s %10.2f %10s %7s%n", r.comparison(), r.what(), r.threads(),
                    r.unit(), r.ours(), b, q);
            String note = r.baseline() == null && r.note() != null ? "baseline missing: " + r.note() : "";
            if (!note.isEmpty()) {
                missing.put(r.comparison(), r.note());
            }
            table.add(List.of(r.comparison(), r.what(), Integer.toString(r.threads()), r.unit(),
                    String.format(Locale.ROOT, "%.3f", r.ours()), b, q, note));
            if (ratio != null) {
                cats.add(r.what() + " (" + r.threads() + "t)");
                ratios.add(ratio);
            }
        }
        missing.forEach((c, why) -> System.out.println("baseline missing for " + c + ": " + why));
        interpreters.forEach((c, py) -> System.out.println("baseline of " + c + ": " + py));
        Csv.table(out.resolve("bench-results.csv"), header, table);
        HtmlReport report = new HtmlReport("Side-by-side benchmarks");
        report.paragraph("Inertia's JMH benchmarks (forked JVM, " + len.warmups() + " warm-up and " + len.iterations()
                + " measured iterations of " + len.time() + "; the LSTM step in single-shot mode) next to the Python "
                + "baselines of bench/compare/. Ratios are Inertia's speed over the baseline's: above 1 Inertia is "
                + "faster. Timings on a shared machine are noisy; bench/RESULTS.md has the quiet-machine numbers.");
        report.code("command", CommandLines.of(spec));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("threads", threads.toString());
        settings.put("quick", Boolean.toString(quick));
        settings.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        settings.put("load average at the end", load());
        interpreters.forEach((c, py) -> settings.put("baseline of " + c, py));
        report.settings(settings);
        report.table("Results", header, table);
        if (!ratios.isEmpty()) {
            Plots.bars("Inertia speed / baseline speed", "ratio", cats, ratios, out.resolve("bench-ratios"));
            report.image("ratios", out.resolve("bench-ratios.png"));
        }
        report.write(out.resolve("bench.html"));
        System.out.println();
        System.out.println("bench-results.csv and bench.html written to " + out.toAbsolutePath());
    }
}
