package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * The matrix exponential e^A = Σ_k A^k/k! and its Fréchet derivative L(A, E) = Σ_k (1/k!) Σ_{j&lt;k} A^j E A^{k−1−j}
 * = ∫₀¹ e^{sA} E e^{(1−s)A} ds, with the adjoint used by backward.
 *
 * <p><b>e^A</b>: scaling and squaring with a diagonal Padé approximant (Higham 2005, "The scaling and squaring
 * method for the matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26(4), Algorithm 2.3): the degree
 * m ∈ {3, 5, 7, 9, 13} is the smallest with ‖A‖₁ ≤ θ_m, else m = 13 and A is scaled by 2^{−s},
 * s = ⌈log₂(‖A‖₁/θ₁₃)⌉; r_m(A) = q_m(A)⁻¹ p_m(A) with p_m(A) = U + V (odd and even parts), q_m(A) = V − U, then
 * squared s times. Backward error below the double-precision unit roundoff for every A.
 *
 * <p><b>L(A, E)</b>: the same recurrences differentiated alongside (Al-Mohy and Higham 2009, "Computing the
 * Fréchet derivative of the matrix exponential, with an application to condition number estimation",
 * SIAM J. Matrix Anal. Appl. 30(4), Algorithm 6.4) — equivalently, the top-right block of
 * exp([[A, E], [0, A]]), computed in block-triangular arithmetic, so it costs about three n×n products per
 * product of the plain exponential instead of the eight of the 2n×2n matrix. m and s are chosen from ‖A‖₁.
 *
 * <p><b>Adjoint</b>: for the Frobenius inner product ⟨L(A, E), G⟩ = ⟨E, L(Aᵀ, G)⟩ (every term A^j E A^{k−1−j}
 * has adjoint (Aᵀ)^j G (Aᵀ)^{k−1−j}), so for Y = e^A, ∂ℓ/∂A = L(Aᵀ, ∂ℓ/∂Y). This is what expRNN / DTRIV
 * (Lezcano-Casado and Martínez-Rubio 2019; Lezcano-Casado 2019) backpropagate through.
 *
 * <p>Everything is computed in float64 (a float32 argument is widened and the result rounded once), on
 * row-major {@code double[]} with plain loops: these matrices are the size of a recurrent layer's hidden state
 * (hundreds), used once per forward pass, not per time step.
 */
public final class MatrixExp {
    private static final double[] THETA = {1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1,
        2.097847961257068, 5.371920351148152};
    private static final int[] DEGREE = {3, 5, 7, 9, 13};
    private static final double[][] B = {
        {120, 60, 12, 1},
        {30240, 15120, 3360, 420, 30, 1},
        {17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1},
        {17643225600.0, 8821612800.0, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1},
        {64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0, 129060195264000.0,
            10559470521600.0, 670442572800.0, 33522128640.0, 1323241920, 40840800, 960960, 16380, 182, 1}};

    private MatrixExp() {
    }

    /**
     * e^A and, when E was given, L(A, E) (else null); row-major n×n.
     *
     * @param exp     e^A
     * @param frechet L(A, E), or null
     */
    public record Result(double[] exp, double[] frechet) {
    }

    /**
     * e^A of a square matrix, in A's dtype.
     *
     * @param a the matrix A [n, n], F32 or F64, finite; not modified
     * @return e^A [n, n] in {@code a}'s dtype: a new array; the caller closes it
     * @throws IllegalArgumentException if {@code a} is not a square floating-point matrix or has a non-finite element
     * @throws IllegalStateException if {@code a} is closed
     * @throws NullPointerException if {@code a} is null
     */
    public static NdArray expm(NdArray a) {
        int n = square("expm", "a", a);
        Result r = compute(a.toDoubleArray(), null, n);
        return store(r.exp(), a.dtype(), n);
    }

