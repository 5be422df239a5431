package org.inertia.app.experiments;

import java.util.Locale;

/**
 * How a gap to a known minimum (f − f* of an order-one objective) is written when the run has reached
 * it: the double-precision evaluation of f rounds at about 1e-16 times the size of its terms, so a gap of
 * {@value #GAP} or less — or a negative one, which only rounding produces — says "machine precision", never
 * a number such as −2.8e-16 that reads like a result.
 */
public final class Precision {
    /** The largest gap that counts as rounding: about 45 units in the last place of 1. */
    public static final double GAP = 1e-14;

    private Precision() {
    }

    /** {@code gap} as {@code 3.142e-05}, or {@code < 1e-14 (machine precision)} when within rounding. */
    public static String gap(double gap) {
        if (Double.isNaN(gap)) {
            return "NaN";
        }
        return gap <= GAP ? "< 1e-14 (machine precision)" : String.format(Locale.ROOT, "%.3e", gap);
    }

    /** Short form for tight columns: {@code 3.142e-05} or {@code < 1e-14}. */
    public static String gapShort(double gap) {
        return gap <= GAP ? "< 1e-14" : String.format(Locale.ROOT, "%.3e", gap);
    }
}
