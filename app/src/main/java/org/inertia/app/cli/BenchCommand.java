package org.inertia.app.cli;

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
import org.inertia.app.experiments.Csv;
import org.inertia.app.experiments.HtmlReport;
import org.inertia.app.experiments.JmhRuns;
import org.inertia.app.experiments.Plots;
import org.inertia.app.experiments.Progress;
import org.inertia.app.experiments.PythonBaseline;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia bench}: the side-by-side comparisons of {@code bench/compare/} in one go, with short
 * settings: our JMH benchmarks (GemmBenchmark, Blas1Benchmark, OptimizerStepBenchmark, LstmBenchmark,
 * MlpBenchmark) run in-process through JMH's Runner API, and the Python baselines (numpy/OpenBLAS, PyTorch
 * CPU) with every interpreter that has them. Every ratio is our speed over the baseline's (&gt; 1: Inertia
 * faster); a baseline that cannot run is reported as missing, never estimated.
 *
 * <p>The baseline of a row is the fastest of what is available, as a user would choose: every PyTorch build
 * found (bench/compare/baseline_info.py: $TORCH_PYTHON, a venv in the repository root, Debian's
 * python3-torch), each on its fastest optimizer path (fused, else foreach), numpy's and torch's matrix
 * products for GEMM, and for the LSTM PyTorch's best thread count. The report names which build and path
 * won each row, and prints what every baseline runs (version, BLAS library and kernel); a baseline on a
 * reference BLAS refuses to run, with the fix.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Side-by-side benchmarks (GEMM, BLAS-1, optimizer steps, LSTM, MLP) against numpy/OpenBLAS and PyTorch, with ratios.",
            "The baseline of each row is the fastest PyTorch build (Debian's, a venv, $TORCH_PYTHON) on its fastest path.",
            "--steps sets JMH's measured iterations; --seed is accepted, the benchmarks use their own fixed seeds."})