    /**
     * The Fréchet derivative L(A, E) of e^A in direction E, in A's dtype.
     *
     * @param a the matrix A [n, n], F32 or F64, finite; not modified
     * @param e the direction E [n, n], floating-point; not modified
     * @return L(A, E) [n, n] in {@code a}'s dtype: a new array; the caller closes it
     * @throws IllegalArgumentException if {@code a} is not square, {@code e} not of its shape, either is not
     *                                  floating-point, or {@code a} has a non-finite element
     * @throws IllegalStateException if either is closed
     * @throws NullPointerException if either is null
     */
    public static NdArray frechet(NdArray a, NdArray e) {
        int n = square("expm frechet", "a", a);
        int m = square("expm frechet", "e", e);
        if (m != n) {
            throw new IllegalArgumentException("expm frechet: e must be " + a.shape() + " like a, got " + e.shape());
        }
        Result r = compute(a.toDoubleArray(), e.toDoubleArray(), n);
        return store(r.frechet(), a.dtype(), n);
    }

    /**
     * Y = e^A as an autograd op: ∂ℓ/∂A = L(Aᵀ, ∂ℓ/∂Y) (class comment).
     *
     * @param a the matrix A [n, n], F32 or F64, finite
     * @return Y = e^A [n, n] in {@code a}'s dtype: a new tensor, owned by the current {@code TensorScope}
     *         (else by the caller)
     * @throws IllegalArgumentException if {@code a} is not a square floating-point matrix or has a non-finite element
     * @throws IllegalStateException if {@code a} is closed
     * @throws NullPointerException if {@code a} is null
     */
    public static Tensor apply(Tensor a) {
        Tensor.requireOpen("expm", "a", a);
        int n = square("expm", "a", a.data());
        double[] ad = a.data().toDoubleArray();
        NdArray out = store(compute(ad, null, n).exp(), a.dtype(), n);
        return Tensor.result(out, a.backend(), new Node(a) {
            @Override
            public String name() {
                return "expm";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    double[] at = transpose(ad, n);
                    sink.accept(0, store(compute(at, g.toDoubleArray(), n).frechet(), g.dtype(), n));
                }
            }
        });
    }

    /** Checks an open square float matrix and returns its size. */
    static int square(String op, String name, NdArray a) {
        java.util.Objects.requireNonNull(a, name);
        if (!a.isOpen()) {
            throw new IllegalStateException(op + ": " + name + " is closed");
        }
        Checks.floating(op, name, a.dtype());
        if (a.rank() != 2 || a.dim(0) != a.dim(1) || a.dim(0) < 1) {
            throw new IllegalArgumentException(op + ": " + name + " must be a square matrix [n, n] with n >= 1, got "
                    + a.shape());
        }
        return a.dim(0);
    }

    static NdArray store(double[] v, Dtype dtype, int n) {
        NdArray out = NdArray.zeros(dtype, n, n);
        out.copyFrom(v);
        return out;
    }

    static double[] transpose(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j * n + i] = a[i * n + j];
            }
        }
        return t;
    }

    /**
     * e^A and (if {@code e0} is not null) L(A, E) for row-major n×n {@code a0} and {@code e0}; the arguments are
     * not modified.
     *
     * @param a0 A, row-major n×n (n·n finite elements)
     * @param e0 the direction E, row-major n×n, or null for e^A alone
     * @param n  the order n of the matrices
     * @return e^A and L(A, E) (null when {@code e0} is), as new row-major n×n arrays
     * @throws IllegalArgumentException if an array does not hold n·n elements or {@code a0} has a non-finite one
     * @throws ArithmeticException if the Padé denominator q(A) is numerically singular
     */
    public static Result compute(double[] a0, double[] e0, int n) {
        if (a0.length != n * n || (e0 != null && e0.length != n * n)) {
            throw new IllegalArgumentException("expm needs n*n = " + n * n + " elements, got " + a0.length
                    + (e0 == null ? "" : " and " + e0.length));
        }
        for (double v : a0) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("expm: the matrix has a non-finite element " + v);
            }
        }
        boolean d = e0 != null;
        double norm = norm1(a0, n);
        int pick = 4;
        int s = 0;
        for (int i = 0; i < 4; i++) {
            if (norm <= THETA[i]) {
                pick = i;
                break;
            }
        }
        if (pick == 4 && norm > THETA[4]) {
            s = Math.max(0, (int) Math.ceil(Math.log(norm / THETA[4]) / Math.log(2)));
        }
        double scale = Math.scalb(1.0, -s);
        double[] a = scaled(a0, scale);
        double[] e = d ? scaled(e0, scale) : null;
        double[] b = B[pick];
        int m = DEGREE[pick];
        double[] ident = identity(n);
        // even powers A^2, A^4, ... and their derivatives L_j = d(A^j)[E]
        double[] a2 = mul(a, a, n);
        double[] l2 = d ? add(mul(a, e, n), mul(e, a, n)) : null;
        double[] u;
        double[] v;
        double[] lu = null;
        double[] lv = null;
        if (m <= 9) {
            int half = (m - 1) / 2; // powers A^0, A^2, ..., A^{m-1}
            double[][] pw = new double[half + 1][];
            double[][] lp = new double[half + 1][];
            pw[0] = ident;
            pw[1] = a2;
            lp[1] = l2;
            for (int j = 2; j <= half; j++) {
                pw[j] = mul(pw[j - 1], a2, n);
                if (d) {
                    lp[j] = add(mul(pw[j - 1], l2, n), mul(lp[j - 1], a2, n));
                }
            }
            double[] odd = new double[n * n]; // Σ b_{2j+1} A^{2j}
            double[] even = new double[n * n]; // Σ b_{2j} A^{2j}
            double[] lodd = d ? new double[n * n] : null;
            double[] leven = d ? new double[n * n] : null;
            for (int j = 0; j <= half; j++) {
                axpy(b[2 * j + 1], pw[j], odd);
                axpy(b[2 * j], pw[j], even);
                if (d && j > 0) {
                    axpy(b[2 * j + 1], lp[j], lodd);
                    axpy(b[2 * j], lp[j], leven);
                }
            }
            u = mul(a, odd, n);
            v = even;
            if (d) {
                lu = add(mul(a, lodd, n), mul(e, odd, n));
                lv = leven;
            }
        } else {
            double[] a4 = mul(a2, a2, n);
            double[] a6 = mul(a4, a2, n);
            double[] l4 = d ? add(mul(a2, l2, n), mul(l2, a2, n)) : null;
            double[] l6 = d ? add(mul(a4, l2, n), mul(l4, a2, n)) : null;
            double[] w1 = lin(b[13], a6, b[11], a4, b[9], a2, 0, null);
            double[] w2 = lin(b[7], a6, b[5], a4, b[3], a2, b[1], ident);
            double[] z1 = lin(b[12], a6, b[10], a4, b[8], a2, 0, null);
            double[] z2 = lin(b[6], a6, b[4], a4, b[2], a2, b[0], ident);
            double[] w = add(mul(a6, w1, n), w2);
            u = mul(a, w, n);
            v = add(mul(a6, z1, n), z2);
            if (d) {
                double[] lw1 = lin(b[13], l6, b[11], l4, b[9], l2, 0, null);
                double[] lw2 = lin(b[7], l6, b[5], l4, b[3], l2, 0, null);
                double[] lz1 = lin(b[12], l6, b[10], l4, b[8], l2, 0, null);
                double[] lz2 = lin(b[6], l6, b[4], l4, b[2], l2, 0, null);
                double[] lw = add(add(mul(a6, lw1, n), mul(l6, w1, n)), lw2);
                lu = add(mul(a, lw, n), mul(e, w, n));
                lv = add(add(mul(a6, lz1, n), mul(l6, z1, n)), lz2);
            }
        }
        // r = (V − U)⁻¹ (U + V); L = (V − U)⁻¹ (Lu + Lv + (Lu − Lv) r)
        double[] q = sub(v, u);
        Lu lu0 = Lu.factor(q, n);
        double[] r = lu0.solve(add(u, v));
        double[] l = null;
        if (d) {
            l = lu0.solve(add(add(lu, lv), mul(sub(lu, lv), r, n)));
        }
        for (int k = 0; k < s; k++) {
            if (d) {
                l = add(mul(r, l, n), mul(l, r, n));
            }
            r = mul(r, r, n);
        }
        return new Result(r, l);
    }

    static double norm1(double[] a, int n) {
        double best = 0;
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.abs(a[i * n + j]);
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    private static double[] identity(int n) {
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1;
        }
        return id;
    }

    private static double[] scaled(double[] a, double c) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = c * a[i];
        }
        return out;
    }

    /**
     * C = A·B for row-major n×n arrays (a float64 helper for callers of {@link #compute}).
     *
     * @param a A, row-major n×n (n·n elements); not modified
     * @param b B, row-major n×n (n·n elements); not modified
     * @param n the order n of the matrices
     * @return A·B as a new row-major n×n array
     */
    public static double[] multiply(double[] a, double[] b, int n) {
        return mul(a, b, n);
    }

    /**
     * Aᵀ of a row-major n×n array.
     *
     * @param a A, row-major n×n (n·n elements); not modified
     * @param n the order n of the matrix
     * @return Aᵀ as a new row-major n×n array
     */
    public static double[] transposed(double[] a, int n) {
        return transpose(a, n);
    }

    /** C = A·B, row-major n×n; the inner loop runs along rows of B and C (unit stride, vectorisable). */
    static double[] mul(double[] a, double[] b, int n) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ci = i * n;
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                if (aik == 0) {
                    continue;
                }
                int bk = k * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aik * b[bk + j];
                }
            }
        }
        return c;
    }

    private static double[] add(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] + b[i];
        }
        return c;
    }

    private static double[] sub(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** c1·x1 + c2·x2 + c3·x3 + c4·x4 (x4 may be null). */
    private static double[] lin(double c1, double[] x1, double c2, double[] x2, double c3, double[] x3, double c4,
                                double[] x4) {
        double[] out = new double[x1.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c1 * x1[i] + c2 * x2[i] + c3 * x3[i] + (x4 == null ? 0 : c4 * x4[i]);
        }
        return out;
    }

    /** LU factorisation with partial pivoting of a row-major n×n matrix, for solves with n×n right-hand sides. */
    private record Lu(double[] lu, int[] perm, int n) {
        static Lu factor(double[] a, int n) {
            double[] lu = a.clone();
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int c = 0; c < n; c++) {
                int p = c;
                for (int r = c + 1; r < n; r++) {
                    if (Math.abs(lu[r * n + c]) > Math.abs(lu[p * n + c])) {
                        p = r;
                    }
                }
                if (lu[p * n + c] == 0) {
                    throw new ArithmeticException("expm: the Padé denominator q(A) is singular (column " + c + ")");
                }
                if (p != c) {
                    for (int j = 0; j < n; j++) {
                        double t = lu[c * n + j];
                        lu[c * n + j] = lu[p * n + j];
                        lu[p * n + j] = t;
                    }
                    int t = perm[c];
                    perm[c] = perm[p];
                    perm[p] = t;
                }
                double piv = lu[c * n + c];
                for (int r = c + 1; r < n; r++) {
                    double f = lu[r * n + c] / piv;
                    lu[r * n + c] = f;
                    if (f != 0) {
                        for (int j = c + 1; j < n; j++) {
                            lu[r * n + j] -= f * lu[c * n + j];
                        }
                    }
                }
            }
            return new Lu(lu, perm, n);
        }

        /** X with (this matrix)·X = rhs, rhs row-major n×n. */
        double[] solve(double[] rhs) {
            double[] x = new double[n * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rhs, perm[i] * n, x, i * n, n);
            }
            for (int i = 0; i < n; i++) { // forward: L unit lower
                for (int k = 0; k < i; k++) {
                    double f = lu[i * n + k];
                    if (f != 0) {
                        for (int j = 0; j < n; j++) {
                            x[i * n + j] -= f * x[k * n + j];
                        }
                    }
                }
            }
            for (int i = n - 1; i >= 0; i--) { // backward: U
                for (int k = i + 1; k < n; k++) {
                    double f = lu[i * n + k];
                    if (f != 0) {
                        for (int j = 0; j < n; j++) {
                            x[i * n + j] -= f * x[k * n + j];
                        }
                    }
                }
                double piv = lu[i * n + i];
                for (int j = 0; j < n; j++) {
                    x[i * n + j] /= piv;
                }
            }
            return x;
        }
    }
}
