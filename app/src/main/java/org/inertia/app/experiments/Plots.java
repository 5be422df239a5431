package org.inertia.app.experiments;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line plots (PNG and SVG) drawn with XChart; writes go through a temporary file and an atomic rename.
 *
 * <p>Every plot has the same look: the Okabe–Ito palette (told apart with the common colour-vision
 * deficiencies; its yellow, faint on white, is not used), round ticks and one number format per axis kind
 * ({@link Ticks}), and on a logarithmic axis a labelled tick at every power of ten ({@code 1E-8}) —
 * an axis whose data spans less than two powers of ten is drawn linear instead, where round ticks say more
 * than one or two decade labels would. A logarithmic axis says so in its title ("(log scale)").
 */
public final class Plots {
    /** Values at or below this are drawn at this floor on a log axis (log scales cannot show 0). */
    public static final double LOG_FLOOR = 1e-16;
    private static final int MAX_POINTS = 1500;
    /**
     * Okabe and Ito's colour-blind-safe palette without its yellow, ordered so that up to six series never
     * pair orange with vermilion: black, orange, sky blue, green, blue, purple, vermilion.
     */
    static final Color[] PALETTE = {new Color(0x000000), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73),
        new Color(0x0072B2), new Color(0xCC79A7), new Color(0xD55E00)};
    private static final BasicStroke LINE = new BasicStroke(2f);

    private Plots() {
    }

    /**
     * Plots {@code curves} (element k−1 is the value at x = k) against k, with a logarithmic y axis, to
     * {@code base}.png and {@code base}.svg. Long curves are thinned to about 1500 points.
     */
    public static void logY(String title, String xLabel, String yLabel, Map<String, double[]> curves, Path base)
            throws IOException {
        List<double[][]> xy = new ArrayList<>();
        for (double[] y : curves.values()) {
            int stride = Math.max(1, y.length / MAX_POINTS);
            int n = (y.length + stride - 1) / stride;
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0, k = 0; k < y.length; i++, k += stride) {
                xs[i] = k + 1.0;
                ys[i] = y[k];
            }
            xy.add(new double[][] {xs, ys});
        }
        draw(title, xLabel, yLabel, List.copyOf(curves.keySet()), xy, false, true, base);
    }

    /**
     * Plots named (x, y) series — {@code series.get(name)[0]} are the x values, {@code [1]} the y values —
     * to {@code base}.png and {@code base}.svg, with optional logarithmic axes.
     */
    public static void xy(String title, String xLabel, String yLabel, Map<String, double[][]> series, boolean logX,
                          boolean logY, Path base) throws IOException {
        draw(title, xLabel, yLabel, List.copyOf(series.keySet()), List.copyOf(series.values()), logX, logY, base);
    }

    private static void draw(String title, String xLabel, String yLabel, List<String> names, List<double[][]> data,
                             boolean logX, boolean logY, Path base) throws IOException {
        System.setProperty("java.awt.headless", "true");
        boolean xLog = logX && decades(data, 0) >= 2;
        boolean yLog = logY && decades(data, 1) >= 2;
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle(xLabel + (xLog ? " (log scale)" : "")).yAxisTitle(yLabel + (yLog ? " (log scale)" : "")).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(0);
        for (int i = 0; i < names.size(); i++) {
            double[] x = data.get(i)[0];
            double[] y = data.get(i)[1].clone();
            for (int k = 0; k < y.length; k++) {
                if (!Double.isFinite(y[k])) {
                    y[k] = Double.NaN;
                } else if (yLog) {
                    y[k] = Math.max(y[k], LOG_FLOOR);
                }
            }
            if (i == 0 && x.length > 1) {
                // XChart puts the ticks of an axis whose x values are equally spaced at data values (1; 1,548;
                // 3,095 …) instead of at round numbers; one extra point off the grid, with no y (not drawn),
                // gives it round ticks.
                int n = x.length;
                double gap = x[n - 1] - x[n - 2];
                x = java.util.Arrays.copyOf(x, n + 1);
                y = java.util.Arrays.copyOf(y, n + 1);
                x[n] = x[n - 1] + 1e-6 * gap;
                y[n] = Double.NaN;
            }
            XYSeries s = chart.addSeries(names.get(i), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(PALETTE[i % PALETTE.length]);
            s.setLineStyle(LINE);
        }
        axis(chart.getStyler(), true, xLog, range(data, 0, xLog));
        axis(chart.getStyler(), false, yLog, range(data, 1, yLog));
        save(chart, base);
    }

    /** A bar chart of one value per category (e.g. speed ratios), to {@code base}.png and {@code base}.svg. */
    public static void bars(String title, String yLabel, List<String> categories, List<Double> values, Path base)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(900).height(560)
                .title(title).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries(yLabel, categories, values).setFillColor(PALETTE[4]);
        save(chart, base);
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setSeriesColors(PALETTE);
    }

    /** Round ends and ticks on a linear axis; labels on a log axis (whose ticks XChart puts at the decades). */
    private static void axis(AxesChartStyler s, boolean x, boolean log, double[] range) {
        if (x) {
            s.setXAxisLogarithmic(log);
        } else {
            s.setYAxisLogarithmic(log);
        }
        if (range == null) {
            return;
        }
        double lo;
        double hi;
        if (log) {
            lo = Math.pow(10, Math.floor(Math.log10(range[0])));
            hi = Math.pow(10, Math.ceil(Math.log10(range[1])));
        } else {
            double step = Ticks.step(range[0], range[1], 6);
            lo = Ticks.floor(range[0], step);
            hi = Ticks.ceil(range[1], step);
            if (lo == hi) {
                hi = lo + step;
            }
        }
        String pattern = log ? "0E0" : Ticks.pattern(Ticks.step(lo, hi, 6), hi);
        if (x) {
            s.setXAxisMin(lo);
            s.setXAxisMax(hi);
            s.setXAxisDecimalPattern(pattern);
        } else {
            s.setYAxisMin(lo);
            s.setYAxisMax(hi);
            s.setYAxisDecimalPattern(pattern);
        }
    }

    /** [min, max] of the finite values of coordinate {@code c} (positive ones on a log axis), or null if none. */
    private static double[] range(Collection<double[][]> data, int c, boolean log) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[][] d : data) {
            for (double v : d[c]) {
                if (Double.isFinite(v)) {
                    double w = log ? Math.max(v, LOG_FLOOR) : v;
                    lo = Math.min(lo, w);
                    hi = Math.max(hi, w);
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    /** How many powers of ten the positive finite values of coordinate {@code c} span. */
    private static double decades(Collection<double[][]> data, int c) {
        double[] r = range(data, c, true);
        return r == null ? 0 : Math.log10(r[1] / r[0]);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path base) throws IOException {
        Files.createDirectories(base.toAbsolutePath().getParent());
        Path pngTmp = TempFiles.register(base.resolveSibling(base.getFileName() + ".tmp.png"));
        Path svgTmp = TempFiles.register(base.resolveSibling(base.getFileName() + ".tmp.svg"));
        try {
            BitmapEncoder.saveBitmap(chart, pngTmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(pngTmp, base.resolveSibling(base.getFileName() + ".png"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            VectorGraphicsEncoder.saveVectorGraphic(chart, svgTmp.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            Files.move(svgTmp, base.resolveSibling(base.getFileName() + ".svg"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(pngTmp);
            Files.deleteIfExists(svgTmp);
            TempFiles.release(pngTmp);
            TempFiles.release(svgTmp);
        }
    }
}