final class BenchCommand implements Callable<Integer> {
    static final List<String> COMPARISONS = List.of("gemm", "blas1", "optim", "lstm", "mlp");
    /** The optimizer methods both OptimizerStepBenchmark and torch_optim.py have. */
    private static final List<String> TORCH_METHODS = List.of("sgd", "sgd-momentum", "nesterov", "adagrad", "rmsprop",
            "adam", "adamw", "rprop", "nadam", "radam", "adamax");

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "gemm, blas1, optim, lstm, mlp (default: all)")
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

    /** One comparison row; {@code by} names the baseline that won the row (build, path, threads). */
    record Row(String comparison, String what, int threads, String unit, double ours, Double baseline, String note,
               String by) {
        Double ratio() {
            if (baseline == null) {
                return null;
            }
            return unit.endsWith("/s") ? ours / baseline : baseline / ours; // a rate: higher is better; a time: lower
        }
    }

    List<Row> rows;

    /** What each baseline ran, by comparison and baseline label: interpreter, versions, BLAS, paths. */
    final Map<String, String> interpreters = new LinkedHashMap<>();

    private final Map<String, List<String>> pythons = new HashMap<>();

    /** A baseline figure and who produced it. */
    record Best(double value, String by) {
    }

    /** The best figure per key over all baseline runs of one comparison, and why runs were missing. */
    static final class Baselines {
        final Map<String, Best> best = new HashMap<>();
        final List<String> missing = new ArrayList<>();
        private final boolean higherIsBetter;

        Baselines(boolean higherIsBetter) {
            this.higherIsBetter = higherIsBetter;
        }

        /** Keeps {@code value} for {@code key} if it beats what is there. */
        void offer(String key, double value, String by) {
            Best b = best.get(key);
            if (b == null || (higherIsBetter ? value > b.value() : value < b.value())) {
                best.put(key, new Best(value, by));
            }
        }

        /** The reason to print where a row has no baseline: every run's reason, or that none had the case. */
        String note() {
            return missing.isEmpty() ? "no baseline run has this case" : String.join("; ", missing);
        }
    }

    /** Parses one data line of a baseline script into offers. */
    @FunctionalInterface
    private interface LineParser {
        void parse(String line, PythonBaseline.Output o, Baselines into);
    }

    private List<String> pythons(String module) throws InterruptedException {
        List<String> ps = pythons.get(module);
        if (ps == null) {
            ps = PythonBaseline.interpreters(compareDir, module);
            pythons.put(module, ps);
        }
        return ps;
    }

    /**
     * Runs {@code script} with every interpreter of {@code module} ({@code firstOnly}: the first) and each of
     * {@code envs}, merging the parsed figures into the best per key.
     */
    private Baselines baselines(String comparison, String module, boolean firstOnly, String script, List<String> args,
            List<Map<String, String>> envs, boolean higherIsBetter, LineParser parser)
            throws IOException, InterruptedException {
        Baselines b = new Baselines(higherIsBetter);
        if (noBaselines) {
            b.missing.add("not run (--no-baselines)");
            return b;
        }
        List<String> ps = pythons(module);
        if (ps.isEmpty()) {
            b.missing.add(PythonBaseline.noInterpreter(module));
            return b;
        }
        for (String py : firstOnly ? ps.subList(0, 1) : ps) {
            for (Map<String, String> env : envs) {
                PythonBaseline.Output o = PythonBaseline.run(py, module.equals("scipy") ? "numpy, scipy" : module,
                        compareDir.resolve(script), args, env);
                if (!o.available()) {
                    b.missing.add(o.missing());
                    continue;
                }
                interpreters.putIfAbsent(comparison + " [" + o.label() + "]", o.interpreter() + ": "
                        + String.join("; ", o.description().stream().filter(d -> !d.startsWith("torch threads")).toList()));
                for (String l : o.lines()) {
                    parser.parse(l, o, b);
                }
            }
        }
        return b;
    }

    @Override
    public Integer call() throws IOException, RunnerException, InterruptedException {
        int iterations = stepsOption.get();
        for (String o : only) {
            if (!COMPARISONS.contains(o)) {
                throw OptionValues.error(spec, "Invalid value '" + o + "' for option '--only': use " + String.join(", ", COMPARISONS));
            }
        }
        for (int t : threads) {
            OptionValues.atLeast(spec, "--threads", t, 1);
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
                        case "mlp" -> mlp(t, len);
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
        List<String> args = new ArrayList<>(List.of(Integer.toString(t)));
        args.addAll(sizes);
        LineParser gflops = (l, o, into) -> { // "n threads gflops best [kernel]"
            String[] f = l.split(" ");
            into.offer(f[0], Double.parseDouble(f[2]), o.label() + (o.label().startsWith("torch") ? " mm" : ""));
        };
        Baselines base = baselines("gemm", "numpy", true, "numpy_gemm.py", args, List.of(blasEnv(t)), true, gflops);
        Baselines torch = baselines("gemm", "torch", false, "torch_gemm.py", args, List.of(blasEnv(t)), true, gflops);
        torch.best.forEach((k, v) -> base.offer(k, v.value(), v.by()));
        base.missing.addAll(torch.missing);
        for (JmhRuns.Score s : ours) {
            String n = s.params().get("n");
            double nn = Double.parseDouble(n);
            double g = 2 * nn * nn * nn / s.seconds() / 1e9;
            add("gemm vs OpenBLAS (numpy) and torch.mm", "n = " + n, t, "GFLOP/s", g, base, n);
        }
    }

    private void add(String comparison, String what, int t, String unit, double ours, Baselines base, String key) {
        Best b = base.best.get(key);
        rows.add(new Row(comparison, what, t, unit, ours, b == null ? null : b.value(), b == null ? base.note() : null,
                b == null ? null : b.by()));
    }

    private void blas1(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> sizes = quick ? List.of("100000", "1000000") : List.of("10000", "1000000", "10000000");
        List<JmhRuns.Score> ours = JmhRuns.run("Blas1Benchmark", Map.of("n", sizes), t, len);
        Map<String, String> env = blasEnv(t);
        env.put("SIZES", String.join(",", sizes));
        Baselines base = baselines("blas1", "scipy", true, "numpy_blas1.py", List.of(Integer.toString(t)), List.of(env),
                true, (l, o, into) -> { // "op\tn\tus"
                    String[] f = l.split("\t");
                    int bytes = f[0].equals("dot") ? 8 : 12;
                    // offered as GB/s so the best is the highest
                    into.offer(f[0] + " " + f[1], bytes * Double.parseDouble(f[1]) / (Double.parseDouble(f[2]) * 1e-6) / 1e9,
                            "OpenBLAS via " + o.label());
                });
        for (JmhRuns.Score s : ours) {
            String n = s.params().get("n");
            int bytes = s.method().equals("dot") ? 8 : 12;
            double gbs = bytes * Double.parseDouble(n) / s.seconds() / 1e9;
            add("s" + s.method() + " vs OpenBLAS (scipy)", "n = " + n, t, "GB/s", gbs, base, s.method() + " " + n);
        }
    }

    private void optim(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> methods = quick ? List.of("sgd-momentum", "adam") : List.of("sgd", "sgd-momentum", "nesterov", "rmsprop", "adam");
        List<String> sizes = quick ? List.of("1000000") : List.of("1000000", "10000000");
        List<JmhRuns.Score> ours = JmhRuns.run("OptimizerStepBenchmark", Map.of("method", methods, "size", sizes), t, len);
        Map<String, String> env = blasEnv(t);
        env.put("SIZES", String.join(",", sizes));
        env.put("METHODS", String.join(",", methods.stream().filter(TORCH_METHODS::contains).toList()));
        Baselines base = baselines("optim", "torch", false, "torch_optim.py", List.of(Integer.toString(t)), List.of(env),
                false, (l, o, into) -> { // "method\tsize\tus\tpath"
                    String[] f = l.split("\t");
                    into.offer(f[0] + " " + f[1], Double.parseDouble(f[2]), o.label() + " " + f[3]);
                });
        for (JmhRuns.Score s : ours) {
            String m = s.params().get("method");
            String size = s.params().get("size");
            add("optimizer step vs PyTorch CPU (fused/foreach)", m + ", " + size + " params", t, "us/step",
                    s.seconds() * 1e6, base, m + " " + size);
        }
    }

    private void lstm(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> cells = quick ? List.of("lstm") : List.of("lstm", "momentum-lstm", "adam-lstm", "rmsprop-lstm", "sr-lstm");
        List<String> hidden = List.of("128");
        List<JmhRuns.Score> ours = JmhRuns.run("LstmBenchmark", Map.of("cell", cells, "hidden", hidden), t,
                new JmhRuns.Lengths(quick ? 1 : 2, quick ? 1 : Math.min(3, len.iterations()), len.time()));
        // PyTorch at its best thread count: every count up to the cores (the Inertia side keeps t threads)
        Baselines base = new Baselines(false);
        int cores = Runtime.getRuntime().availableProcessors();
        for (int pt = 1; pt <= Math.max(1, Math.min(cores, Math.max(2, t))); pt++) {
            Map<String, String> env = blasEnv(pt);
            env.put("REPS", quick ? "1" : "3");
            env.put("WARMUP", "1");
            env.put("MODELS", quick ? "nn.LSTM" : "nn.LSTM,momentum-lstm-loop");
            List<String> args = new ArrayList<>(List.of(Integer.toString(pt)));
            args.addAll(hidden);
            Baselines b = baselines("lstm", "torch", false, "torch_lstm.py", args, List.of(env), false,
                    (l, o, into) -> { // "model hidden threads ms us_per_sample"
                        String[] f = l.split(" ");
                        into.offer(f[0] + " " + f[1], Double.parseDouble(f[4]), o.label() + " " + f[0] + ", " + f[2]
                                + " thr");
                    });
            b.best.forEach((k, v) -> base.offer(k, v.value(), v.by()));
            base.missing.addAll(b.missing);
        }
        for (JmhRuns.Score s : ours) {
            String h = s.params().get("hidden");
            String cell = s.params().get("cell");
            double us = s.seconds() * 1e6 / 64;
            add("LSTM training step (784 steps, batch 64) vs PyTorch nn.LSTM", cell + ", hidden " + h, t, "us/sample", us,
                    base, "nn.LSTM " + h);
            if (cell.equals("momentum-lstm") && !quick) {
                add("MomentumLSTM step vs the PyTorch loop a user writes for it", cell + ", hidden " + h, t, "us/sample",
                        us, base, "momentum-lstm-loop " + h);
            }
        }
    }

    private void mlp(int t, JmhRuns.Lengths len) throws RunnerException, IOException, InterruptedException {
        List<String> batches = quick ? List.of("64") : List.of("64", "256");
        // the first steps run interpreted for seconds (see MlpBenchmark): at least 4 one-second warm-ups
        JmhRuns.Lengths mlpLen = new JmhRuns.Lengths(Math.max(4, len.warmups()), len.iterations(),
                len.time().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) < 1000 ? TimeValue.seconds(1) : len.time());
        List<JmhRuns.Score> ours = JmhRuns.run("MlpBenchmark", Map.of("batch", batches), t, mlpLen);
        Map<String, String> env = blasEnv(t);
        if (quick) {
            env.put("WARMUP_S", "0.5");
            env.put("RUNS", "3");
        }
        List<String> args = new ArrayList<>(List.of(Integer.toString(t)));
        args.addAll(batches);
        Baselines base = baselines("mlp", "torch", false, "torch_mlp.py", args, List.of(env), true,
                (l, o, into) -> { // "batch threads us_per_step samples_per_s path"
                    String[] f = l.split(" ");
                    into.offer(f[0], Double.parseDouble(f[3]), o.label() + " Adam " + f[4]);
                });
        for (JmhRuns.Score s : ours) {
            String b = s.params().get("batch");
            add("MLP 784-128-10 training step (Adam) vs PyTorch CPU", "batch " + b, t, "samples/s",
                    Double.parseDouble(b) / s.seconds(), base, b);
        }
    }

    private static Map<String, String> blasEnv(int t) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(t));
        env.put("OMP_NUM_THREADS", Integer.toString(t));
        env.put("MKL_NUM_THREADS", Integer.toString(t)); // the pip PyTorch wheels run MKL
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
                "ratio (Inertia speed / baseline speed)", "baseline run", "note");
        List<List<String>> table = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-58s %-28s %3s %10s %10s %10s %7s  %s%n", "comparison", "case", "thr", "unit",
                "Inertia", "baseline", "ratio", "baseline run");
        List<String> cats = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Row r : rows) {
            Double ratio = r.ratio();
            String b = r.baseline() == null ? "missing" : String.format(Locale.ROOT, "%.2f", r.baseline());
            String q = ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
            System.out.printf(Locale.ROOT, "%-58s %-28s %3d %10s %10.2f %10s %7s  %s%n", r.comparison(), r.what(),
                    r.threads(), r.unit(), r.ours(), b, q, r.by() == null ? "" : r.by());
            String note = r.baseline() == null && r.note() != null ? "baseline missing: " + r.note() : "";
            if (!note.isEmpty()) {
                missing.put(r.comparison(), r.note());
            }
            table.add(List.of(r.comparison(), r.what(), Integer.toString(r.threads()), r.unit(),
                    String.format(Locale.ROOT, "%.3f", r.ours()), b, q, r.by() == null ? "" : r.by(), note));
            if (ratio != null) {
                cats.add(r.what() + " (" + r.threads() + "t)");
                ratios.add(ratio);
            }
        }
        missing.forEach((c, why) -> System.out.println("baseline missing for " + c + ": " + why));
        interpreters.forEach((c, py) -> System.out.println("baseline of " + c + ": " + py));
        if (pythons.containsKey("torch") && pythons.get("torch").size() < 2) {
            System.out.println("note: " + pythons.get("torch").size() + " PyTorch build(s) found; the baseline should be the "
                    + "faster of Debian's python3-torch (with OpenBLAS) and current PyTorch: python3 -m venv .venv-torch && "
                    + ".venv-torch/bin/pip install torch numpy (or set TORCH_PYTHON)");
        }
        Csv.table(out.resolve("bench-results.csv"), header, table);
        HtmlReport report = new HtmlReport("Side-by-side benchmarks");
        report.paragraph("Inertia's JMH benchmarks (forked JVM, " + len.warmups() + " warm-up and " + len.iterations()
                + " measured iterations of " + len.time() + "; the LSTM step in single-shot mode) next to the Python "
                + "baselines of bench/compare/. Ratios are Inertia's speed over the baseline's: above 1 Inertia is "
                + "faster. The baseline of a row is the fastest PyTorch build and path found (the column 'baseline run'). "
                + "Timings on a shared machine are noisy; bench/RESULTS.md has the quiet-machine numbers.");
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
