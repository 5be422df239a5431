package org.inertia.bench.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line plots (PNG and SVG) drawn with XChart; writes go through a temporary file and an atomic rename. */
public final class Plots {
    /** Values at or below this are drawn at this floor on a log axis (log scales cannot show 0). */
    public static final double LOG_FLOOR = 1e-16;
    private static final int MAX_POINTS = 1500;

    private Plots() {
    }

    /**
     * Plots {@code curves} (element k−1 is the value at x = k) against k, with a logarithmic y axis, to
     * {@code base}.png and {@code base}.svg. Long curves are thinned to about 1500 points, kept dense
     * where the x axis is short.
     */
    public static void logY(String title, String xLabel, String yLabel, Map<String, double[]> curves, Path base)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (var e : curves.entrySet()) {
            double[] y = e.getValue();
            int stride = Math.max(1, y.length / MAX_POINTS);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int k = 0; k < y.length; k += stride) {
                xs.add(k + 1.0);
                ys.add(Double.isFinite(y[k]) ? Math.max(y[k], LOG_FLOOR) : Double.NaN);
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.NONE);
        }
        save(chart, base);
    }

    /**
     * Plots named (x, y) series — {@code series.get(name)[0]} are the x values, {@code [1]} the y values —
     * to {@code base}.png and {@code base}.svg, with optional logarithmic axes.
     */
    public static void xy(String title, String xLabel, String yLabel, Map<String, double[][]> series, boolean logX,
                          boolean logY, Path base) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (var e : series.entrySet()) {
            double[] y = e.getValue()[1].clone();
            if (logY) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(y[i], LOG_FLOOR);
                }
            }
            chart.addSeries(e.getKey(), e.getValue()[0], y).setMarker(SeriesMarkers.NONE);
        }
        save(chart, base);
    }

    /** A bar chart of one value per category (e.g. speed ratios), to {@code base}.png and {@code base}.svg. */
    public static void bars(String title, String yLabel, List<String> categories, List<Double> values, Path base)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(900).height(560)
                .title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries(yLabel, categories, values);
        save(chart, base);
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
