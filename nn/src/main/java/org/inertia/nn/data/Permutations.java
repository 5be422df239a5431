package org.inertia.nn.data;

/**
 * Seeded random permutations that are the same on every JVM, platform and thread count: a SplitMix64
 * generator (Steele, Lea &amp; Flood 2014; fully specified here, unlike {@link java.util.Random}'s future)
 * driving a Fisher–Yates shuffle with unbiased bounded draws.
 */
public final class Permutations {
    private Permutations() {
    }

    /** A uniformly random permutation of {@code 0 … n-1} determined by {@code seed}. */
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

    /** Whether {@code p} holds each of {@code 0 … p.length-1} exactly once. */
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

    /** SplitMix64: a 64-bit counter passed through a fixed avalanche mix. */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, bound): rejection sampling on 63-bit draws removes the modulo bias. */
        int nextInt(int bound) {
            long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound; // largest multiple of bound that fits
            long r;
            do {
                r = nextLong() >>> 1;
            } while (r >= limit);
            return (int) (r % bound);
        }
    }
}
