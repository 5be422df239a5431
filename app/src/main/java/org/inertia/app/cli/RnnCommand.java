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
import org.inertia.app.experiments.GradientNorms;
import org.inertia.app.experiments.HtmlReport;
import org.inertia.app.experiments.ImageData;
import org.inertia.app.experiments.Plots;
import org.inertia.app.experiments.RecurrentModels;
import org.inertia.app.experiments.SequenceModel;
import org.inertia.app.experiments.SequenceTask;
import org.inertia.app.experiments.SequenceTraining;
import org.inertia.nn.data.ImageDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia rnn}: the MomentumRNN experiments. Trains the chosen LSTM-family cells on the copying
 * task or on pixel-by-pixel (optionally permuted) image classification with the paper's recipe, and
 * measures ‖∂L/∂h_t‖ against t for the Elman RNN and the MomentumRNN; loss and accuracy curves, time per
 * sample of every cell.
 */
@Command(name = "rnn", mixinStandardHelpOptions = true,
        description = "MomentumRNN family on the copying task or pixel(-permuted) image sequences; gradient norms vs time step.")
final class RnnCommand implements Callable<Integer> {
    /** The tasks. */
    enum Task { COPYING, PIXEL, PERMUTED_PIXEL }

    @Option(names = "--task", paramLabel = "TASK", converter = TaskConverter.class,
            description = "copying, pixel or permuted-pixel (default: copying)")
    Task task = Task.COPYING;

    @Option(names = "--cell", split = ",", paramLabel = "CELL",
            description = "lstm, momentum-lstm, adam-lstm, rmsprop-lstm, sr-lstm, dtriv, momentum-dtriv; several separated "
                    + "by commas (default: the five LSTM cells)")
    List<String> cells = new ArrayList<>(RecurrentModels.LSTM_CELLS);

    @Option(names = "--dtriv-k", paramLabel = "K", description = "dtriv cells: change the base B every K optimizer steps; "
            + "0 = never (K = infinity, expRNN) (default: ${DEFAULT-VALUE}, the paper's N = 170 setting)")
    long dtrivK = RecurrentModels.DEFAULT_DTRIV_K;

    @Option(names = "--dtriv-lr", paramLabel = "LR", description = "dtriv cells: RMSprop (alpha 0.99) learning rate of "
            + "every parameter but the skew generators (default: ${DEFAULT-VALUE})")
    double dtrivLr = 7e-4;

    @Option(names = "--lr-orth", paramLabel = "LR", description = "dtriv cells: RMSprop (alpha 0.99) learning rate of "
            + "the skew generators A (default: ${DEFAULT-VALUE})")
    double lrOrth = 2e-4;

    @Mixin
    StepsOption stepsOption = new StepsOption(300);

    @Mixin
    RunOptions run = new RunOptions("rnn");

    @Mixin
    DataOptions data = new DataOptions(0, 1000);

