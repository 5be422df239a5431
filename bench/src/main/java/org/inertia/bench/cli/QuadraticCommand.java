package org.inertia.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.inertia.bench.experiments.QuadraticExperiment;
import org.inertia.bench.experiments.QuadraticProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./inertia quadratic}: the lectures' convex quadratic in all three gradient regimes; writes one
 * CSV per regime (iteration, one column per method) and prints the final values. Plots and the HTML
 * report are issue #6's remaining work.
 */
@Command(name = "quadratic", mixinStandardHelpOptions = true,
        description = "GD, momentum, heavy ball, NAG, ARNAG, SRNAG on f(w) = 1/2 w'Lw - w'e1 (exact, Case I, Case II noise).")
final class QuadraticCommand implements Callable<Integer> {
    @Option(names = "--dim", description = "dimension d (default: ${DEFAULT-VALUE})")
    int dim = 1000;

    @Option(names = "--steps", description = "iterations (default: ${DEFAULT-VALUE})")
    int steps = 20_000;

    @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--graph", description = "PATH (Dirichlet Laplacian) or CYCLE (singular; reports the gradient norm) (default: ${DEFAULT-VALUE})")
    QuadraticProblem.Graph graph = QuadraticProblem.Graph.PATH;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("out", "quadratic");

    @Override
    public Integer call() throws IOException {
        QuadraticProblem p = new QuadraticProblem(dim, graph);
        Files.createDirectories(out);
        String metric = graph == QuadraticProblem.Graph.PATH ? "f(w_k) - f*" : "||grad f(w_k)||";
        System.out.printf(Locale.ROOT, "quadratic, d = %d, %s graph, %d steps, step 1/L = 0.25; metric: %s%n%n",
                dim, graph.name().toLowerCase(Locale.ROOT), steps, metric);
        System.out.printf(Locale.ROOT, "%-10s", "noise");
        for (String m : QuadraticExperiment.METHODS) {
            System.out.printf(Locale.ROOT, " %12s", m);
        }
        System.out.println();
        for (QuadraticProblem.Noise noise : QuadraticProblem.Noise.values()) {
            Map<String, double[]> curves = QuadraticExperiment.run(p, noise, steps, seed);
            Path csv = out.resolve("quadratic-" + graph.name().toLowerCase(Locale.ROOT) + "-"
                    + noise.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".csv");
            write(csv, curves);
            System.out.printf(Locale.ROOT, "%-10s", noise.name().toLowerCase(Locale.ROOT));
            for (String m : QuadraticExperiment.METHODS) {
                System.out.printf(Locale.ROOT, " %12.3e", curves.get(m)[steps - 1]);
            }
            System.out.println();
        }
        System.out.println();
        System.out.println("CSV curves written to " + out.toAbsolutePath());
        return 0;
    }

    private void write(Path csv, Map<String, double[]> curves) throws IOException {
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(tmp))) {
            w.print("k");
            for (String m : curves.keySet()) {
                w.print("," + m);
            }
            w.println();
            for (int k = 0; k < steps; k++) {
                w.print(k + 1);
                for (double[] c : curves.values()) {
                    w.print(',');
                    w.print(c[k]);
                }
                w.println();
            }
        }
        Files.move(tmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
