package org.inertia.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.CpuBackend;

/**
 * Float32 C = A·B (square, or any M×N×K with A optionally transposed) on Inertia
 * ({@code CpuBackend.get().gemm}, as {@link GemmBenchmark}) and on an OpenBLAS library called through FFM, in ONE process, the two taking turns call by call (which one goes
 * first alternates), so that whatever the host does to the machine hits both sides alike. Prints, per side,
 * the 10th/50th/90th percentile of the per-call GFLOP/s (2n³/t) and the harmonic mean (total flops over total
 * time), then the ratios Inertia / OpenBLAS, then each window of 20 call pairs as {@code [inertia/openblas]}.
 *
 * <p>Why: on a 2-vCPU cloud guest one vCPU at times runs at about half speed for seconds. Timing the sides in
 * separate runs, or even seconds apart, then compares different weather; call-by-call turns do not.
 * Neither side's threads are kept spinning between calls: Inertia's idle workers spin for
 * {@code inertia.threads.spinMicros} (200 µs), and OpenBLAS's for {@code OPENBLAS_THREAD_TIMEOUT}, which
 * the wrapper script sets to its minimum so that its spinning threads do not take the CPU from Inertia's
 * turn. Both sides thus pay the wake-up of a parked thread, as in a program doing other work between
 * products.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dinertia.threads=2 \
 *     -cp bench/target/benchmarks.jar org.inertia.bench.jmh.GemmInterleaved LIBOPENBLAS.so 2 512 2000</pre>
 * (arguments: the OpenBLAS shared library, the thread count of both sides, the shape, and the call pairs; run by
 * {@code bench/compare/gemm_interleaved.sh}, which finds numpy's bundled OpenBLAS). The library must be
 * OpenBLAS (LP64 {@code cblas_sgemm} or the ILP64 {@code scipy_cblas_sgemm64_} of numpy's wheels): a
 * reference BLAS is refused. The shape is n for a square product, or {@code MxNxK}, with a suffix {@code t}
 * for A given transposed (stored K×M, as the LSTM's weight gradient C = Aᵀ·B reads its gate gradients):
 * e.g. {@code 512x128x50176t}.
 */
public final class GemmInterleaved {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final int WINDOW = 20;

    private GemmInterleaved() {
    }

    /** One OpenBLAS build: its sgemm, its thread setting and its configuration string. */
    private record OpenBlas(MethodHandle sgemm, boolean ilp64, String config) {
        static OpenBlas load(Path lib, int threads) throws Throwable {
            Linker linker = Linker.nativeLinker();
            SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global());
            boolean ilp64 = l.find("scipy_cblas_sgemm64_").isPresent();
            String p = ilp64 ? "scipy_" : "";
            String s = ilp64 ? "64_" : "";
            Optional<MemorySegment> config = l.find(p + "openblas_get_config" + s);
            Optional<MemorySegment> setThreads = l.find(p + "openblas_set_num_threads" + s);
            if (config.isEmpty() || setThreads.isEmpty()) {
                throw new IllegalArgumentException(lib + " is not OpenBLAS (no openblas_get_config): refusing to "
                        + "compare with it; a reference BLAS is 20-30x slower. Install libopenblas0-pthread or use "
                        + "numpy's bundled OpenBLAS.");
            }
            MethodHandle cfg = linker.downcallHandle(config.get(), FunctionDescriptor.of(ValueLayout.ADDRESS));
            String text = ((MemorySegment) cfg.invokeExact()).reinterpret(1024).getString(0);
            MethodHandle set = linker.downcallHandle(setThreads.get(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            set.invokeExact(threads);
            ValueLayout idx = ilp64 ? ValueLayout.JAVA_LONG : ValueLayout.JAVA_INT;
            MethodHandle sgemm = linker.downcallHandle(l.find(p + "cblas_sgemm" + s).orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            idx, idx, idx, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, idx, ValueLayout.ADDRESS,
                            idx, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, idx));
            return new OpenBlas(sgemm, ilp64, text);
        }

        void gemm(Shape sh, MemorySegment a, MemorySegment b, MemorySegment c) throws Throwable {
            int ta = sh.transA() ? TRANS : NO_TRANS;
            int lda = sh.transA() ? sh.m() : sh.k();
            if (ilp64) {
                sgemm.invokeExact(ROW_MAJOR, ta, NO_TRANS, (long) sh.m(), (long) sh.n(), (long) sh.k(), 1f, a,
                        (long) lda, b, (long) sh.n(), 0f, c, (long) sh.n());
            } else {
                sgemm.invokeExact(ROW_MAJOR, ta, NO_TRANS, sh.m(), sh.n(), sh.k(), 1f, a, lda, b, sh.n(), 0f, c,
                        sh.n());
            }
        }
    }

