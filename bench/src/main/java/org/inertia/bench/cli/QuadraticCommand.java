package org.inertia.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.inertia.bench.experiments.Csv;
import org.inertia.bench.experiments.HtmlReport;
import org.inertia.bench.experiments.Plots;
import org.inertia.bench.experiments.Progress;
import org.inertia.bench.experiments.QuadraticExperiment;
import org.inertia.bench.experiments.QuadraticProblem;
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
        description = "GD, momentum, heavy ball, NAG, ARNAG, SRNAG on f(w) = 1/2 w'Lw - w'e1 (exact, Case I, Case II noise).")
final class QuadraticCommand implements Callable<Integer> {
    @Option(names = "--dim", description = "dimension d (default: ${DEFAULT-VALUE})")
    int dim = 1000;

    @Mixin
    StepsOption stepsOption = new StepsOption(20_000);

    @Mixin
    RunOptions run = new RunOptions("quadratic");

    @Option(names = "--graph", description = "PATH (Dirichlet Laplacian) or CYCLE (singular; reports the gradient norm) (default: ${DEFAULT-VALUE})")
    QuadraticProblem.Graph graph = QuadraticProblem.Graph.PATH;

    @Spec
    CommandSpec spec;

    /** f − f* (or ‖∇f‖) after the last iteration, per gradient regime and method, of the last run. */
    final Map<String, Map<String, Double>> finals = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        int steps = stepsOption.get();
        long seed = run.seed();
        Path out = run.out();
        QuadraticProblem p = new QuadraticProblem(Validation.atLeast(spec, "--dim", dim, 3), graph);
        Files.createDirectories(out);
        String metric = graph == QuadraticProblem.Graph.PATH ? "f(w_k) - f*" : "||grad f(w_k)||";
        System.out.printf(Locale.ROOT, "quadratic, d = %d, %s graph, %d steps, step 1/L = 0.25; metric: %s%n%n",
                dim, graph.name().toLowerCase(Locale.ROOT), steps, metric);
        System.out.printf(Locale.ROOT, "%-10s", "noise");
        for (String m : QuadraticExperiment.METHODS) {
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
        List<Path> plots = new ArrayList<>();
        for (QuadraticProblem.Noise noise : QuadraticProblem.Noise.values()) {
            Map<String, double[]> curves;
            try (Progress bar = Progress.start("quadratic " + noise.name().toLowerCase(Locale.ROOT),
                    (long) steps * QuadraticExperiment.METHODS.length)) {
                curves = QuadraticExperiment.run(p, noise, steps, seed, bar);
            }
            String name = "quadratic-" + graph.name().toLowerCase(Locale.ROOT) + "-"
                    + noise.name().toLowerCase(Locale.ROOT).replace('_', '-');
            Csv.columns(out.resolve(name + ".csv"), "k", curves);
            Plots.logY(name + " (" + noise.name().toLowerCase(Locale.ROOT) + " gradients)", "iteration k", metric,
                    curves, out.resolve(name));
            plots.add(out.resolve(name + ".png"));
            List<String> row = new ArrayList<>();
            row.add(noise.name().toLowerCase(Locale.ROOT));
            System.out.printf(Locale.ROOT, "%-10s", noise.name().toLowerCase(Locale.ROOT));
            Map<String, Double> fin = new java.util.LinkedHashMap<>();
            finals.put(noise.name().toLowerCase(Locale.ROOT), fin);
            for (String m : QuadraticExperiment.METHODS) {
                double last = curves.get(m)[steps - 1];
                fin.put(m, last);
                System.out.printf(Locale.ROOT, " %12.3e", last);
                row.add(String.format(Locale.ROOT, "%.3e", last));
            }
            rows.add(row);
            System.out.println();
        }
        List<String> header = new ArrayList<>(List.of("gradients"));
        header.addAll(List.of(QuadraticExperiment.METHODS));
        report.table(metric + " after " + steps + " iterations", header, rows);
        for (Path png : plots) {
            report.image(png.getFileName().toString(), png);
        }
        Path html = out.resolve("quadratic-" + graph.name().toLowerCase(Locale.ROOT) + ".html");
        report.write(html);
        System.out.println();
        System.out.println("CSV, PNG and SVG curves and the report " + html.getFileName() + " written to "
                + out.toAbsolutePath());
        return 0;
    }
}