    @Option(names = "--hidden", paramLabel = "H", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden = 128;

    @Option(names = "--batch", paramLabel = "B", description = "sequences per batch (default: ${DEFAULT-VALUE})")
    int batch = 128;

    @Option(names = "--lr", paramLabel = "LR", description = "RMSprop learning rate (alpha 0.9) (default: ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Option(names = "--clip", paramLabel = "C", description = "gradient-norm clipping threshold (default: ${DEFAULT-VALUE})")
    double clip = 1.0;

    @Option(names = "--pool", paramLabel = "P", description = "pixel tasks: average-pool images by P x P first, "
            + "so sequences have (28/P)^2 steps (default: ${DEFAULT-VALUE}, the paper's 784 steps)")
    int pool = 1;

    @Option(names = "--alphabet", paramLabel = "N", description = "copying: alphabet size (default: ${DEFAULT-VALUE})")
    int alphabet = 4;

    @Option(names = "--symbols", paramLabel = "K", description = "copying: symbols to copy (default: ${DEFAULT-VALUE})")
    int symbols = 5;

    @Option(names = "--delay", paramLabel = "L", description = "copying: blanks before the go marker (default: ${DEFAULT-VALUE})")
    int delay = 20;

    @Option(names = "--gradnorm-steps", paramLabel = "N", description = "training iterations of the RNN and the "
            + "MomentumRNN before measuring dL/dh_t again (0: at initialisation only; default: ${DEFAULT-VALUE})")
    int gradnormSteps = 50;

    @Option(names = "--no-gradnorm", description = "skip the RNN vs MomentumRNN gradient-norm study")
    boolean noGradnorm;

    @Spec
    CommandSpec spec;

    /** Summary rows of the last run (cell → held-out accuracy), for tests. */
    Map<String, SequenceTraining.Result> last;

    @Override
    public Integer call() throws IOException {
        int steps = stepsOption.get();
        OptionValues.atLeast(spec, "--hidden", hidden, 1);
        OptionValues.atLeast(spec, "--batch", batch, 1);
        OptionValues.positive(spec, "--lr", lr);
        OptionValues.positive(spec, "--clip", clip);
        OptionValues.atLeast(spec, "--pool", pool, 1);
        if (28 % pool != 0) {
            throw OptionValues.error(spec, "Invalid value '" + pool + "' for option '--pool': must divide 28 (1, 2, 4, 7, 14)");
        }
        OptionValues.atLeast(spec, "--alphabet", alphabet, 2);
        OptionValues.atLeast(spec, "--symbols", symbols, 1);
        OptionValues.atLeast(spec, "--delay", delay, 0);
        OptionValues.atLeast(spec, "--gradnorm-steps", gradnormSteps, 0);
        if (dtrivK < 0) {
            throw OptionValues.error(spec, "Invalid value '" + dtrivK + "' for option '--dtriv-k': must be >= 0 (0 = never)");
        }
        OptionValues.positive(spec, "--dtriv-lr", dtrivLr);
        OptionValues.positive(spec, "--lr-orth", lrOrth);
        for (String c : cells) {
            if (!RecurrentModels.TRAINABLE_CELLS.contains(c)) {
                throw OptionValues.error(spec, "Invalid value '" + c + "' for option '--cell': use one of "
                        + String.join(", ", RecurrentModels.TRAINABLE_CELLS));
            }
        }
        Path out = run.out();
        String name = task.name().toLowerCase(Locale.ROOT).replace('_', '-');
        boolean permuted = task == Task.PERMUTED_PIXEL;
        ImageData images = task == Task.COPYING ? null : data.load();
        ImageDataset train = null;
        ImageDataset test = null;
        String what;
        try {
            if (images != null) {
                train = pool == 1 ? images.train() : ImageData.pooled(images.train(), pool);
                test = pool == 1 ? images.test() : ImageData.pooled(images.test(), pool);
                what = String.format(Locale.ROOT, "%s%s pixel by pixel (%d steps%s), %d train / %d test images",
                        permuted ? "permuted " : "", data.name(), train.images().dim(1) * train.images().dim(2),
                        pool == 1 ? "" : ", images pooled " + pool + "x" + pool, train.size(), test.size());
            } else {
                what = String.format(Locale.ROOT, "copying task: alphabet %d, %d symbols, delay %d (%d steps)",
                        alphabet, symbols, delay, 2 * symbols + delay);
            }
            System.out.printf(Locale.ROOT, "%s; hidden %d, batch %d, %d iterations, RMSprop lr %s alpha 0.9, clip %s%s%n%n",
                    what, hidden, batch, steps, lr, clip, cells.stream().anyMatch(RecurrentModels.ORTHOGONAL_CELLS::contains)
                            ? String.format(Locale.ROOT, "; dtriv cells: RMSprop alpha 0.99, lr %s, skew generators %s, "
                            + "change of base %s", dtrivLr, lrOrth, dtrivK == 0 ? "never" : "every " + dtrivK + " step(s)")
                            : "");
            last = new LinkedHashMap<>();
            for (String c : cells) {
                try (SequenceTask t = makeTask(train, test, permuted);
                     SequenceModel m = new SequenceModel(c, permuted, t.inputSize(), hidden, t.classes(), dtrivK,
                             run.seed())) {
                    last.put(c, SequenceTraining.train(m, t, steps, new SequenceTraining.Rates(lr, dtrivLr, lrOrth), clip,
                            "rnn " + c));
                }
                var r = last.get(c);
                System.out.printf(Locale.ROOT, "%-14s train loss (last 20) %.4f, held-out loss %.4f, accuracy %.4f, %.0f us/sample%n",
                        c, SequenceTraining.tailMean(r.loss(), 20), r.heldOutLoss(), r.heldOutAccuracy(), r.microsPerSample());
            }
            Map<String, double[]> gradnorms = noGradnorm ? Map.of() : gradientNorms(train, test, permuted);
            write(out, name, what, steps, gradnorms);
        } finally {
            if (images != null) {
                images.close();
                if (pool != 1) {
                    train.close();
                    test.close();
                }
            }
        }
        return 0;
    }

    private SequenceTask makeTask(ImageDataset train, ImageDataset test, boolean permuted) {
        return task == Task.COPYING ? SequenceTask.copying(alphabet, symbols, delay, batch, 4, run.seed())
                : SequenceTask.pixels(train, test, batch, permuted, run.seed());
    }

    /** ‖∂L/∂h_t‖ of the RNN and the MomentumRNN, at initialisation and after {@code gradnormSteps} iterations. */
    private Map<String, double[]> gradientNorms(ImageDataset train, ImageDataset test, boolean permuted) {
        Map<String, double[]> norms = new LinkedHashMap<>();
        for (String c : List.of("rnn", "momentum-rnn")) {
            try (SequenceTask t = makeTask(train, test, permuted);
                 SequenceModel m = new SequenceModel(c, permuted, t.inputSize(), hidden, t.classes(), run.seed())) {
                SequenceTask.Batch probe = first(t);
                String label = c.equals("rnn") ? "RNN" : "MomentumRNN";
                norms.put(label + ", initialisation", GradientNorms.of(m, probe, t.readoutSteps()));
                if (gradnormSteps > 0) {
                    SequenceTraining.train(m, t, gradnormSteps, lr, clip, "rnn gradient norms " + c);
                    probe = first(t);
                    norms.put(label + ", after " + gradnormSteps + " iterations", GradientNorms.of(m, probe, t.readoutSteps()));
                }
            }
        }
        return norms;
    }

    private static SequenceTask.Batch first(SequenceTask t) {
        return t.heldOut().iterator().next();
    }

    private void write(Path out, String name, String what, int steps, Map<String, double[]> gradnorms) throws IOException {
        String base = "rnn-" + name;
        Map<String, double[]> loss = new LinkedHashMap<>();
        Map<String, double[]> acc = new LinkedHashMap<>();
        last.forEach((c, r) -> {
            loss.put(c, r.loss());
            acc.put(c, r.accuracy());
        });
        Csv.columns(out.resolve(base + "-loss.csv"), "iteration", loss);
        Csv.columns(out.resolve(base + "-accuracy.csv"), "iteration", acc);
        Map<String, double[]> smooth = new LinkedHashMap<>();
        loss.forEach((c, v) -> smooth.put(c, movingAverage(v, 10)));
        Plots.logY("Training loss (moving average of 10 iterations): " + what, "iteration", "cross-entropy", smooth,
                out.resolve(base + "-loss"));
        Map<String, double[]> smoothAcc = new LinkedHashMap<>();
        acc.forEach((c, v) -> smoothAcc.put(c, movingAverage(v, 10)));
        Plots.xy("Training accuracy (moving average of 10 iterations)", "iteration", "accuracy",
                SampleCommand.indexed(smoothAcc), false, false, out.resolve(base + "-accuracy"));
        if (!gradnorms.isEmpty()) {
            Csv.columns(out.resolve(base + "-gradnorm.csv"), "t", gradnorms);
            Plots.logY("How far the loss gradient reaches back: norm of dL/dh_t at each time step t", "time step t",
                    "||dL/dh_t||", gradnorms,
                    out.resolve(base + "-gradnorm"));
        }
        List<String> header = List.of("cell", "settings", "train loss (last 20 it.)", "held-out loss", "held-out accuracy",
                "train us/sample");
        List<List<String>> rows = new ArrayList<>();
        last.forEach((c, r) -> rows.add(List.of(c, RecurrentModels.settings(c, task == Task.PERMUTED_PIXEL, hidden, dtrivK),
                String.format(Locale.ROOT, "%.4f", SequenceTraining.tailMean(r.loss(), 20)),
                String.format(Locale.ROOT, "%.4f", r.heldOutLoss()), String.format(Locale.ROOT, "%.4f", r.heldOutAccuracy()),
                String.format(Locale.ROOT, "%.0f", r.microsPerSample()))));
        Csv.table(out.resolve(base + "-summary.csv"), header, rows);
        List<List<String>> gradRows = new ArrayList<>();
        gradnorms.forEach((k, v) -> gradRows.add(List.of(k, String.format(Locale.ROOT, "%.3e", v[0]),
                String.format(Locale.ROOT, "%.3e", v[v.length / 2]), String.format(Locale.ROOT, "%.3e", v[v.length - 1]))));

        HtmlReport report = new HtmlReport("MomentumRNN family: " + name);
        report.paragraph(what + ". One recurrent layer of " + hidden + " units and a linear read-out "
                + (task == Task.COPYING ? "at the last " + symbols + " steps" : "of the last hidden state")
                + "; RMSprop (lr " + lr + ", alpha 0.9), gradient-norm clipping " + clip + ", full BPTT, batch " + batch
                + ", " + steps + " iterations; init as the MomentumRNN code (W_ih orthogonal, W_hh identity). "
                + "Time per sample: forward, backward, clipping and the optimizer step, on this machine's CPU."
                + (cells.stream().anyMatch(RecurrentModels.ORTHOGONAL_CELLS::contains) ? " DTRIV cells (W = B exp(A) "
                + "orthogonal, modReLU) are trained as the reference code does: RMSprop alpha 0.99, lr " + dtrivLr
                + " for the other parameters and " + lrOrth + " for the skew generators, change of base every "
                + (dtrivK == 0 ? "never (K = infinity)" : dtrivK + " step(s)") + "." : ""));
        report.code("command", CommandLines.of(spec));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("task", what);
        settings.put("hidden", Integer.toString(hidden));
        settings.put("batch", Integer.toString(batch));
        settings.put("iterations", Integer.toString(steps));
        settings.put("seed", Long.toString(run.seed()));
        report.settings(settings);
        report.table("Results", header, rows);
        report.image("Training loss of each cell (moving average of 10 iterations)", out.resolve(base + "-loss.png"),
                base + "-loss.csv");
        report.image("Training accuracy of each cell (moving average of 10 iterations)", out.resolve(base + "-accuracy.png"),
                base + "-accuracy.csv");
        report.link("the results table as CSV", base + "-summary.csv");
        if (!gradnorms.isEmpty()) {
            report.table("||dL/dh_t|| (held-out batch)", List.of("model", "t = 0", "t = T/2", "t = T-1"), gradRows);
            report.image("Norm of dL/dh_t against the time step t, RNN and MomentumRNN, at initialisation and after "
                    + "training", out.resolve(base + "-gradnorm.png"), base + "-gradnorm.csv");
        }
        report.write(out.resolve(base + ".html"));
        System.out.println();
        if (!gradnorms.isEmpty()) {
            System.out.println("||dL/dh_t|| at t = 0, T/2, T-1:");
            gradRows.forEach(r -> System.out.printf(Locale.ROOT, "  %-36s %s %s %s%n", r.toArray()));
        }
        System.out.println("CSV, PNG and SVG curves and " + base + ".html written to " + out.toAbsolutePath());
    }

    static double[] movingAverage(double[] v, int w) {
        double[] out = new double[v.length];
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i];
            if (i >= w) {
                s -= v[i - w];
            }
            out[i] = s / Math.min(i + 1, w);
        }
        return out;
    }

    /** copying | pixel | permuted-pixel. */
    static final class TaskConverter implements picocli.CommandLine.ITypeConverter<Task> {
        @Override
        public Task convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "copying", "copy" -> Task.COPYING;
                case "pixel", "pixel-mnist" -> Task.PIXEL;
                case "permuted-pixel", "pmnist", "permuted" -> Task.PERMUTED_PIXEL;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a task; use copying, pixel or permuted-pixel");
            };
        }
    }
}
