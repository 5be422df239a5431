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
import org.inertia.app.experiments.Plots;
import org.inertia.app.experiments.ResNetTraining;
import org.inertia.app.experiments.ResNetTraining.Block;
import org.inertia.app.experiments.ResNetTraining.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia resnet}: PreResNet or MomentumNet blocks on Fashion-MNIST, SGD (momentum 0.9) against
 * SRSGD with linear and exponential restart schedules; per-epoch loss and accuracy.
 */
@Command(name = "resnet", mixinStandardHelpOptions = true,
        description = "PreResNet / MomentumNet on Fashion-MNIST: SGD vs SRSGD (linear and exponential restart schedules).")
final class ResnetCommand implements Callable<Integer> {
    @Option(names = "--depth", paramLabel = "N", description = "network depth, 6n+2 (basic blocks) or 9n+2 (bottleneck) (default: ${DEFAULT-VALUE})")
    int depth = 8;

    @Option(names = "--block", split = ",", paramLabel = "TYPE", description = "residual or momentum, or both separated by a comma (default: residual)")
    List<String> blocks = new ArrayList<>(List.of("residual"));

    @Option(names = "--optimizer", split = ",", paramLabel = "NAME", description = "sgd or srsgd, or both (default: sgd,srsgd)")
    List<String> optimizers = new ArrayList<>(List.of("sgd", "srsgd"));

    @Option(names = "--restart-schedule", split = ",", paramLabel = "KIND",
            description = "SRSGD restart schedule: linear (F = 30, 60, 90 per stage) or exponential (40, 50, 63), or both (default: linear,exponential)")
    List<String> schedules = new ArrayList<>(List.of("linear", "exponential"));

    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu or cuda (default: ${DEFAULT-VALUE})")
    String device = "cpu";

    @Mixin
    EpochsOption epochsOption = new EpochsOption(2);

    @Mixin
    RunOptions run = new RunOptions("resnet");

    @Mixin
    DataOptions data = new DataOptions(10_000, 2000);

