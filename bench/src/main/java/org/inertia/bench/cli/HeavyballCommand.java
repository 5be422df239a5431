package org.inertia.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.inertia.bench.experiments.HeavyBallStudy;
import org.inertia.bench.experiments.HtmlReport;
import org.inertia.bench.experiments.Plots;
import org.inertia.optim.HeavyBallTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./inertia heavyball}: the damping study — per-eigendirection dynamics for β = 0.9 and 0.999,
 * the spectral radius against curvature, and the critically damped β = (1 − 1/√κ)² against GD's rate.
 */
@Command(name = "heavyball", mixinStandardHelpOptions = true,
        description = "Heavy-ball damping study on a quadratic: eigendirection dynamics, spectral radius, critical damping.")
final class HeavyballCommand implements Callable<Integer> {
    @Option(names = "--kappa", description = "condition number L/mu (default: ${DEFAULT-VALUE})")
    double kappa = 1e4;

    @Option(names = "--steps", description = "iterations of the eigendirection dynamics (default: ${DEFAULT-VALUE})")
    int steps = 2000;

    @Option(names = "--seed", description = "unused (the study is deterministic); accepted like every verb")
    long seed = 1;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("out", "heavyball");

    @Override
    public Integer call() throws IOException {
        if (!(kappa > 1)) {
            throw new IllegalArgumentException("--kappa must be > 1, got " + kappa);
        }
        Files.createDirectories(out);
        double lMax = 1;
        double lMin = 1 / kappa;
        double alpha = 1 / lMax;
        HeavyBallTuning critical = HeavyBallTuning.of(lMax, lMin);
        double[] betas = {0, 0.9, 0.999, critical.beta()};

        Map<String, double[][]> dynamics = new LinkedHashMap<>();
        double[] ks = new double[steps];
        for (int k = 0; k < steps; k++) {
            ks[k] = k;
        }
        for (double beta : new double[] {0.9, 0.999}) {
            for (double h : new double[] {lMin, lMax}) {
                double[] x = HeavyBallStudy.trajectory(alpha, beta, h, steps);
                double[] ax = new double[steps];
                for (int k = 0; k < steps; k++) {
                    ax[k] = Math.abs(x[k]);
                }
                dynamics.put(String.format(Locale.ROOT, "beta %.3f, h = %s", beta, h == lMax ? "L" : "mu"),
                        new double[][] {ks, ax});
            }
        }
        Plots.xy("|x_k| along an eigendirection (alpha = 1/L)", "iteration k", "|x_k|", dynamics, false, true,
                out.resolve("heavyball-dynamics"));
        Plots.xy("Spectral radius against curvature (alpha = 1/L, kappa = " + kappa + ")", "curvature h",
                "spectral radius", HeavyBallStudy.radiusAgainstCurvature(lMax, lMin, betas, 400), true, false,
                out.resolve("heavyball-radius"));

        System.out.printf(Locale.ROOT, "heavy ball on a quadratic with kappa = %.3g, alpha = 1/L%n%n", kappa);
        System.out.printf(Locale.ROOT, "%-22s %14s %24s%n", "beta", "worst rho", "iterations to shrink 1e6");
        List<List<String>> rows = new ArrayList<>();
        for (double beta : betas) {
            HeavyBallTuning t = new HeavyBallTuning(alpha, beta, lMax, lMin);
            double rho = t.rate();
            double iters = HeavyBallStudy.iterationsToShrink(rho, 1e-6);
            String label = beta == 0 ? "0 (gradient descent)"
                    : beta == critical.beta() ? String.format(Locale.ROOT, "%.6f (critical)", beta)
                    : String.format(Locale.ROOT, "%.3f", beta);
            System.out.printf(Locale.ROOT, "%-22s %14.8f %24.0f%n", label, rho, iters);
            rows.add(List.of(label, String.format(Locale.ROOT, "%.8f", rho), String.format(Locale.ROOT, "%.0f", iters)));
        }
        HtmlReport report = new HtmlReport("Heavy ball: damping and the critically damped momentum");
        report.paragraph("Per eigendirection of curvature h, heavy ball is x_{k+1} = (1 + beta - alpha h) x_k - beta x_{k-1}. "
                + "With alpha = 1/L the critically damped beta = (1 - 1/sqrt(kappa))^2 makes the worst rate 1 - 1/sqrt(kappa), "
                + "against 1 - 1/kappa for gradient descent.");
        report.settings(Map.of("kappa", Double.toString(kappa), "alpha", "1/L", "steps", Integer.toString(steps)));
        report.table("Worst-case spectral radius over h in [mu, L]", List.of("beta", "rho", "iterations to shrink 1e6"), rows);
        report.image("eigendirection dynamics", out.resolve("heavyball-dynamics.png"));
        report.image("spectral radius against curvature", out.resolve("heavyball-radius.png"));
        report.write(out.resolve("heavyball.html"));
        System.out.println();
        System.out.println("plots (PNG, SVG) and heavyball.html written to " + out.toAbsolutePath());
        return 0;
    }
}
