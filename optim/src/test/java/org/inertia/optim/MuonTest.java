package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * Muon against a readable double-precision loop written here from torch.optim.Muon's single-tensor
 * algorithm (plain triple loops for the matrix products, no transposed views), on a wide matrix, a tall
 * one and a bias that falls back to AdamW, over several steps; and the orthogonalisation itself.
 */
class MuonTest {

    /** PyTorch's _zeropower_via_newtonschulz in double, on an m×n row-major matrix. */
    static double[][] newtonSchulz(double[][] g, int steps, double eps) {
        int m = g.length;
        int n = g[0].length;
        boolean tall = m > n;
        double[][] x = tall ? transpose(g) : copy(g);
        double norm = 0;
        for (double[] row : x) {
            for (double v : row) {
                norm += v * v;
            }
        }
        norm = Math.max(Math.sqrt(norm), eps);
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= norm;
            }
        }
        for (int s = 0; s < steps; s++) {
            double[][] a = mul(x, transpose(x));
            double[][] aa = mul(a, a);
            double[][] b = new double[a.length][a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a.length; j++) {
                    b[i][j] = Muon.NS_B * a[i][j] + Muon.NS_C * aa[i][j];
                }
            }
            double[][] bx = mul(b, x);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[0].length; j++) {
                    x[i][j] = Muon.NS_A * x[i][j] + bx[i][j];
                }
            }
        }
        return tall ? transpose(x) : x;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                double s = 0;
                for (int k = 0; k < b.length; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Test
    void newtonSchulzOrthogonalisesApproximately() {
        // the quintic pushes every singular value into roughly [0.7, 1.2]: X Xᵀ ≈ I
        Random r = new Random(3);
        double[][] g = new double[4][9];
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] o = newtonSchulz(g, 5, 1e-7);
        double[][] ooT = mul(o, transpose(o));
        for (int i = 0; i < 4; i++) {
            assertTrue(ooT[i][i] > 0.4 && ooT[i][i] < 1.6, "diagonal " + ooT[i][i]);
        }
    }

    /**
     * For a tall W Muon iterates in W's orientation (A = XᵀX, Y = a X + X B) instead of the r×c one
     * (A = X Xᵀ, Y = a X + B X on transposed views): the same bits, because B is symmetric entry for entry.
     * Five iterations both ways through the backend's GEMM, with k above one cache block (kc 512) for A.
     */
    @Test
    void tallOrientationGivesTheBitsOfTheTransposedIteration() {
        Backend be = CpuBackend.get();
        double a = 3.4445;
        double b = -4.7750;
        double c = 2.0315;
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            for (int[] mn : new int[][] {{37, 13}, {520, 5}, {70, 9}}) {
                int m = mn[0];
                int n = mn[1];
                Random r = new Random(m * 31L + n);
                double[] v = new double[m * n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextGaussian() / Math.sqrt(v.length);
                }
                try (NdArray x0 = matrix(dt, v, m, n); NdArray x1 = matrix(dt, v, m, n);
                        NdArray y0 = NdArray.zeros(dt, m, n); NdArray y1 = NdArray.zeros(dt, m, n);
                        NdArray a0 = NdArray.zeros(dt, n, n); NdArray a1 = NdArray.zeros(dt, n, n);
                        NdArray b0 = NdArray.zeros(dt, n, n); NdArray b1 = NdArray.zeros(dt, n, n)) {
                    NdArray xt = x0;
                    NdArray yt = y0;
                    NdArray xw = x1;
                    NdArray yw = y1;
                    for (int j = 0; j < 5; j++) {
                        // r×c orientation on transposed views, as Muon ran it before
                        be.gemm().gemm(false, true, 1, xt.t(), xt.t(), 0, a0);
                        be.blas1().copy(a0, b0);
                        be.gemm().gemm(false, false, c, a0, a0, b, b0);
                        be.blas1().copy(xt, yt);
                        be.gemm().gemm(false, false, 1, b0, xt.t(), a, yt.t());
                        // W's orientation, as Muon runs it now
                        be.gemm().gemm(true, false, 1, xw, xw, 0, a1);
                        be.blas1().copy(a1, b1);
                        be.gemm().gemm(false, false, c, a1, a1, b, b1);
                        be.blas1().copy(xw, yw);
                        be.gemm().gemm(false, false, 1, xw, b1, a, yw);
                        NdArray s0 = xt;
                        xt = yt;
                        yt = s0;
                        NdArray s1 = xw;
                        xw = yw;
                        yw = s1;
                    }
                    double[] want = xt.toDoubleArray();
                    double[] got = xw.toDoubleArray();
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]),
                                dt + " " + m + "x" + n + " element " + i + ": " + want[i] + " vs " + got[i]);
                    }
                }
            }
        }
    }

    private static NdArray matrix(Dtype dt, double[] v, int m, int n) {
        if (dt == Dtype.F64) {
            return NdArray.ofDoubles(v, m, n);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return NdArray.of(f, m, n);
    }

    @Test
    void matchesTheReadableLoopOnWideTallAndVectorParameters() {
        for (Dtype dt : new Dtype[] {Dtype.F64, Dtype.F32}) {
            for (boolean nesterov : new boolean[] {true, false}) {
                for (Muon.LrAdjustment adj : Muon.LrAdjustment.values()) {
                    check(dt, nesterov, adj);
                }
            }
        }
    }

    private static void check(Dtype dt, boolean nesterov, Muon.LrAdjustment adj) {
        Random r = new Random(11);
        Shape[] shapes = {Shape.of(3, 5), Shape.of(6, 2), Shape.of(4)};
        double lr = 0.02;
        double wd = 0.1;
        double mu = 0.9;
        double alr = 0.01;
        Muon.Hyper h = Muon.hyper().lr(lr).weightDecay(wd).momentum(mu).nesterov(nesterov).adjustLr(adj).adamwLr(alr)
                .adamwWeightDecay(0.05).build();
        try (FlatParameters f = FlatParameters.allocate(dt, shapes); Muon opt = new Muon()) {
            opt.addGroup(h, f.each());
            List<Params> ps = f.each();
            double[][] w = new double[3][];
            double[][] buf = new double[3][];
            double[][] v = new double[3][];
            for (int p = 0; p < 3; p++) {
                NdArray a = ps.get(p).param();
                w[p] = new double[(int) a.numel()];
                buf[p] = new double[w[p].length];
                v[p] = new double[w[p].length];
                for (int i = 0; i < w[p].length; i++) {
                    w[p][i] = r.nextGaussian();
                    a.setAtOffset(a.offset() + i, w[p][i]);
                }
            }
            for (int k = 1; k <= 4; k++) {
                for (int p = 0; p < 3; p++) {
                    NdArray gr = ps.get(p).grad();
                    double[] g = new double[w[p].length];
                    for (int i = 0; i < g.length; i++) {
                        g[i] = r.nextGaussian();
                        gr.setAtOffset(gr.offset() + i, g[i]);
                    }
                    if (p == 2) {
                        // AdamW (β 0.9, 0.95; eps 1e-10; decoupled decay 0.05)
                        for (int i = 0; i < g.length; i++) {
                            w[p][i] *= 1 - alr * 0.05;
                            buf[p][i] = 0.9 * buf[p][i] + 0.1 * g[i];
                            v[p][i] = 0.95 * v[p][i] + 0.05 * g[i] * g[i];
                            double mHat = buf[p][i] / (1 - Math.pow(0.9, k));
                            double vHat = v[p][i] / (1 - Math.pow(0.95, k));
                            w[p][i] -= alr * mHat / (Math.sqrt(vHat) + 1e-10);
                        }
                        continue;
                    }
                    int rows = shapes[p].dim(0);
                    int cols = shapes[p].dim(1);
                    double[][] u = new double[rows][cols];
                    for (int i = 0; i < g.length; i++) {
                        buf[p][i] = buf[p][i] + (1 - mu) * (g[i] - buf[p][i]);
                        u[i / cols][i % cols] = nesterov ? g[i] + mu * (buf[p][i] - g[i]) : buf[p][i];
                    }
                    double[][] o = newtonSchulz(u, 5, 1e-7);
                    double ratio = switch (adj) {
                        case ORIGINAL -> Math.sqrt(Math.max(1, (double) rows / cols));
                        case MATCH_RMS_ADAMW -> 0.2 * Math.sqrt(Math.max(rows, cols));
                        case NONE -> 1;
                    };
                    for (int i = 0; i < g.length; i++) {
                        w[p][i] = w[p][i] * (1 - lr * wd) - lr * ratio * o[i / cols][i % cols];
                    }
                }
                opt.step();
                for (int p = 0; p < 3; p++) {
                    NdArray a = ps.get(p).param();
                    for (int i = 0; i < w[p].length; i++) {
                        double got = a.getAtOffset(a.offset() + i);
                        // float64: products of O(1) values, a few hundred roundings; float32: the quintic amplifies
                        // the input's rounding a few times over five iterations
                        double tol = dt == Dtype.F64 ? 1e-12 : 2e-5;
                        assertEquals(w[p][i], got, tol, dt + " nesterov " + nesterov + " " + adj + " step " + k
                                + " parameter " + p + " element " + i);
                    }
                }
            }
            assertEquals(List.of("momentum_buffer"), List.copyOf(opt.group().stateBuffers(0).keySet()));
            assertEquals(List.of("exp_avg", "exp_avg_sq"), List.copyOf(opt.group().stateBuffers(2).keySet()));
        }
    }

    @Test
    void stateDictRoundTripWithMixedLayouts() {
        Shape[] shapes = {Shape.of(4, 3), Shape.of(3)};
        try (FlatParameters a = FlatParameters.allocate(Dtype.F32, shapes);
             FlatParameters b = FlatParameters.allocate(Dtype.F32, shapes);
             Muon straight = new Muon(); Muon first = new Muon(); Muon resumed = new Muon()) {
            Muon.Hyper h = Muon.hyper().lr(0.05).build();
            straight.addGroup(h, a.each());
            first.addGroup(h, b.each());
            resumed.addGroup(h, b.each());
            Random r = new Random(5);
            for (int i = 0; i < a.numel(); i++) {
                double x = r.nextGaussian();
                a.params().setAtOffset(i, x);
                b.params().setAtOffset(i, x);
            }
            for (int k = 1; k <= 6; k++) {
                for (int i = 0; i < a.numel(); i++) {
                    double g = Math.sin(k * 7 + i);
                    a.grads().setAtOffset(i, g);
                    b.grads().setAtOffset(i, g);
                }
                straight.step();
                if (k <= 3) {
                    first.step();
                } else {
                    resumed.step();
                }
                if (k == 3) {
                    try (StateDict sd = first.stateDict()) {
                        resumed.loadStateDict(sd);
                    }
                }
            }
            for (int i = 0; i < a.numel(); i++) {
                assertEquals(a.params().getAtOffset(i), b.params().getAtOffset(i), 0, "element " + i);
            }
        }
    }

    @Test
    void badHyperparametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Muon.hyper().nsSteps(100).build());
        assertTrue(e.getMessage().contains("nsSteps") && e.getMessage().contains("100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Muon.hyper().momentum(1).build());
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Muon.hyper().adamwEps(0).build());
        assertTrue(e.getMessage().contains("adamwEps"), e.getMessage());
    }
}
