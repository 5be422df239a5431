package org.inertia.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.inertia.app.experiments.BayesianLogisticRegression;
import org.inertia.app.experiments.Csv;
import org.inertia.app.experiments.HtmlReport;
import org.inertia.app.experiments.Plots;
import org.inertia.app.experiments.SamplerStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia sample}: SGLD against SGHMC on a synthetic, ill-conditioned Bayesian logistic regression
 * (momentum accelerating the sampler); needs no data.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "SGLD vs SGHMC on a Bayesian logistic regression: momentum accelerating the sampler.")
final class SampleCommand implements Callable<Integer> {
    @Mixin
    StepsOption stepsOption = new StepsOption(10_000);

    @Mixin
    RunOptions run = new RunOptions("sample");

    @Option(names = "--dim", paramLabel = "D", description = "number of features d (default: ${DEFAULT-VALUE})")
    int dim = 10;

    @Option(names = "--train-size", paramLabel = "N", description = "training points (default: ${DEFAULT-VALUE})")
    int trainSize = 5000;

    @Option(names = "--test-size", paramLabel = "M", description = "test points (default: ${DEFAULT-VALUE})")
    int testSize = 1000;

    @Option(names = "--batch", paramLabel = "B", description = "mini-batch size of the stochastic gradient; 0 = the "
            + "whole training set, i.e. exact gradients (Langevin vs Hamiltonian Monte Carlo) (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--min-scale", paramLabel = "R", description = "smallest feature standard deviation (the largest is 1) (default: ${DEFAULT-VALUE})")
    double minScale = 0.03;

    @Option(names = "--step-scale", paramLabel = "C", description = "step c/L for SGLD, c/L = s^2 for SGHMC (default: ${DEFAULT-VALUE})")
    double stepScale = 0.5;

    @Option(names = "--prior-std", paramLabel = "T", description = "prior standard deviation tau (default: ${DEFAULT-VALUE})")
    double priorStd = 10;

    @Spec
    CommandSpec spec;

    /** The traces of the last run (for the demo and tests). */
    Map<String, SamplerStudy.Trace> last;

