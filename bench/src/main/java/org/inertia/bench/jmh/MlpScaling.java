package org.inertia.bench.jmh;

import java.util.Arrays;
import org.inertia.kernels.cpu.KernelPool;

/**
 * {@link MlpBenchmark}'s training step at 1 thread and at the pool's full thread count by turns in ONE JVM
 * ({@link KernelPool#setThreads(int)} switches between blocks of steps), so that a host whose speed drifts
 * slows both alike. Separate JVMs (MlpBenchmark at {@code inertia.threads} 1, then 2) compare whatever
 * minutes each ran in: on the 2-vCPU development guest the 1-thread product 256×784×128 alone takes 640 µs in
 * some 0.2 s windows and 1150 µs in the next, with nothing else running.
 *
 * <p>Prints each round's mean step at each count and their ratio, then, for each thread count, the median and mean step time and the samples per second they give, and
 * the scaling (1-thread time / n-thread time) by the median step, by the mean step, and the median of the
 * per-round ratios (each round: one block at each count, the order alternating from round to round).
 *
 * <pre>java --add-modules jdk.incubator.vector -Dinertia.threads=2 -cp bench/target/benchmarks.jar \
 *     org.inertia.bench.jmh.MlpScaling 256 40 50</pre>
 * (arguments: batch, rounds after 10 warm-up rounds, steps per block).
 */
public final class MlpScaling {
    private MlpScaling() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: MlpScaling BATCH ROUNDS STEPS_PER_BLOCK");
        }
        int batch = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        KernelPool pool = KernelPool.get();
        int most = pool.maxThreads();
        if (most < 2 || rounds < 1 || steps < 1) {
            throw new IllegalArgumentException("needs -Dinertia.threads >= 2 (got " + most + "), ROUNDS >= 1 and "
                    + "STEPS_PER_BLOCK >= 1 (got " + rounds + ", " + steps + ")");
        }
        int warm = 10;
        long[][] ns = new long[2][rounds * steps]; // [0]: 1 thread, [1]: all threads
        double[] roundRatio = new double[rounds];
        MlpBenchmark bench = new MlpBenchmark(); // its model, batch and step, called as JMH would
        bench.batch = batch;
        bench.setup();
        MlpBenchmark.Samples counter = new MlpBenchmark.Samples();
        try {
            for (int r = -warm; r < rounds; r++) {
                long[] blockNs = new long[2];
                for (int turn = 0; turn < 2; turn++) {
                    int which = (r & 1) == 0 ? turn : 1 - turn;
                    pool.setThreads(which == 0 ? 1 : most);
                    for (int s = 0; s < steps; s++) {
                        long t0 = System.nanoTime();
                        bench.trainingStep(counter);
                        long dt = System.nanoTime() - t0;
                        blockNs[which] += dt;
                        if (r >= 0) {
                            ns[which][r * steps + s] = dt;
                        }
                    }
                }
                if (r >= 0) {
                    roundRatio[r] = (double) blockNs[0] / blockNs[1];
                    System.out.printf("round %d: 1 thread %.0f us, %d threads %.0f us per step (block means), %.2fx%n",
                            r, blockNs[0] / 1e3 / steps, most, blockNs[1] / 1e3 / steps, roundRatio[r]);
                }
            }
        } finally {
            pool.setThreads(most);
            bench.tearDown();
        }
        double[] median = new double[2];
        double[] mean = new double[2];
        for (int w = 0; w < 2; w++) {
            long[] v = ns[w].clone();
            Arrays.sort(v);
            median[w] = v[v.length / 2] / 1e3;
            mean[w] = Arrays.stream(v).average().orElseThrow() / 1e3;
            System.out.printf("MlpScaling batch %d, %d thread(s): median %.0f us, mean %.0f us per step; %.0f samples/s "
                    + "by the median%n", batch, w == 0 ? 1 : most, median[w], mean[w], batch * 1e6 / median[w]);
        }
        Arrays.sort(roundRatio);
        System.out.printf("MlpScaling batch %d: %d threads / 1 thread = %.2fx by the median step, %.2fx by the mean, "
                + "%.2fx median of %d interleaved rounds of %d steps%n", batch, most, median[0] / median[1],
                mean[0] / mean[1], roundRatio[rounds / 2], rounds, steps);
    }
}
