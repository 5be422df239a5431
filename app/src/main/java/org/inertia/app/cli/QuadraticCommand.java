package org.inertia.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.inertia.app.experiments.Csv;
import org.inertia.app.experiments.HtmlReport;
import org.inertia.app.experiments.Plots;
import org.inertia.app.experiments.Precision;
import org.inertia.app.experiments.Progress;
import org.inertia.app.experiments.QuadraticExperiment;
import org.inertia.app.experiments.QuadraticProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./inertia quadratic}: the lectures' convex quadratic in all three gradient regimes; writes one
 * CSV per regime (iteration, one column per method), one plot per regime (PNG and SVG, log scale), and
 * a self-contained HTML report, and prints the final values.
 */
@Command(name = "quadratic", mixinStandardHelpOptions = true,
        description = "GD, momentum, heavy ball, NAG, ARNAG, SRNAG (and with --methods the newer ones) on "
                + "f(w) = 1/2 w'Lw - w'e1 (exact, Case I, Case II noise).")
final class QuadraticCommand implements Callable<Integer> {
    @Option(names = "--dim", description = "dimension d (default: ${DEFAULT-VALUE})")
    int dim = 1000;

    @Mixin
    StepsOption stepsOption = new StepsOption(20_000);

    @Mixin
    RunOptions run = new RunOptions("quadratic");

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "methods to run, any of: GD, GD+momentum, heavy ball, NAG, ARNAG, ARNAG (f at v), SRNAG, QHM, "
                    + "QHM+Demon, Lion, NAdam, RAdam, Adamax, QHAdam, AdEMAMix, SF-SGD, SF-AdamW (case-insensitive; "
                    + "default: the lectures' methods, GD to SRNAG)")
    List<String> methods = new ArrayList<>(List.of(QuadraticExperiment.METHODS));

    @Option(names = "--graph", description = "PATH (Dirichlet Laplacian) or CYCLE (singular; reports the gradient norm) (default: ${DEFAULT-VALUE})")
    QuadraticProblem.Graph graph = QuadraticProblem.Graph.PATH;

    @Spec
    CommandSpec spec;

    /** f − f* (or ‖∇f‖) after the last iteration, per gradient regime and method, of the last run. */
    final Map<String, Map<String, Double>> finals = new java.util.LinkedHashMap<>();

    /** The gradient regime in words, as the lectures name it. */
    static String regime(QuadraticProblem.Noise noise) {
        return switch (noise) {
            case EXACT -> "exact gradients";
            case CASE_I -> "Case I: noise with decaying variance";
            case CASE_II -> "Case II: noise with constant variance";
        };
    }

    @Override
    public Integer call() throws IOException {
        int steps = stepsOption.get();
        List<String> chosen = new ArrayList<>();
        for (String m : methods) {
            String canon = QuadraticExperiment.ALL_METHODS.stream().filter(x -> x.equalsIgnoreCase(m.trim())).findFirst()
                    .orElseThrow(() -> OptionValues.error(spec, "Invalid value '" + m + "' for option '--methods': use "
                            + String.join(", ", QuadraticExperiment.ALL_METHODS)));
            if (!chosen.contains(canon)) {
                chosen.add(canon);
            }
        }
        long seed = run.seed();
        Path out = run.out();
        QuadraticProblem p = new QuadraticProblem(OptionValues.atLeast(spec, "--dim", dim, 3), graph);
        String metric = graph == QuadraticProblem.Graph.PATH ? "f(w_k) - f*" : "||grad f(w_k)||";
        System.out.printf(Locale.ROOT, "quadratic, d = %d, %s graph, %d steps, step 1/L = 0.25; metric: %s%n%n",
                dim, graph.name().toLowerCase(Locale.ROOT), steps, metric);
        System.out.printf(Locale.ROOT, "%-10s", "noise");
        for (String m : chosen) {
            System.out.printf(Locale.ROOT, " %12s", m);
        }
        System.out.println();
        HtmlReport report = new HtmlReport("Convex quadratic: momentum with exact and noisy gradients");
        report.paragraph("f(w) = 1/2 w'Lw - w'e1, L the " + graph.name().toLowerCase(Locale.ROOT)
                + "-graph Laplacian; w0 = 0; step 1/L = 0.25. Metric: " + metric
                + (graph == QuadraticProblem.Graph.CYCLE ? " (the cycle Laplacian is singular and e1 is outside its range, "
                        + "so f is unbounded below and f - f* does not exist)." : "."));
        report.settings(Map.of("dimension", Integer.toString(dim), "steps", Integer.toString(steps),
                "seed", Long.toString(seed), "graph", graph.name().toLowerCase(Locale.ROOT),
                "SRNAG restart period", "1000 (k < 2000), 2000 (k < 10000), 4000 beyond",
                "heavy-ball tuning", "alpha = 1/L, beta = (1 - 1/sqrt(kappa))^2"));
        List<List<String>> rows = new ArrayList<>();
        List<String[]> plots = new ArrayList<>(); // caption, png file, csv file
        boolean gap = graph == QuadraticProblem.Graph.PATH;
        for (QuadraticProblem.Noise noise : QuadraticProblem.Noise.values()) {
            Map<String, double[]> curves;
            try (Progress bar = Progress.start("quadratic " + noise.name().toLowerCase(Locale.ROOT),
                    (long) steps * chosen.size())) {
                curves = QuadraticExperiment.run(p, noise, steps, seed, bar, chosen);
            }
            String name = "quadratic-" + graph.name().toLowerCase(Locale.ROOT) + "-"
                    + noise.name().toLowerCase(Locale.ROOT).replace('_', '-');
            Csv.columns(out.resolve(name + ".csv"), "k", curves);
            String title = "Convex quadratic (" + graph.name().toLowerCase(Locale.ROOT) + " graph), " + regime(noise);
            Plots.logY(title, "iteration k", gap ? "f(w_k) - f*" : "gradient norm ||grad f(w_k)||", curves, out.resolve(name));
            plots.add(new String[] {title + (gap ? "; gaps at machine precision (at most 1e-14, or rounded below "
                    + "zero) are drawn at the bottom of the axis" : ""), name + ".png", name + ".csv"});
            List<String> row = new ArrayList<>();
            row.add(regime(noise));
            System.out.printf(Locale.ROOT, "%-10s", noise.name().toLowerCase(Locale.ROOT));
            Map<String, Double> fin = new java.util.LinkedHashMap<>();
            finals.put(noise.name().toLowerCase(Locale.ROOT), fin);
            for (String m : chosen) {
                double last = curves.get(m)[steps - 1];
                fin.put(m, last);
                String shown = gap ? Precision.gapShort(last) : String.format(Locale.ROOT, "%.3e", last);
                System.out.printf(Locale.ROOT, " %12s", shown);
                row.add(gap ? Precision.gap(last) : shown);
            }
            rows.add(row);
            System.out.println();
        }
        List<String> header = new ArrayList<>(List.of("gradients"));
        header.addAll(chosen);
        report.table(metric + " after " + steps + " iterations", header, rows);
        for (String[] plot : plots) {
            report.image(plot[0], out.resolve(plot[1]), plot[2]);
        }
        Path html = out.resolve("quadratic-" + graph.name().toLowerCase(Locale.ROOT) + ".html");
        report.write(html);
        System.out.println();
        System.out.println("CSV, PNG and SVG curves and the report " + html.getFileName() + " written to "
                + out.toAbsolutePath());
        return 0;
    }
}
