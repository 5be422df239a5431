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
import org.inertia.app.experiments.HtmlReport;
import org.inertia.app.experiments.ImageData;
import org.inertia.app.experiments.LogisticRegression;
import org.inertia.app.experiments.Plots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia logreg}: Case III of the lectures, logistic regression on Fashion-MNIST (or MNIST) with
 * SGD, NAG, SRSGD and Adam; training loss against iterations, training loss and test accuracy per epoch.
 */
@Command(name = "logreg", mixinStandardHelpOptions = true,
        description = "Logistic regression on Fashion-MNIST (Case III): SGD, NAG, SRSGD, Adam; loss and accuracy curves.")
final class LogregCommand implements Callable<Integer> {
    @Mixin
    EpochsOption epochsOption = new EpochsOption(5);

    @Mixin
    RunOptions run = new RunOptions("logreg");

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--batch", paramLabel = "B", description = "mini-batch size (default: ${DEFAULT-VALUE})")
    int batch = 128;

    @Option(names = "--lr", paramLabel = "S", description = "step size of SGD, NAG and SRSGD (Adam uses 1e-3) (default: ${DEFAULT-VALUE})")
    double lr = 0.1;

    @Option(names = "--restart", paramLabel = "F", description = "SRSGD restart period F in iterations (default: ${DEFAULT-VALUE})")
    long restart = 100;

    @Option(names = "--eval-every", paramLabel = "K", description = "full training-loss evaluation every K iterations (default: ${DEFAULT-VALUE})")
    int evalEvery = 50;

    @Option(names = {"--methods", "--optimizers"}, split = ",", paramLabel = "NAME",
            description = "methods to run, any of: SGD, NAG, SRSGD, Adam, QHM, Lion, NAdam, RAdam, Adamax, QHAdam, AdEMAMix, "
                    + "SF-SGD, SF-AdamW (case-insensitive; default: SGD, NAG, SRSGD, Adam)")
    List<String> methods = new ArrayList<>(LogisticRegression.METHODS);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int epochs = epochsOption.get();
        OptionValues.atLeast(spec, "--batch", batch, 1);
        OptionValues.positive(spec, "--lr", lr);
        if (restart < 1) {
            throw OptionValues.error(spec, "Invalid value '" + restart + "' for option '--restart': must be at least 1");
        }
        OptionValues.atLeast(spec, "--eval-every", evalEvery, 1);
        List<String> chosen = new ArrayList<>();
        for (String m : methods) {
            String canon = LogisticRegression.ALL_METHODS.stream().filter(x -> x.equalsIgnoreCase(m.trim())).findFirst()
                    .orElseThrow(() -> OptionValues.error(spec, "Invalid value '" + m + "' for option '--methods': use "
                            + String.join(", ", LogisticRegression.ALL_METHODS)));
            chosen.add(canon);
        }
        Path out = run.out();
        var s = new LogisticRegression.Settings(epochs, batch, lr, restart, evalEvery, run.seed());
        Map<String, LogisticRegression.Curves> curves;
        int nTrain;
        int nTest;
        try (ImageData d = data.load()) {
            nTrain = d.train().size();
            nTest = d.test().size();
            System.out.printf(Locale.ROOT, "logistic regression on %s (%d train, %d test images from %s), %d epochs, "
                    + "batch %d, lr %s, SRSGD restart every %d iterations%n%n", data.name(), nTrain, nTest,
                    d.directory(), epochs, batch, lr, restart);
            curves = LogisticRegression.run(d.train(), d.test(), chosen, s);
        }

