package org.inertia.app.experiments;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.inertia.kernels.NdArray;

/**
 * The lectures' convex quadratic f(w) = ½ wᵀ L w − wᵀ e₁ in d dimensions (momentum notes, experiment 1).
 * {@link Graph#PATH}: L is the path-graph (Dirichlet) Laplacian, tridiagonal with 2 on the diagonal and −1
 * beside it; it is positive definite with eigenvalues 2 − 2cos(jπ/(d+1)), so f* = −½ (L⁻¹)₁₁ =
 * −½·d/(d+1). {@link Graph#CYCLE}: the cycle-graph Laplacian (corners −1 as well) is singular with e₁
 * outside its range, so f is unbounded below; there we report ‖∇f‖ instead of f − f*.
 *
 * <p>Gradient noise regimes: exact; Case I adds N(0, (0.1/(⌊k/100⌋+1))²) per coordinate (decaying);
 * Case II adds N(0, 0.001²) (constant).
 */
public final class QuadraticProblem {
    /** Which Laplacian. */
    public enum Graph { PATH, CYCLE }

    /** Gradient oracle. */
    public enum Noise {
        EXACT, CASE_I, CASE_II;

        /** Standard deviation of the noise added at iteration k (counting from 1). */
        public double sigma(long k) {
            return switch (this) {
                case EXACT -> 0;
                case CASE_I -> 0.1 / (Math.floorDiv(k, 100) + 1);
                case CASE_II -> 0.001;
            };
        }
    }

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private final int d;
    private final Graph graph;

    public QuadraticProblem(int d, Graph graph) {
        if (d < 3) {
            throw new IllegalArgumentException("dimension d must be >= 3, got " + d);
        }
        this.d = d;
        this.graph = graph;
    }

    public int dimension() {
        return d;
    }

    public Graph graph() {
        return graph;
    }

    /** The largest eigenvalue bound L = 4 used for the step size 1/L. */
    public double smoothness() {
        return 4;
    }

    /** The smallest eigenvalue of the path Laplacian, 2 − 2cos(π/(d+1)) (0 for the cycle). */
    public double strongConvexity() {
        return graph == Graph.PATH ? 2 - 2 * Math.cos(Math.PI / (d + 1)) : 0;
    }

    /** The minimum value f* (path graph only). */
    public double optimum() {
        if (graph != Graph.PATH) {
            throw new IllegalStateException("f is unbounded below on the cycle graph");
        }
        return -0.5 * d / (d + 1.0);
    }

    private double lw(MemorySegment w, int i) {
        double left = i > 0 ? w.getAtIndex(D, i - 1) : (graph == Graph.CYCLE ? w.getAtIndex(D, d - 1) : 0);
        double right = i < d - 1 ? w.getAtIndex(D, i + 1) : (graph == Graph.CYCLE ? w.getAtIndex(D, 0) : 0);
        return 2 * w.getAtIndex(D, i) - left - right;
    }

    /** f(w) for a contiguous F64 vector w. */
    public double value(NdArray w) {
        MemorySegment s = w.segment();
        double f = 0;
        for (int i = 0; i < d; i++) {
            f += 0.5 * s.getAtIndex(D, i) * lw(s, i);
        }
        return f - s.getAtIndex(D, 0);
    }

    /** grad ← L w − e₁ + noise, returns ‖L w − e₁‖ (the exact gradient's norm). */
    public double gradient(NdArray w, NdArray grad, double sigma, SplittableRandom rnd) {
        MemorySegment s = w.segment();
        MemorySegment g = grad.segment();
        double norm2 = 0;
        for (int i = 0; i < d; i++) {
            double gi = lw(s, i) - (i == 0 ? 1 : 0);
            norm2 += gi * gi;
            g.setAtIndex(D, i, sigma == 0 ? gi : gi + sigma * gaussian(rnd));
        }
        return Math.sqrt(norm2);
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller from a splittable generator: reproducible for a given seed
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
