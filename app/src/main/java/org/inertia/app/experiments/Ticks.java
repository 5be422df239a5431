package org.inertia.app.experiments;

import java.util.Locale;

/**
 * Axis ticks and the one number format of every plot: tick steps of 1, 2 or 5 times a power of ten, axis
 * ends on a multiple of the step (so ticks fall on 0, 5,000, 10,000, never on 1; 1,548; 3,095), and one
 * rule for every label — whole numbers with thousands separators, other numbers with at most three
 * significant digits, powers of ten and very small or large numbers as {@code 1e-8}.
 */
public final class Ticks {
    private Ticks() {
    }

    /** A round step (1, 2 or 5 × 10^k) that cuts {@code [lo, hi]} into at most {@code maxTicks} intervals. */
    public static double step(double lo, double hi, int maxTicks) {
        double range = hi - lo;
        if (!(range > 0) || !Double.isFinite(range)) {
            return 1;
        }
        double raw = range / Math.max(1, maxTicks);
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** {@code v} rounded down to a multiple of {@code step}. */
    public static double floor(double v, double step) {
        return Math.floor(v / step + 1e-9) * step;
    }

    /** {@code v} rounded up to a multiple of {@code step}. */
    public static double ceil(double v, double step) {
        return Math.ceil(v / step - 1e-9) * step;
    }

    /**
     * The {@link java.text.DecimalFormat} pattern of a linear axis with ticks {@code step} apart up to
     * {@code max}: as many decimals as the step needs, thousands separators, and {@code 0E0} for an axis of
     * very small or very large numbers (as on log axes).
     */
    public static String pattern(double step, double max) {
        if (step < 1e-3 || Math.abs(max) >= 1e6) {
            return "0.##E0";
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals);
    }

    /** The label of a value in tables and text, in the same format as the axes. */
    public static String label(double v) {
        if (v == 0) {
            return "0";
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        double exp = Math.log10(a);
        boolean powerOfTen = Math.abs(exp - Math.rint(exp)) < 1e-9;
        if (a < 1e-3 || a >= 1e6 || (powerOfTen && (a < 0.01 || a >= 1e5))) {
            if (powerOfTen) {
                return (v < 0 ? "-" : "") + "1e" + (long) Math.rint(exp);
            }
            String s = String.format(Locale.ROOT, "%.2e", v); // e.g. 2.50e-07
            String mantissa = s.substring(0, s.indexOf('e')).replaceAll("\\.?0+$", "");
            int e = Integer.parseInt(s.substring(s.indexOf('e') + 1));
            return mantissa + "e" + e;
        }
        if (Math.abs(v - Math.rint(v)) < 1e-9 * Math.max(1, a)) {
            return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        String s = String.format(Locale.ROOT, "%.3g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