    @Override
    public Integer call() throws IOException {
        int steps = stepsOption.get();
        OptionValues.atLeast(spec, "--dim", dim, 1);
        OptionValues.atLeast(spec, "--train-size", trainSize, 1);
        OptionValues.atLeast(spec, "--test-size", testSize, 1);
        OptionValues.atLeast(spec, "--batch", batch, 0);
        int b = batch == 0 ? trainSize : batch;
        OptionValues.inRange(spec, "--min-scale", minScale, 1e-6, 1);
        OptionValues.inRange(spec, "--step-scale", stepScale, 1e-9, 1.9);
        OptionValues.positive(spec, "--prior-std", priorStd);
        Path out = run.out();
        var model = new BayesianLogisticRegression(dim, trainSize, testSize, minScale, priorStd, run.seed());
        var curv = SamplerStudy.curvature(model);
        System.out.printf(Locale.ROOT, "Bayesian logistic regression, d = %d, N = %d, batch %d; Hessian at the mode: "
                + "L = %.4g, mu = %.4g, kappa = %.4g; %d iterations%n%n", dim, trainSize, b, curv.max(), curv.min(),
                curv.max() / curv.min(), steps);
        last = SamplerStudy.run(model, new SamplerStudy.Settings(steps, b, stepScale, run.seed()));

        Map<String, double[]> gap = new LinkedHashMap<>();
        Map<String, double[]> slow = new LinkedHashMap<>();
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, double[]> nll = new LinkedHashMap<>();
        last.forEach((m, t) -> {
            gap.put(m, t.energyGap());
            slow.put(m, t.slowCoordinate());
            acc.put(m, t.bmaAccuracy());
            nll.put(m, t.bmaNll());
        });
        Csv.columns(out.resolve("sample-energy-gap.csv"), "k", gap);
        Csv.columns(out.resolve("sample-slow-coordinate.csv"), "k", slow);
        Csv.columns(out.resolve("sample-bma-test-accuracy.csv"), "k", acc);
        Csv.columns(out.resolve("sample-bma-test-nll.csv"), "k", nll);
        Plots.logY("Energy gap U(w_k) - U(w_MAP) (stationary mean about d/2 = " + dim / 2.0 + ")", "iteration k",
                "U(w_k) - U(w_MAP)", gap, out.resolve("sample-energy-gap"));
        Plots.xy("Slowest eigendirection, in posterior standard deviations", "iteration k", "(w_k - w_MAP).u_min sqrt(mu)",
                indexed(slow), false, false, out.resolve("sample-slow-coordinate"));
        Plots.xy("Bayesian model average: test negative log-likelihood", "iteration k", "test NLL", indexed(nll), true,
                false, out.resolve("sample-bma-test-nll"));

        List<String> header = List.of("sampler", "tuning", "burn-in (iterations)", "autocorrelation time (slow direction)",
                "ESS per 1000 iterations", "BMA test accuracy", "BMA test NLL",
                "energy gap, mean over the 2nd half (about d/2 at the right temperature)");
        List<List<String>> rows = new ArrayList<>();
        last.forEach((m, t) -> {
            double ess = 1000 / t.autocorrelationTime();
            List<String> r = List.of(m, t.tuning(), t.burnIn() < 0 ? "not reached" : Integer.toString(t.burnIn()),
                    String.format(Locale.ROOT, "%.1f", t.autocorrelationTime()), String.format(Locale.ROOT, "%.1f", ess),
                    String.format(Locale.ROOT, "%.4f", t.bmaAccuracy()[steps - 1]),
                    String.format(Locale.ROOT, "%.4f", t.bmaNll()[steps - 1]),
                    String.format(Locale.ROOT, "%.2f", java.util.Arrays.stream(t.energyGap(), steps / 2, steps).average()
                            .orElse(Double.NaN)));
            rows.add(r);
            System.out.printf(Locale.ROOT, "%-6s burn-in %s iterations, autocorrelation time %s, ESS/1000 it %s, "
                    + "BMA test accuracy %s, NLL %s, energy gap (2nd half) %s   (%s)%n", m, r.get(2), r.get(3), r.get(4),
                    r.get(5), r.get(6), r.get(7), t.tuning());
        });
        Csv.table(out.resolve("sample-summary.csv"), header, rows);

        HtmlReport report = new HtmlReport("Sampling: SGLD vs SGHMC on a Bayesian logistic regression");
        report.paragraph("Posterior exp(-U(w)) of a logistic regression with an N(0, tau^2 I) prior on synthetic data "
                + "with feature scales from 1 down to " + minScale + " (an ill-conditioned posterior). SGLD: "
                + "w <- w - s grad U + sqrt(2s) xi. SGHMC: p <- p - gamma s p - s grad U + sqrt(2 gamma s) xi, "
                + "w <- w + s p. With mini-batches also SGHMC with Chen et al.'s (2014) noise correction: B = s V/2 taken "
                + "off the injected noise (friction raised to B where it is smaller, capped at 1/s), V the gradient's "
                + "variance estimated from the batch or from running moments. "
                + "All take one mini-batch gradient per iteration from w = 0, with the same step "
                + "alpha = c/L (SGHMC: s^2 = alpha, friction critically damped for the smallest curvature mu). "
                + "Burn-in: first iteration from which the 50-iteration mean energy gap is at most d. Autocorrelation "
                + "time: of the slowest eigendirection coordinate over the second half of the run.");
        report.code("command", CommandLines.of(spec));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("d, N (train), M (test)", dim + ", " + trainSize + ", " + testSize);
        settings.put("batch", b >= trainSize ? "full (exact gradients)" : Integer.toString(b));
        settings.put("Hessian at the mode", String.format(Locale.ROOT, "L = %.4g, mu = %.4g, kappa = %.4g", curv.max(),
                curv.min(), curv.max() / curv.min()));
        settings.put("step scale c", Double.toString(stepScale));
        settings.put("prior std tau", Double.toString(priorStd));
        settings.put("iterations", Integer.toString(steps));
        settings.put("seed", Long.toString(run.seed()));
        report.settings(settings);
        report.table("Results", header, rows);
        report.image("Energy gap U(w_k) - U(w_MAP) of each sampler against iterations", out.resolve("sample-energy-gap.png"),
                "sample-energy-gap.csv");
        report.image("Position along the slowest eigendirection, in posterior standard deviations",
                out.resolve("sample-slow-coordinate.png"), "sample-slow-coordinate.csv");
        report.image("Test negative log-likelihood of the Bayesian model average", out.resolve("sample-bma-test-nll.png"),
                "sample-bma-test-nll.csv", "sample-bma-test-accuracy.csv");
        report.link("the results table as CSV", "sample-summary.csv");
        report.write(out.resolve("sample.html"));
        System.out.println();
        System.out.println("CSV, PNG and SVG curves and sample.html written to " + out.toAbsolutePath());
        return 0;
    }

    static Map<String, double[][]> indexed(Map<String, double[]> curves) {
        Map<String, double[][]> s = new LinkedHashMap<>();
        curves.forEach((m, y) -> {
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = i + 1;
            }
            s.put(m, new double[][] {x, y});
        });
        return s;
    }
}