        Map<String, double[][]> lossSeries = new LinkedHashMap<>();
        Map<String, double[]> epochLoss = new LinkedHashMap<>();
        Map<String, double[]> epochAcc = new LinkedHashMap<>();
        curves.forEach((m, c) -> {
            lossSeries.put(m, new double[][] {c.iterations(), c.trainLoss()});
            epochLoss.put(m, c.epochTrainLoss());
            epochAcc.put(m, c.epochTestAccuracy());
        });
        Csv.series(out.resolve("logreg-train-loss.csv"), "iteration", "training loss", lossSeries);
        Csv.columns(out.resolve("logreg-epoch-train-loss.csv"), "epoch", epochLoss);
        Csv.columns(out.resolve("logreg-epoch-test-accuracy.csv"), "epoch", epochAcc);
        Plots.xy("Logistic regression on " + data.name() + ": training loss (whole training set)", "iteration",
                "cross-entropy", lossSeries, false, true, out.resolve("logreg-train-loss"));
        Plots.xy("Logistic regression on " + data.name() + ": test accuracy after each epoch", "epoch",
                "test accuracy", epochSeries(epochAcc), false, false,
                out.resolve("logreg-test-accuracy"));

        List<String> header = List.of("optimizer", "final training loss", "best training loss", "final test accuracy",
                "best test accuracy", "seconds");
        List<List<String>> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-8s %20s %20s %20s %20s %9s%n", header.toArray());
        curves.forEach((m, c) -> {
            double finalLoss = c.trainLoss()[c.trainLoss().length - 1];
            double bestLoss = java.util.Arrays.stream(c.trainLoss()).min().orElse(Double.NaN);
            double finalAcc = c.epochTestAccuracy()[epochs - 1];
            double bestAcc = java.util.Arrays.stream(c.epochTestAccuracy()).max().orElse(Double.NaN);
            List<String> r = List.of(m, f4(finalLoss), f4(bestLoss), f4(finalAcc), f4(bestAcc),
                    String.format(Locale.ROOT, "%.1f", c.seconds()));
            System.out.printf(Locale.ROOT, "%-8s %20s %20s %20s %20s %9s%n", r.toArray());
            rows.add(r);
        });
        Csv.table(out.resolve("logreg-summary.csv"), header, rows);

        HtmlReport report = new HtmlReport("Logistic regression (Case III): SGD, NAG, SRSGD, Adam");
        report.paragraph("Multinomial logistic regression softmax(Wx + b) on " + data.name() + " pixels in [0, 1], "
                + "mini-batch cross-entropy. NAG uses the convex schedule (k-1)/(k+2); SRSGD restarts that schedule "
                + "every F iterations; Adam (lr 1e-3) is a reference. The lectures claim NAG accumulates the "
                + "gradient noise and SRSGD does best. The training loss is evaluated on the whole training set.");
        report.code("command", CommandLines.of(spec));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data", data.name() + ", " + nTrain + " train / " + nTest + " test images");
        settings.put("epochs", Integer.toString(epochs));
        settings.put("batch", Integer.toString(batch));
        settings.put("lr (SGD, NAG, SRSGD)", Double.toString(lr));
        settings.put("SRSGD restart period F", restart + " iterations");
        settings.put("Adam", "lr 1e-3, betas (0.9, 0.999)");
        settings.put("seed", Long.toString(run.seed()));
        report.settings(settings);
        report.table("Results", header, rows);
        report.image("Training loss on the whole training set against iterations, per optimizer",
                out.resolve("logreg-train-loss.png"), "logreg-train-loss.csv", "logreg-epoch-train-loss.csv");
        report.image("Test accuracy after each epoch, per optimizer", out.resolve("logreg-test-accuracy.png"),
                "logreg-epoch-test-accuracy.csv");
        report.link("the results table as CSV", "logreg-summary.csv");
        report.write(out.resolve("logreg.html"));
        System.out.println();
        System.out.println("CSV, PNG and SVG curves and logreg.html written to " + out.toAbsolutePath());
        return 0;
    }

    static Map<String, double[][]> epochSeries(Map<String, double[]> perEpoch) {
        Map<String, double[][]> s = new LinkedHashMap<>();
        perEpoch.forEach((m, v) -> {
            double[] x = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                x[i] = i + 1;
            }
            s.put(m, new double[][] {x, v});
        });
        return s;
    }

    static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
