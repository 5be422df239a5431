package org.inertia.bench.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.KernelPool;

/**
 * What bounds a 2-thread product on this machine: the MLP's forward product C = X·Wᵀ (X [M, K], W [N, K];
 * by default MlpBenchmark's 256×784 times 784×128) timed three ways by turns in ONE JVM, blocks of calls
 * each:
 * <ol>
 *   <li>{@code 1 thread}: the product on the calling thread ({@link KernelPool#setThreads(int)} 1);
 *   <li>{@code 2 threads}: the library's parallel product (one packed B shared, rows split);
 *   <li>{@code 2 halves}: two independent products of M/2 rows on the two threads, each with its own X, W
 *       and C, so that the threads share no data at all: the ideal split, paying no coherence traffic.
 * </ol>
 * Each round prints the median call of each block; at the end, each way's median over all calls. If the
 * 2-thread product lost time to sharing, {@code 2 halves} would be faster than {@code 2 threads} in the same
 * rounds; where both are at 1-thread speed together, the machine ran one thread's work at half speed.
 *
 * <pre>java --add-modules jdk.incubator.vector -Dinertia.threads=2 -cp bench/target/benchmarks.jar \
 *     org.inertia.bench.jmh.GemmHalves 40 [M N K]</pre>
 * (arguments: rounds after 5 warm-up rounds, then optionally the shape; blocks are 100 calls).
 */
public final class GemmHalves {
    private static final int CALLS = 100;
    private static final String[] WAYS = {"1 thread", "2 threads", "2 halves"};

    private GemmHalves() {
    }

    private static NdArray random(SplittableRandom r, int rows, int cols) {
        NdArray a = NdArray.zeros(Dtype.F32, rows, cols);
        a.forEachOffset(o -> a.setAtOffset(o, r.nextDouble()));
        return a;
    }

    public static void main(String[] args) {
        if (args.length != 1 && args.length != 4) {
            throw new IllegalArgumentException("usage: GemmHalves ROUNDS [M N K]");
        }
        int rounds = Integer.parseInt(args[0]);
        int m = args.length == 4 ? Integer.parseInt(args[1]) : 256;
        int n = args.length == 4 ? Integer.parseInt(args[2]) : MlpBenchmark.HIDDEN;
        int k = args.length == 4 ? Integer.parseInt(args[3]) : MlpBenchmark.IN;
        KernelPool pool = KernelPool.get();
        if (pool.maxThreads() != 2 || rounds < 1 || m < 2) {
            throw new IllegalArgumentException("needs -Dinertia.threads=2 (got " + pool.maxThreads()
                    + "), ROUNDS >= 1 (got " + rounds + ") and M >= 2 (got " + m + ")");
        }
        Backend be = CpuBackend.get();
        SplittableRandom r = new SplittableRandom(1);
        NdArray x = random(r, m, k);
        NdArray w = random(r, n, k);
        NdArray c = NdArray.zeros(Dtype.F32, m, n);
        NdArray[] xh = {random(r, m / 2, k), random(r, m - m / 2, k)};
        NdArray[] wh = {random(r, n, k), random(r, n, k)};
        NdArray[] ch = {NdArray.zeros(Dtype.F32, m / 2, n), NdArray.zeros(Dtype.F32, m - m / 2, n)};
        long[][] all = new long[WAYS.length][rounds * CALLS];
        long[] block = new long[CALLS];
        try {
            for (int round = -5; round < rounds; round++) {
                StringBuilder line = new StringBuilder("round " + round + ", median us:");
                for (int way = 0; way < WAYS.length; way++) {
                    pool.setThreads(way == 0 ? 1 : 2);
                    for (int i = 0; i < CALLS; i++) {
                        long t0 = System.nanoTime();
                        if (way == 2) { // a product called from inside a task runs on that task's thread
                            pool.parallelFor(2, h -> be.gemm().gemm(false, true, 1, xh[h], wh[h], 0, ch[h]));
                        } else {
                            be.gemm().gemm(false, true, 1, x, w, 0, c);
                        }
                        block[i] = System.nanoTime() - t0;
                    }
                    if (round >= 0) {
                        System.arraycopy(block, 0, all[way], round * CALLS, CALLS);
                    }
                    Arrays.sort(block);
                    line.append(String.format("  %s %.0f", WAYS[way], block[CALLS / 2] / 1e3));
                }
                if (round >= 0) {
                    System.out.println(line);
                }
            }
        } finally {
            pool.setThreads(2);
        }
        StringBuilder total = new StringBuilder(String.format("GemmHalves %dx%dx%d, median of all calls, us:", m, n, k));
        for (int way = 0; way < WAYS.length; way++) {
            Arrays.sort(all[way]);
            total.append(String.format("  %s %.0f", WAYS[way], all[way][all[way].length / 2] / 1e3));
        }
        System.out.println(total);
        for (NdArray a : new NdArray[] {x, w, c, xh[0], xh[1], wh[0], wh[1], ch[0], ch[1]}) {
            a.close();
        }
    }
}
