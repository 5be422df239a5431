package org.inertia.app.cli;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.inertia.kernels.cpu.Blas1Scalar;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.GemmScalar;
import org.inertia.app.experiments.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./inertia demo}: the main job. A kernel showcase (each CPU kernel family checked against its
 * double reference and timed), then the lectures' experiments that need no data: the convex quadratic in
 * all three gradient regimes, the heavy-ball damping study, and a short copying-task run. Writes CSV,
 * plots and HTML reports under {@code --out}; about a minute on 2 cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Kernel showcase, then the quadratic experiments, the heavy-ball study and a short copying-task run.",
            "--steps sets the iterations of the quadratic experiments."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--gemm-n", description = "matrix size for the GEMM timing (default: ${DEFAULT-VALUE})")
    int gemmN = 1024;

    @Mixin
    StepsOption stepsOption = new StepsOption(20_000);

    @Mixin
    RunOptions run = new RunOptions("demo");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private long seed;

    /** The kernel showcase's rows (kernel, check, speed), for demo.html. */
    private final java.util.List<java.util.List<String>> kernelRows = new java.util.ArrayList<>();

    private final Backend cpu = CpuBackend.get();

    @Override
    public Integer call() throws java.io.IOException {
        int steps = stepsOption.get();
        seed = run.seed();
        java.nio.file.Path out = run.out();
        boolean kernelsOk = kernelShowcase();
        System.out.println();
        System.out.println("== Experiment 1: convex quadratic, exact and noisy gradients");
        QuadraticCommand quadratic = new QuadraticCommand();
        int q = verb(quadratic, "--steps", Integer.toString(steps), "--seed", Long.toString(seed),
                "--out", out.resolve("quadratic").toString());
        System.out.println();
        System.out.println("== Heavy-ball damping study");
        HeavyballCommand heavyball = new HeavyballCommand();
        int h = verb(heavyball, "--out", out.resolve("heavyball").toString());
        System.out.println();
        System.out.println("== Copying task: LSTM and MomentumLSTM, 200 iterations; dL/dh_t of RNN vs MomentumRNN");
        RnnCommand rnn = new RnnCommand();
        int c = verb(rnn, "--task", "copying", "--cell", "lstm,momentum-lstm", "--steps", "200", "--hidden", "32",
                "--batch", "32", "--lr", "0.01", "--gradnorm-steps", "0", "--seed", Long.toString(seed),
                "--out", out.resolve("copying").toString());
        System.out.println();
        summary(out, quadratic, heavyball, rnn, steps);
        return kernelsOk && q == 0 && h == 0 && c == 0 ? 0 : 1;
    }

    /** Runs one verb as the program would (one-line failures; stack traces too under {@code --debug}). */
    private int verb(Object command, String... args) {
        boolean debug = spec != null && Main.debugRequested(spec.commandLine().getParseResult());
        return Main.configure(new picocli.CommandLine(command), debug).execute(args);
    }

    /** The summary table (stdout) and demo.html: the kernel table, the summary, every plot inline, the reports. */
    private void summary(java.nio.file.Path out, QuadraticCommand quadratic, HeavyballCommand heavyball, RnnCommand rnn,
                         int steps) throws java.io.IOException {
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        quadratic.finals.forEach((regime, m) -> rows.add(java.util.List.of("convex quadratic, "
                + QuadraticCommand.regime(org.inertia.app.experiments.QuadraticProblem.Noise.valueOf(
                        regime.toUpperCase(Locale.ROOT))),
                "f - f* after " + String.format(Locale.ROOT, "%,d", steps) + " iterations",
                "GD " + Precision.gapShort(m.get("GD")) + ", NAG " + Precision.gapShort(m.get("NAG")) + ", ARNAG "
                        + Precision.gapShort(m.get("ARNAG")) + ", SRNAG " + Precision.gapShort(m.get("SRNAG")))));
        heavyball.rates.forEach((beta, rho) -> rows.add(java.util.List.of("heavy ball, kappa = 10,000", beta,
                String.format(Locale.ROOT, "worst-case rate rho = %.6f", rho))));
        if (rnn.last != null) {
            rnn.last.forEach((cell, r) -> rows.add(java.util.List.of("copying task", cell, String.format(Locale.ROOT,
                    "held-out loss %.3f (chance %.3f), accuracy %.3f", r.heldOutLoss(), Math.log(4), r.heldOutAccuracy()))));
        }
        System.out.println("== Summary");
        for (var r : rows) {
            System.out.printf(Locale.ROOT, "%-56s %-34s %s%n", r.get(0), r.get(1), r.get(2));
        }
        var report = new org.inertia.app.experiments.HtmlReport("Inertia demo: kernels, and the lectures' experiments "
                + "that need no data");
        report.paragraph("Every CPU kernel family checked against its double-precision reference and timed on this "
                + "machine, " + CpuBackend.get() + "; then the convex quadratic with exact and noisy gradients, the "
                + "heavy-ball damping study and a short copying-task run. Each experiment has its own report, linked "
                + "below, with its settings, tables and the CSV files behind every plot.");
        report.table("Kernels against their double-precision references", java.util.List.of("kernel",
                "check against the reference", "speed"), kernelRows);
        report.table("Summary", java.util.List.of("experiment", "case", "result"), rows);
        report.link("Convex quadratic report", "quadratic/quadratic-path.html");
        for (var noise : org.inertia.app.experiments.QuadraticProblem.Noise.values()) {
            String name = "quadratic/quadratic-path-" + noise.name().toLowerCase(Locale.ROOT).replace('_', '-');
            report.imageLink("Convex quadratic, " + QuadraticCommand.regime(noise) + ": f(w_k) - f* against iterations",
                    name + ".png", name + ".csv");
        }
        report.link("Heavy-ball report", "heavyball/heavyball.html");
        report.imageLink("Heavy ball: |x_k| along the flattest and the steepest eigendirection",
                "heavyball/heavyball-dynamics.png", "heavyball/heavyball-dynamics.csv");
        report.imageLink("Heavy ball: convergence margin 1 - rho against curvature", "heavyball/heavyball-radius.png",
                "heavyball/heavyball-radius.csv");
        report.link("Copying-task report", "copying/rnn-copying.html");
        report.imageLink("Copying task: training loss of LSTM and MomentumLSTM", "copying/rnn-copying-loss.png",
                "copying/rnn-copying-loss.csv");
        report.imageLink("Copying task: norm of dL/dh_t against the time step, RNN and MomentumRNN",
                "copying/rnn-copying-gradnorm.png", "copying/rnn-copying-gradnorm.csv");
        report.write(out.resolve("demo.html"));
        System.out.println();
        System.out.println("Reports: " + out.toAbsolutePath().resolve("demo.html") + " (kernel table, summary and every "
                + "plot; links to the quadratic, heavy-ball and copying-task reports)");
    }

    private boolean kernelShowcase() {
        Random rnd = new Random(seed);
        System.out.println("Inertia kernel showcase on " + cpu);
        System.out.println("GEMM tuned for " + org.inertia.kernels.cpu.GemmProvider.describeBlocking()
                + " (override: -Dinertia.gemm.tile=MRxNR)");
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %-26s %s%n", "kernel", "check vs double reference", "speed");
        boolean ok = dot(rnd) & gemm(rnd) & elementwise(rnd) & softmax(rnd) & im2col(rnd);
        System.out.println();
        System.out.println(ok ? "All kernels agree with their references within their error bounds."
                : "SOME KERNELS DISAGREE WITH THEIR REFERENCES (see above).");
        return ok;
    }

    private static NdArray random(Random r, int... dims) {
        NdArray a = NdArray.zeros(Dtype.F32, dims);
        a.forEachOffset(o -> a.setAtOffset(o, r.nextGaussian()));
        return a;
    }

    private void row(String kernel, boolean ok, String check, String speed) {
        System.out.printf(Locale.ROOT, "%-34s %-26s %s%n", kernel, (ok ? "ok   " : "FAIL ") + check, speed);
        kernelRows.add(java.util.List.of(kernel, (ok ? "ok: " : "FAILED: ") + check, speed));
    }

    /** Median seconds of {@code reps} timed runs after {@code reps} warm-up runs. */
    private static double time(int reps, Runnable r) {
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) * 1e-9;
        }
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }

    private boolean dot(Random rnd) {
        int n = 10_000_000;
        try (NdArray x = random(rnd, n); NdArray y = random(rnd, n);
             NdArray xd = x.toDtype(Dtype.F64); NdArray yd = y.toDtype(Dtype.F64)) {
            double ref = Blas1Scalar.INSTANCE.dot(xd, yd);
            double got = cpu.blas1().dot(x, y);
            double absSum = 0;
            for (int i = 0; i < n; i += 1) {
                absSum += Math.abs(xd.getAtOffset(i) * yd.getAtOffset(i));
            }
            double err = Math.abs(got - ref) / (n * 0x1p-24 * absSum);
            double s = time(30, () -> cpu.blas1().dot(x, y));
            row("sdot, n = 1e7", err <= 1, String.format(Locale.ROOT, "err %.1e of bound", err),
                    String.format(Locale.ROOT, "%.1f GB/s", 8.0 * n / s / 1e9));
            cpu.blas1().axpy(0.5, x, y); // y ← 0.5x + y: one rounding per element, so ≤ 2^-24 relative
            double axpyErr = 0;
            for (int i = 0; i < n; i += 101) {
                double exact = 0.5 * xd.getAtOffset(i) + yd.getAtOffset(i);
                axpyErr = Math.max(axpyErr, Math.abs(y.getAtOffset(i) - exact) / (0x1p-24 * Math.abs(exact) + Double.MIN_VALUE));
            }
            double sa = time(30, () -> cpu.blas1().axpy(1e-7, x, y));
            row("saxpy, n = 1e7", axpyErr <= 1, String.format(Locale.ROOT, "err %.2f of bound", axpyErr),
                    String.format(Locale.ROOT, "%.1f GB/s", 12.0 * n / sa / 1e9));
            return err <= 1 && axpyErr <= 1;
        }
    }

    private boolean gemm(Random rnd) {
        int m = 200, k = 300, n = 150;
        boolean ok;
        try (NdArray a = random(rnd, k, m); NdArray b = random(rnd, n, k); NdArray c = NdArray.zeros(Dtype.F32, m, n);
             NdArray cd = NdArray.zeros(Dtype.F64, m, n); NdArray ad = a.toDtype(Dtype.F64); NdArray bd = b.toDtype(Dtype.F64)) {
            cpu.gemm().gemm(true, true, 1, a, b, 0, c);
            GemmScalar.INSTANCE.gemm(true, true, 1, ad, bd, 0, cd);
            double worst = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double bound = 0;
                    for (int p = 0; p < k; p++) {
                        bound += Math.abs(ad.get(p, i) * bd.get(j, p));
                    }
                    worst = Math.max(worst, Math.abs(c.get(i, j) - cd.get(i, j)) / ((k + 2) * 0x1p-24 * bound));
                }
            }
            ok = worst <= 1;
            row("sgemm A^T B^T, 200x300x150", ok, String.format(Locale.ROOT, "err %.1e of bound", worst), "(strided, transposed)");
        }
        int sz = gemmN;
        try (NdArray a = random(rnd, sz, sz); NdArray b = random(rnd, sz, sz); NdArray c = NdArray.zeros(Dtype.F32, sz, sz)) {
            double s = time(5, () -> cpu.gemm().gemm(false, false, 1, a, b, 0, c));
            row("sgemm, n = " + sz, true, "timing only", String.format(Locale.ROOT, "%.1f GFLOP/s", 2.0 * sz * sz * sz / s / 1e9));
        }
        return ok;
    }

    private boolean elementwise(Random rnd) {
        int n = 1 << 22;
        try (NdArray x = random(rnd, n); NdArray out = NdArray.zeros(Dtype.F32, n)) {
            cpu.elementwise().unary(UnaryOp.TANH, x, out);
            double worst = 0;
            for (int i = 0; i < n; i += 97) {
                double ref = Math.tanh(x.getAtOffset(i));
                worst = Math.max(worst, Math.abs(out.getAtOffset(i) - ref) / (Math.ulp((float) ref) * 4));
            }
            double s = time(20, () -> cpu.elementwise().unary(UnaryOp.TANH, x, out));
            row("tanh, n = 4M", worst <= 1, String.format(Locale.ROOT, "err %.2f of 4 ulp", worst),
                    String.format(Locale.ROOT, "%.0f M elem/s", n / s / 1e6));
            return worst <= 1;
        }
    }

    private boolean softmax(Random rnd) {
        int rows = 4096, cols = 1000;
        try (NdArray x = random(rnd, rows, cols); NdArray out = NdArray.zeros(Dtype.F32, rows, cols)) {
            x.set(1e4, 0, 0); // a logit that overflows exp() unless the max is subtracted
            cpu.reductions().softmax(x, 1, out);
            double worst = 0;
            for (int r = 0; r < rows; r += 37) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, x.get(r, c));
                }
                double z = 0;
                for (int c = 0; c < cols; c++) {
                    z += Math.exp(x.get(r, c) - max);
                }
                for (int c = 0; c < cols; c++) {
                    double ref = Math.exp(x.get(r, c) - max) / z;
                    worst = Math.max(worst, Math.abs(out.get(r, c) - ref) / (1e-5 * ref + 1e-30));
                }
            }
            double s = time(10, () -> cpu.reductions().softmax(x, 1, out));
            row("softmax rows, 4096x1000", worst <= 1, String.format(Locale.ROOT, "rel err %.1e", worst * 1e-5),
                    String.format(Locale.ROOT, "%.2f ms", s * 1e3));
            return worst <= 1;
        }
    }

    private boolean im2col(Random rnd) {
        Conv2dGeometry g = Conv2dGeometry.square(3, 1, 1, 1);
        try (NdArray img = random(rnd, 32, 16, 32, 32); NdArray cols = NdArray.zeros(Dtype.F32, 32, 16 * 9, 32 * 32)) {
            cpu.conv().im2col(img, g, cols);
            boolean ok = cols.get(3, 4, 5 * 32 + 7) == img.get(3, 0, 5, 7) // centre tap of channel 0
                    && cols.get(3, 0, 0) == 0f; // top-left tap of pixel (0,0) reads the zero padding
            double s = time(10, () -> cpu.conv().im2col(img, g, cols));
            row("im2col 3x3, 32x16x32x32", ok, "exact taps", String.format(Locale.ROOT, "%.1f GB/s written",
                    4.0 * cols.numel() / s / 1e9));
            return ok;
        }
    }
}
