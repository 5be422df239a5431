package org.inertia.nn.data;

import org.inertia.kernels.SplitMix64;

/**
 * Seeded random permutations that are the same on every JVM, platform and thread count: a
 * {@link SplitMix64} generator (fully specified, unlike {@link java.util.Random}'s future) driving a
 * Fisher–Yates shuffle with its unbiased bounded draws.
 */
public final class Permutations {
    private Permutations() {
    }

    /**
     * A uniformly random permutation of {@code 0 … n-1} determined by {@code seed}.
     *
     * @param n the size; >= 0
     * @param seed the seed; the same seed gives the same permutation
     * @return a new array holding each of 0 … n−1 once
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static int[] random(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation size must be >= 0, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplitMix64 rng = new SplitMix64(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Whether {@code p} holds each of {@code 0 … p.length-1} exactly once.
     *
     * @param p the array to check
     * @return true if p is a permutation
     */
    public static boolean isPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            if (v < 0 || v >= p.length || seen[v]) {
                return false;
            }
            seen[v] = true;
        }
        return true;
    }
}