    @Option(names = "--batch", paramLabel = "B", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch = 128;

    @Option(names = "--lr", paramLabel = "LR", description = "initial learning rate (x0.1 at 50%% and 75%% of the iterations) (default: ${DEFAULT-VALUE})")
    double lr = 0.1;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay = 5e-4;

    @Option(names = "--gamma", paramLabel = "G", description = "momentum blocks: velocity momentum gamma in (0, 1) (default: ${DEFAULT-VALUE})")
    double gamma = 0.9;

    @Spec
    CommandSpec spec;

    /** Results of the last run, keyed by "block / method". */
    Map<String, ResNetTraining.Result> last;

    @Override
    public Integer call() throws IOException {
        switch (device.toLowerCase(Locale.ROOT)) {
            case "cpu" -> { }
            case "cuda" -> throw new CliError("--device cuda: the CUDA backend is not available in this build "
                    + "(the nn layers run on the CPU backend only; the CUDA bindings' probe here says: "
                    + org.inertia.cuda.Cuda.probe().describe() + "); run with --device cpu");
            default -> throw OptionValues.error(spec, "Invalid value '" + device + "' for option '--device': use cpu or cuda");
        }
        int epochs = epochsOption.get();
        int per = (depth - 2) % 6 == 0 ? 6 : 9;
        if (depth < 8 || ((depth - 2) % 6 != 0 && (depth - 2) % 9 != 0)) {
            throw OptionValues.error(spec, "Invalid value '" + depth + "' for option '--depth': must be 6n+2 (8, 14, 20, …) "
                    + "or 9n+2 (11, 29, …)");
        }
        OptionValues.atLeast(spec, "--batch", batch, 1);
        OptionValues.positive(spec, "--lr", lr);
        OptionValues.inRange(spec, "--weight-decay", weightDecay, 0, 1);
        OptionValues.inRange(spec, "--gamma", gamma, 1e-6, 1 - 1e-6);
        List<Block> bs = new ArrayList<>();
        for (String b : blocks) {
            bs.add(switch (b.toLowerCase(Locale.ROOT)) {
                case "residual" -> Block.RESIDUAL;
                case "momentum" -> Block.MOMENTUM;
                default -> throw OptionValues.error(spec, "Invalid value '" + b + "' for option '--block': use residual or momentum");
            });
        }
        List<Method> ms = new ArrayList<>();
        for (String o : optimizers) {
            switch (o.toLowerCase(Locale.ROOT)) {
                case "sgd" -> ms.add(Method.SGD);
                case "srsgd" -> {
                    for (String f : schedules) {
                        ms.add(switch (f.toLowerCase(Locale.ROOT)) {
                            case "linear" -> Method.SRSGD_LINEAR;
                            case "exponential" -> Method.SRSGD_EXPONENTIAL;
                            default -> throw OptionValues.error(spec, "Invalid value '" + f
                                    + "' for option '--restart-schedule': use linear or exponential");
                        });
                    }
                }
                default -> throw OptionValues.error(spec, "Invalid value '" + o + "' for option '--optimizer': use sgd or srsgd");
            }
        }
        Path out = run.out();
        var s = new ResNetTraining.Settings(depth, epochs, batch, lr, weightDecay, gamma, run.seed());
        last = new LinkedHashMap<>();
        String what;
        try (ImageData d = data.load()) {
            what = String.format(Locale.ROOT, "%s, %d train / %d test images", data.name(), d.train().size(),
                    d.test().size());
            System.out.printf(Locale.ROOT, "PreResNet-%d (%s blocks) on %s; %d epochs, batch %d, lr %s (x0.1 at 50%% "
                    + "and 75%%), weight decay %s%n%n", depth, per == 6 ? "basic" : "bottleneck", what, epochs, batch, lr,
                    weightDecay);
            for (Block b : bs) {
                for (Method m : ms) {
                    String key = (b == Block.RESIDUAL ? "PreResNet" : "MomentumNet") + " / " + m.label();
                    ResNetTraining.Result r = ResNetTraining.train(b, m, s, d.train(), d.test());
                    last.put(key, r);
                    System.out.printf(Locale.ROOT, "%-40s test accuracy per epoch %s, final train loss %.4f, %.0f s%n",
                            key, fmt(r.testAccuracy()), r.trainLoss()[epochs - 1], r.seconds());
                }
            }
        }
        write(out, what, epochs);
        return 0;
    }

    private void write(Path out, String what, int epochs) throws IOException {
        Map<String, double[]> testAcc = new LinkedHashMap<>();
        Map<String, double[]> trainLoss = new LinkedHashMap<>();
        Map<String, double[]> iterLoss = new LinkedHashMap<>();
        last.forEach((k, r) -> {
            testAcc.put(k, r.testAccuracy());
            trainLoss.put(k, r.trainLoss());
            iterLoss.put(k, RnnCommand.movingAverage(r.iterationLoss(), 20));
        });
        Csv.columns(out.resolve("resnet-test-accuracy.csv"), "epoch", testAcc);
        Csv.columns(out.resolve("resnet-train-loss.csv"), "epoch", trainLoss);
        Csv.columns(out.resolve("resnet-iteration-loss.csv"), "iteration", iterLoss);
        Plots.logY("Training loss (moving average of 20 iterations), PreResNet-" + depth, "iteration", "cross-entropy",
                iterLoss, out.resolve("resnet-iteration-loss"));
        Plots.xy("PreResNet-" + depth + ": test accuracy after each epoch", "epoch", "test accuracy",
                LogregCommand.epochSeries(testAcc), false, false,
                out.resolve("resnet-test-accuracy"));
        List<String> header = List.of("network / optimizer", "parameters", "final train loss", "final train accuracy",
                "final test accuracy", "best test accuracy", "seconds");
        List<List<String>> rows = new ArrayList<>();
        last.forEach((k, r) -> rows.add(List.of(k, Long.toString(r.parameters()),
                String.format(Locale.ROOT, "%.4f", r.trainLoss()[epochs - 1]),
                String.format(Locale.ROOT, "%.4f", r.trainAccuracy()[epochs - 1]),
                String.format(Locale.ROOT, "%.4f", r.testAccuracy()[epochs - 1]),
                String.format(Locale.ROOT, "%.4f", java.util.Arrays.stream(r.testAccuracy()).max().orElse(Double.NaN)),
                String.format(Locale.ROOT, "%.0f", r.seconds()))));
        Csv.table(out.resolve("resnet-summary.csv"), header, rows);
        HtmlReport report = new HtmlReport("PreResNet / MomentumNet: SGD vs SRSGD");
        report.paragraph("PreResNet-" + depth + " (pre-activation, stages of 16/32/64 planes) on " + what
                + "; the momentum variant replaces every shape-preserving block x + f(x) by v <- gamma v + (1 - gamma) f(x), "
                + "x <- x + v (gamma " + gamma + ", velocity restarting at each down-sampling block). SGD: momentum 0.9. "
                + "SRSGD: scheduled-restart NAG momentum, restart period F per learning-rate stage (linear 30/60/90, "
                + "exponential 40/50/63 iterations). lr " + lr + " x0.1 at 50% and 75% of the iterations, weight decay "
                + weightDecay + ", batch " + batch + ".");
        report.code("command", CommandLines.of(spec));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data", what);
        settings.put("depth", Integer.toString(depth));
        settings.put("epochs", Integer.toString(epochs));
        settings.put("batch", Integer.toString(batch));
        settings.put("device", "cpu");
        settings.put("seed", Long.toString(run.seed()));
        report.settings(settings);
        report.table("Results", header, rows);
        report.image("Training loss (moving average of 20 iterations), per network and optimizer",
                out.resolve("resnet-iteration-loss.png"), "resnet-iteration-loss.csv", "resnet-train-loss.csv");
        report.image("Test accuracy after each epoch, per network and optimizer", out.resolve("resnet-test-accuracy.png"),
                "resnet-test-accuracy.csv");
        report.link("the results table as CSV", "resnet-summary.csv");
        report.write(out.resolve("resnet.html"));
        System.out.println();
        System.out.println("CSV, PNG and SVG curves and resnet.html written to " + out.toAbsolutePath());
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.4f", x));
        }
        return sb.toString();
    }
}
