package org.inertia.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.inertia.app.experiments.Csv;
import org.inertia.app.experiments.HeavyBallStudy;
import org.inertia.app.experiments.HtmlReport;
import org.inertia.app.experiments.Plots;
import org.inertia.optim.HeavyBallTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia heavyball}: the damping study — per-eigendirection dynamics for β = 0.9 and 0.999,
 * the spectral radius against curvature, and the critically damped β = (1 − 1/√κ)² against GD's rate.
 */
@Command(name = "heavyball", mixinStandardHelpOptions = true,
        description = {"Heavy-ball damping study on a quadratic: eigendirection dynamics, spectral radius, critical damping.",
            "--steps sets the iterations of the eigendirection dynamics; --seed is accepted (the study is deterministic)."})
final class HeavyballCommand implements Callable<Integer> {
    @Option(names = "--kappa", description = "condition number L/mu (default: ${DEFAULT-VALUE})")
    double kappa = 1e4;

    @Mixin
    StepsOption stepsOption = new StepsOption(2000);

    @Mixin
    RunOptions run = new RunOptions("heavyball"); // --seed is accepted but unused: the study is deterministic

    @Spec
    CommandSpec spec;

    /** Worst-case rate per beta label, of the last run. */
    final Map<String, Double> rates = new LinkedHashMap<>();

    /** A legend and table label for {@code beta}. */
    static String betaLabel(double beta, double critical) {
        return beta == 0 ? "beta = 0 (gradient descent)"
                : beta == critical ? String.format(Locale.ROOT, "beta = %.6f (critical)", beta)
                : String.format(Locale.ROOT, "beta = %s", beta);
    }

    @Override
    public Integer call() throws IOException {
        int steps = stepsOption.get();
        Path out = run.out();
        if (!(kappa > 1) || !Double.isFinite(kappa)) {
            throw OptionValues.error(spec, "Invalid value '" + kappa + "' for option '--kappa': must be > 1");
        }
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
                dynamics.put(String.format(Locale.ROOT, "beta = %s, %s", beta, h == lMax ? "largest curvature L"
                        : "smallest curvature mu"), new double[][] {ks, ax});
            }
        }
        Plots.xy("Heavy ball: |x_k| along one eigendirection (step 1/L)",
                "iteration k", "|x_k|", dynamics, false, true, out.resolve("heavyball-dynamics"));
        Map<String, double[][]> margins = new LinkedHashMap<>();
        HeavyBallStudy.radiusAgainstCurvature(lMax, lMin, betas, 400).forEach((name, hr) -> {
            double beta = Double.parseDouble(name.substring(name.indexOf('=') + 1).trim());
            double[] margin = new double[hr[1].length];
            for (int i = 0; i < margin.length; i++) {
                margin[i] = 1 - hr[1][i];
            }
            margins.put(betaLabel(beta, critical.beta()), new double[][] {hr[0], margin});
        });
        Plots.xy(String.format(Locale.ROOT, "Heavy ball: convergence margin 1 - rho (kappa = %,.0f)", kappa),
                "curvature h", "1 - spectral radius rho",
                margins, true, true, out.resolve("heavyball-radius"));

        System.out.printf(Locale.ROOT, "heavy ball on a quadratic with kappa = %.3g, alpha = 1/L%n%n", kappa);
        String measured = "max |x_" + steps + "| over h (measured)";
        System.out.printf(Locale.ROOT, "%-30s %14s %24s %12s %28s%n", "beta", "worst rho", "iterations to shrink 1e6",
                "rho^" + steps, measured);
        List<List<String>> rows = new ArrayList<>();
        for (double beta : betas) {
            HeavyBallTuning t = new HeavyBallTuning(alpha, beta, lMax, lMin);
            double rho = t.rate();
            double iters = HeavyBallStudy.iterationsToShrink(rho, 1e-6);
            double worst = HeavyBallStudy.worstResidual(alpha, beta, lMax, lMin, steps, 200);
            String label = betaLabel(beta, critical.beta());
            rates.put(label, rho);
            System.out.printf(Locale.ROOT, "%-30s %14.8f %24.0f %12.3e %28.3e%n", label, rho, iters,
                    Math.pow(rho, steps), worst);
            rows.add(List.of(label, String.format(Locale.ROOT, "%.8f", rho), String.format(Locale.ROOT, "%.0f", iters),
                    String.format(Locale.ROOT, "%.3e", Math.pow(rho, steps)), String.format(Locale.ROOT, "%.3e", worst)));
        }
        List<String> header = List.of("beta", "rho", "iterations to shrink 1e6", "rho^" + steps, measured);
        Csv.table(out.resolve("heavyball-rates.csv"), header, rows);
        Csv.series(out.resolve("heavyball-dynamics.csv"), "k", "|x_k|", dynamics);
        Csv.series(out.resolve("heavyball-radius.csv"), "h", "1 - spectral radius", margins);
        HtmlReport report = new HtmlReport("Heavy ball: damping and the critically damped momentum");
        report.paragraph("Per eigendirection of curvature h, heavy ball is x_{k+1} = (1 + beta - alpha h) x_k - beta x_{k-1}. "
                + "With alpha = 1/L the critically damped beta = (1 - 1/sqrt(kappa))^2 makes the worst rate 1 - 1/sqrt(kappa), "
                + "against 1 - 1/kappa for gradient descent.");
        report.settings(Map.of("kappa", org.inertia.app.experiments.Ticks.label(kappa), "alpha", "1/L", "steps", Integer.toString(steps),
                "start", "x_0 = x_{-1} = 1 in every eigendirection; measured column: 200 log-spaced h in [mu, L]"));
        report.table("Worst-case spectral radius over h in [mu, L]", header, rows);
        report.image("How |x_k| shrinks along the flattest (mu) and the steepest (L) eigendirection, for beta = 0.9 "
                + "and 0.999; values below 1e-16 are drawn at 1e-16", out.resolve("heavyball-dynamics.png"),
                "heavyball-dynamics.csv");
        report.image("Convergence margin 1 - rho of each beta against the curvature h in [mu, L]: the worst "
                + "(lowest) point of each curve sets its rate; critical damping lifts the minimum to 1/sqrt(kappa)",
                out.resolve("heavyball-radius.png"), "heavyball-radius.csv");
        report.link("the rates table as CSV", "heavyball-rates.csv");
        report.write(out.resolve("heavyball.html"));
        System.out.println();
        System.out.println("plots (PNG, SVG) and heavyball.html written to " + out.toAbsolutePath());
        return 0;
    }
}