    /** The product's shape: C is m×n, the depth k; A is stored k×m when {@code transA}. */
    private record Shape(int m, int n, int k, boolean transA) {
        static Shape parse(String s) {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT);
            boolean trans = t.endsWith("t");
            String[] p = (trans ? t.substring(0, t.length() - 1) : t).split("x");
            try {
                Shape sh = p.length == 1 ? new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[0]),
                        Integer.parseInt(p[0]), trans)
                        : p.length == 3 ? new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]),
                                Integer.parseInt(p[2]), trans) : null;
                if (sh != null && sh.m() > 0 && sh.n() > 0 && sh.k() > 0) {
                    return sh;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("shape must be N or MxNxK (positive, optional suffix t for A "
                    + "transposed), got '" + s + "'");
        }

        double flops() {
            return 2.0 * m * n * k;
        }

        @Override
        public String toString() {
            return m == n && n == k && !transA ? "n=" + n : m + "x" + n + "x" + k + (transA ? " (A transposed)" : "");
        }
    }

    /**
     * Runs the interleaved timing.
     *
     * @param args the OpenBLAS library, the thread count, the shape (n or MxNxK[t]) and the number of call pairs
     * @throws Throwable if a downcall fails
     */
    public static void main(String[] args) throws Throwable {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: GemmInterleaved LIBOPENBLAS THREADS N|MxNxK[t] CALL_PAIRS");
        }
        Path lib = Path.of(args[0]);
        if (!Files.isRegularFile(lib)) {
            throw new IllegalArgumentException("no such library: " + lib);
        }
        int threads = Integer.parseInt(args[1]);
        Shape sh = Shape.parse(args[2]);
        int pairs = Integer.parseInt(args[3]);
        String poolThreads = System.getProperty("inertia.threads", "");
        if (!poolThreads.equals(Integer.toString(threads))) {
            throw new IllegalArgumentException("pass -Dinertia.threads=" + threads + " (got '" + poolThreads + "')");
        }
        if (pairs < WINDOW) {
            throw new IllegalArgumentException("CALL_PAIRS must be >= " + WINDOW + ", got " + pairs);
        }
        OpenBlas blas = OpenBlas.load(lib, threads);
        System.out.println("OpenBLAS: " + lib.getFileName() + " (" + blas.config().trim() + "), " + threads
                + " thread(s); Inertia: " + CpuBackend.get());
        SplittableRandom r = new SplittableRandom(42);
        try (NdArray a = sh.transA() ? random(r, sh.k(), sh.m()) : random(r, sh.m(), sh.k());
                NdArray b = random(r, sh.k(), sh.n()); NdArray c = NdArray.zeros(Dtype.F32, sh.m(), sh.n());
                Arena arena = Arena.ofConfined()) {
            MemorySegment na = copy(arena, a);
            MemorySegment nb = copy(arena, b);
            MemorySegment nc = arena.allocate(4L * sh.m() * sh.n(), 64);
            double flops = sh.flops();
            int warm = Math.max(3, (int) Math.min(200, 2e10 / flops));
            for (int i = 0; i < warm; i++) {
                CpuBackend.get().gemm().gemm(sh.transA(), false, 1.0, a, b, 0.0, c);
                blas.gemm(sh, na, nb, nc);
            }
            double[] ours = new double[pairs];
            double[] theirs = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                for (int side = 0; side < 2; side++) {
                    boolean inertia = (side == 0) == (i % 2 == 0);
                    long t0 = System.nanoTime();
                    if (inertia) {
                        CpuBackend.get().gemm().gemm(sh.transA(), false, 1.0, a, b, 0.0, c);
                    } else {
                        blas.gemm(sh, na, nb, nc);
                    }
                    double gf = flops / (System.nanoTime() - t0);
                    if (inertia) {
                        ours[i] = gf;
                    } else {
                        theirs[i] = gf;
                    }
                }
            }
            System.out.printf("%s threads=%d pairs=%d%n", sh, threads, pairs);
            System.out.println("inertia   " + summary(ours));
            System.out.println("openblas  " + summary(theirs));
            System.out.printf("ratio     p50 %.3f  harmonic mean %.3f  median of window ratios %.3f%n",
                    percentile(ours, 50) / percentile(theirs, 50), harmonic(ours) / harmonic(theirs),
                    windowRatioMedian(ours, theirs));
            StringBuilder w = new StringBuilder("windows (median GFLOP/s of 20 calls, inertia/openblas):");
            for (int s = 0; s + WINDOW <= pairs; s += WINDOW) {
                w.append(String.format(" [%.0f/%.0f]", percentile(Arrays.copyOfRange(ours, s, s + WINDOW), 50),
                        percentile(Arrays.copyOfRange(theirs, s, s + WINDOW), 50)));
            }
            System.out.println(w);
        }
    }

    private static NdArray random(SplittableRandom r, int rows, int cols) {
        float[] d = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-1, 1);
        }
        return NdArray.of(d, rows, cols);
    }

    private static MemorySegment copy(Arena arena, NdArray x) {
        float[] d = x.toFloatArray();
        MemorySegment s = arena.allocate(4L * d.length, 64);
        MemorySegment.copy(d, 0, s, ValueLayout.JAVA_FLOAT, 0, d.length);
        return s;
    }

    private static String summary(double[] gf) {
        return String.format("p10 %6.1f  p50 %6.1f  p90 %6.1f  harmonic mean %6.1f GFLOP/s", percentile(gf, 10),
                percentile(gf, 50), percentile(gf, 90), harmonic(gf));
    }

    private static double percentile(double[] x, int p) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)];
    }

    /** Total flops over total time, per call: the rate a program making these calls sees. */
    private static double harmonic(double[] gf) {
        double inv = 0;
        for (double g : gf) {
            inv += 1 / g;
        }
        return gf.length / inv;
    }

    private static double windowRatioMedian(double[] ours, double[] theirs) {
        int windows = ours.length / WINDOW;
        double[] q = new double[windows];
        for (int w = 0; w < windows; w++) {
            q[w] = percentile(Arrays.copyOfRange(ours, w * WINDOW, (w + 1) * WINDOW), 50)
                    / percentile(Arrays.copyOfRange(theirs, w * WINDOW, (w + 1) * WINDOW), 50);
        }
        return percentile(q, 50);
    }
}
