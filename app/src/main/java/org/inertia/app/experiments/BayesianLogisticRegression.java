package org.inertia.app.experiments;

import java.util.SplittableRandom;

/**
 * A synthetic Bayesian logistic regression for the sampling experiment (momentum notes §1, "momentum for
 * sampling"). Data: N training and M test points x ∈ ℝ^d with independent Gaussian features of standard
 * deviations σ_j log-spaced from 1 down to {@code minScale} (an ill-conditioned posterior), labels
 * y ~ Bernoulli(sigmoid(xᵀw_true)), w_true ~ N(0, I). Prior w ~ N(0, τ²I). The posterior is
 * π(w) ∝ exp(−U(w)) with the potential
 *
 * <pre>
 *   U(w) = Σ_i [log(1 + e^{x_iᵀw}) − y_i x_iᵀw] + |w|²/(2τ²),   ∇U = Σ_i (sigmoid(x_iᵀw) − y_i) x_i + w/τ²,
 *   ∇²U = Σ_i p_i(1 − p_i) x_i x_iᵀ + I/τ².
 * </pre>
 */
public final class BayesianLogisticRegression {
    private final int d;
    private final double[][] xTrain;
    private final int[] yTrain;
    private final double[][] xTest;
    private final int[] yTest;
    private final double priorStd;

