package org.inertia.bench.jmh;

import java.util.Arrays;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.rnn.Rnn;

/**
 * An A/B timing of LstmBenchmark's training step for several cells in ONE JVM, the cells taking turns
 * step by step, so that whatever else the machine does hits all of them alike: prints the median and
 * minimum wall time per step and each cell's ratio to the first. Shapes, cells and settings are
 * {@link LstmBenchmark}'s (batch 64, 784 steps, input 1; here without the classifier head).
 *
 * <pre>java --add-modules jdk.incubator.vector -Dinertia.threads=1 -cp bench/target/benchmarks.jar \
 *     org.inertia.bench.jmh.LstmInterleaved 128 9 lstm momentum-lstm</pre>
 * (arguments: hidden size, steps per cell — the first two are warm-up — and the cells).
 */
public final class LstmInterleaved {
    private LstmInterleaved() {
    }

    public static void main(String[] args) {
        int hidden = Integer.parseInt(args[0]);
        int reps = Integer.parseInt(args[1]);
        String[] cells = Arrays.copyOfRange(args, 2, args.length);
        if (reps < 3 || cells.length == 0) {
            throw new IllegalArgumentException("usage: LstmInterleaved HIDDEN STEPS(>=3) CELL...");
        }
        Random r = new Random(42);
        Rnn[] rnns = new Rnn[cells.length];
        for (int k = 0; k < cells.length; k++) {
            String cell = cells[k];
            rnns[k] = new Rnn(1, hidden, 1, (in, h, l) -> LstmBenchmark.make(cell, in, h, r));
        }
        NdArray xs = NdArray.zeros(Dtype.F32, LstmBenchmark.BATCH, LstmBenchmark.STEPS, 1);
        xs.forEachOffset(o -> xs.setAtOffset(o, r.nextDouble()));
        double[][] ms = new double[cells.length][reps];
        try (Tensor x = Tensor.constant(xs)) {
            for (int i = 0; i < reps; i++) {
                for (int k = 0; k < cells.length; k++) {
                    long t0 = System.nanoTime();
                    try (TensorScope s = TensorScope.open()) {
                        rnns[k].forward(x).lastHidden().sum().backward();
                    }
                    ms[k][i] = (System.nanoTime() - t0) / 1e6;
                    rnns[k].zeroGrad();
                }
            }
        }
        double first = 0;
        for (int k = 0; k < cells.length; k++) {
            double[] v = Arrays.copyOfRange(ms[k], 2, reps);
            Arrays.sort(v);
            double median = v[v.length / 2];
            if (k == 0) {
                first = median;
            }
            System.out.printf("%-14s hidden %d: median %.1f ms, min %.1f ms per step, %.2fx %s%n", cells[k], hidden, median,
                    v[0], median / first, cells[0]);
            rnns[k].close();
        }
    }
}