    public BayesianLogisticRegression(int d, int n, int m, double minScale, double priorStd, long seed) {
        if (d < 1 || n < 1 || m < 1) {
            throw new IllegalArgumentException("need d, n, m >= 1, got " + d + ", " + n + ", " + m);
        }
        this.d = d;
        this.priorStd = priorStd;
        SplittableRandom r = new SplittableRandom(seed);
        double[] wTrue = new double[d];
        for (int j = 0; j < d; j++) {
            wTrue[j] = gaussian(r);
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            scale[j] = d == 1 ? 1 : Math.pow(minScale, j / (d - 1.0));
            wTrue[j] /= scale[j]; // every feature matters about equally: x_j w_j has unit scale
        }
        xTrain = new double[n][];
        yTrain = new int[n];
        xTest = new double[m][];
        yTest = new int[m];
        for (int i = 0; i < n + m; i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = scale[j] * gaussian(r);
            }
            int y = r.nextDouble() < sigmoid(dot(x, wTrue)) ? 1 : 0;
            if (i < n) {
                xTrain[i] = x;
                yTrain[i] = y;
            } else {
                xTest[i - n] = x;
                yTest[i - n] = y;
            }
        }
    }

    public int dimension() {
        return d;
    }

    public int trainSize() {
        return yTrain.length;
    }

    /** The prior precision 1/τ² (passed to the samplers as weight decay). */
    public double priorPrecision() {
        return 1 / (priorStd * priorStd);
    }

    /** U(w) over the whole training set, prior included. */
    public double potential(double[] w) {
        double u = 0;
        for (int i = 0; i < yTrain.length; i++) {
            double z = dot(xTrain[i], w);
            u += softplus(z) - yTrain[i] * z;
        }
        return u + 0.5 * priorPrecision() * dot(w, w);
    }

    /** The likelihood part of ∇U, estimated from {@code batch} points drawn with replacement and scaled by N/B (all points when batch ≥ N). */
    public void likelihoodGradient(double[] w, int batch, SplittableRandom r, double[] out) {
        java.util.Arrays.fill(out, 0);
        int n = yTrain.length;
        boolean full = batch >= n;
        int count = full ? n : batch;
        for (int b = 0; b < count; b++) {
            int i = full ? b : r.nextInt(n);
            double e = sigmoid(dot(xTrain[i], w)) - yTrain[i];
            for (int j = 0; j < d; j++) {
                out[j] += e * xTrain[i][j];
            }
        }
        double s = (double) n / count;
        for (int j = 0; j < d; j++) {
            out[j] *= s;
        }
    }

    /**
     * As {@link #likelihoodGradient(double[], int, SplittableRandom, double[])}, and the per-element variance of
     * that estimate into {@code variance}: with B points drawn with replacement and scaled by N/B, Var ĝ_j =
     * (N²/B)·Var_i(g_ij); the per-example variance is estimated by the batch's sample variance (divisor B − 1).
     * Zero for the full gradient (batch ≥ N), which is exact.
     */
    public void likelihoodGradient(double[] w, int batch, SplittableRandom r, double[] out, double[] variance) {
        java.util.Arrays.fill(out, 0);
        java.util.Arrays.fill(variance, 0);
        int n = yTrain.length;
        if (batch >= n) {
            likelihoodGradient(w, batch, r, out);
            return;
        }
        double[] sq = new double[d];
        for (int b = 0; b < batch; b++) {
            int i = r.nextInt(n);
            double e = sigmoid(dot(xTrain[i], w)) - yTrain[i];
            for (int j = 0; j < d; j++) {
                double g = e * xTrain[i][j];
                out[j] += g;
                sq[j] += g * g;
            }
        }
        for (int j = 0; j < d; j++) {
            double mean = out[j] / batch;
            double sampleVar = batch > 1 ? Math.max(0, (sq[j] - batch * mean * mean) / (batch - 1)) : 0;
            variance[j] = (double) n * n / batch * sampleVar;
            out[j] *= (double) n / batch;
        }
    }

    /** ∇²U(w) (full data, prior included), d×d. */
    public double[][] hessian(double[] w) {
        double[][] h = new double[d][d];
        for (int i = 0; i < yTrain.length; i++) {
            double p = sigmoid(dot(xTrain[i], w));
            double c = p * (1 - p);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    h[a][b] += c * xTrain[i][a] * xTrain[i][b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            h[a][a] += priorPrecision();
        }
        return h;
    }

    /** The posterior mode, by Newton's method from 0 (U is strongly convex). */
    public double[] map() {
        double[] w = new double[d];
        double[] g = new double[d];
        for (int it = 0; it < 50; it++) {
            likelihoodGradient(w, Integer.MAX_VALUE, null, g);
            for (int j = 0; j < d; j++) {
                g[j] += priorPrecision() * w[j];
            }
            double[] step = solve(hessian(w), g);
            double norm = 0;
            for (int j = 0; j < d; j++) {
                w[j] -= step[j];
                norm += step[j] * step[j];
            }
            if (Math.sqrt(norm) < 1e-12) {
                break;
            }
        }
        return w;
    }

    /** Per test point, p(y = 1 | x, w). */
    public void predict(double[] w, double[] out) {
        for (int i = 0; i < yTest.length; i++) {
            out[i] = sigmoid(dot(xTest[i], w));
        }
    }

    /** Accuracy of predictive probabilities p(y = 1 | x_i) on the test set. */
    public double testAccuracy(double[] p) {
        int hits = 0;
        for (int i = 0; i < yTest.length; i++) {
            hits += (p[i] >= 0.5 ? 1 : 0) == yTest[i] ? 1 : 0;
        }
        return (double) hits / yTest.length;
    }

    /** Mean negative log-likelihood of the test labels under predictive probabilities p. */
    public double testNll(double[] p) {
        double s = 0;
        for (int i = 0; i < yTest.length; i++) {
            double q = Math.min(1 - 1e-12, Math.max(1e-12, p[i]));
            s -= yTest[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        return s / yTest.length;
    }

    public int testSize() {
        return yTest.length;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Solves A x = b by Gaussian elimination with partial pivoting (A small and well posed). */
    static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            double tb = b[c];
            b[c] = b[p];
            b[p] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** λ_max and λ_min of a Hessian and the unit eigenvector of λ_min. */
    public record Extremes(double max, double min, double[] minVector) {
    }

    /** The extreme eigenpairs of a symmetric matrix, by cyclic Jacobi rotations (exact to rounding for small n). */
    public static Extremes extremes(double[][] a0) {
        int n = a0.length;
        double[][] a = new double[n][];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < n; k++) { // A ← Jᵀ A J, columns then rows
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - sn * akq;
                        a[k][q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - sn * aqk;
                        a[q][k] = sn * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - sn * vkq;
                        v[k][q] = sn * vkp + c * vkq;
                    }
                }
            }
        }
        int lo = 0;
        int hi = 0;
        for (int i = 1; i < n; i++) {
            lo = a[i][i] < a[lo][lo] ? i : lo;
            hi = a[i][i] > a[hi][hi] ? i : hi;
        }
        double[] u = new double[n];
        for (int k = 0; k < n; k++) {
            u[k] = v[k][lo];
        }
        return new Extremes(a[hi][hi], a[lo][lo], u);
    }
}
